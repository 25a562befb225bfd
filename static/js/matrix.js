// The impact × uncertainty chart drawn in the browser: impact up, uncertainty across,
// a numbered dot per item and a label beside it where one fits.
//
// Label placement (the same steps serve the server's matrix.svg):
//  1. Dots first: every dot is an obstacle. Dots that land on each other (the same
//     means) are nudged apart on a small spiral, so each number stays readable.
//  2. Labels greedily in rank order: for each dot try eight slots around it (right,
//     left, above, below, then the four diagonals, then right/left one line up or
//     down), each first with the whole title and then shortened with an ellipsis
//     (28, 20, 14 characters). The first slot whose box lies inside the plot area and
//     overlaps no dot and no label already placed wins.
//  3. A label that fits nowhere is left out; its dot keeps its number and the title
//     goes to the numbered legend beside the chart (so do shortened ones).
import { h } from "./dom.js";
const NS = "http://www.w3.org/2000/svg";
const FAMILY = "system-ui, -apple-system, 'Segoe UI', Roboto, 'DejaVu Sans', sans-serif";

function el(tag, attrs, text) {
  const node = document.createElementNS(NS, tag);
  for (const [k, v] of Object.entries(attrs)) node.setAttribute(k, String(v));
  if (text !== undefined) node.textContent = text;
  return node;
}

let canvas = null;
function measure(text, size, weight = 400) {
  canvas = canvas || document.createElement("canvas");
  const ctx = canvas.getContext("2d");
  ctx.font = `${weight} ${size}px ${FAMILY}`;
  return ctx.measureText(text).width;
}

// The legend's lines: a number and its whole title, lane by lane under each lane's name
// when `headed` (items: the chart's items in number order, so number n is items[n - 1]).
export function legendLines(legend, items, headed, laneName) {
  const lines = [];
  let lane = null;
  for (const e of legend) {
    const itemLane = items[e.n - 1]?.lane;
    if (headed && itemLane !== lane) { lane = itemLane; lines.push(h("li", { class: "legend-lane", text: laneName(lane) })); }
    lines.push(h("li", {}, h("span", { class: "legend-n", text: String(e.n) }), " ", e.label));
  }
  return lines;
}

const overlaps = (a, b, pad = 2) =>
  a.x < b.x + b.w + pad && b.x < a.x + a.w + pad && a.y < b.y + b.h + pad && b.y < a.y + a.h + pad;
const inside = (a, box) => a.x >= box.x && a.y >= box.y && a.x + a.w <= box.x + box.w && a.y + a.h <= box.y + box.h;

function shorten(text, n) { return text.length <= n ? text : `${text.slice(0, n - 1).trimEnd()}…`; }

// points: [{label, impact, uncertainty, highlight, n}] (n: the number in the dot)
export function drawMatrix(points, {
  impact = "Impact", uncertainty = "Uncertainty", dark = false, width = 560, height = 560, font = 14, tick = 0,
} = {}) {
  const tickSize = Math.max(font * 0.8, tick);  // the scale's numbers (a projection asks for big ones)
  const m = Math.round(font * 3.2);
  const box = { x: m, y: Math.round(font * 0.8), w: width - m - Math.round(font * 0.8), h: height - m - Math.round(font * 0.8) };
  const ink = dark ? "#fff" : "#111", line = dark ? "#9ca3af" : "#4b5563";
  const svg = el("svg", { viewBox: `0 0 ${width} ${height}`, role: "img", "aria-label": `${impact} × ${uncertainty}`, "font-family": FAMILY, class: "chart" });
  svg.append(el("rect", { x: 0, y: 0, width, height, fill: dark ? "#000" : "#fff" }));
  svg.append(el("rect", { x: box.x, y: box.y, width: box.w, height: box.h, fill: "none", stroke: line }));
  const midX = box.x + box.w / 2, midY = box.y + box.h / 2;
  svg.append(el("line", { x1: midX, y1: box.y, x2: midX, y2: box.y + box.h, stroke: line, "stroke-width": 2, "stroke-dasharray": "6 6" }));
  svg.append(el("line", { x1: box.x, y1: midY, x2: box.x + box.w, y2: midY, stroke: line, "stroke-width": 2, "stroke-dasharray": "6 6" }));
  svg.append(el("text", { x: midX, y: height - font * 0.9, "text-anchor": "middle", fill: ink, "font-size": font * 1.1, class: "axis" }, `${uncertainty} →`));
  svg.append(el("text", { x: font * 1.3, y: midY, "text-anchor": "middle", fill: ink, "font-size": font * 1.1, class: "axis", transform: `rotate(-90 ${font * 1.3} ${midY})` }, `${impact} →`));
  for (const [v, pos] of [[1, 0], [3, 0.5], [5, 1]]) {
    svg.append(el("text", { x: box.x + pos * box.w, y: box.y + box.h + tickSize * 1.05, "text-anchor": "middle", fill: line, "font-size": tickSize, class: "tick" }, String(v)));
    svg.append(el("text", { x: box.x - font * 0.4, y: box.y + box.h - pos * box.h + tickSize * 0.35, "text-anchor": "end", fill: line, "font-size": tickSize, class: "tick" }, String(v)));
  }

  const r = Math.round(font * 0.95);
  const inner = { x: box.x + r, y: box.y + r, w: box.w - 2 * r, h: box.h - 2 * r };
  const dots = [];
  points.forEach((p, i) => {
    if (p.impact == null || p.uncertainty == null) return;
    let cx = inner.x + ((p.uncertainty - 1) / 4) * inner.w;
    let cy = inner.y + inner.h - ((p.impact - 1) / 4) * inner.h;
    // Nudge dots that sit on an earlier one, on a spiral, staying inside the plot.
    for (let k = 1; dots.some((d) => Math.hypot(d.cx - cx, d.cy - cy) < 2 * r + 2) && k < 40; k += 1) {
      const angle = k * 2.4, radius = r * (1 + k * 0.35);
      cx = Math.min(inner.x + inner.w, Math.max(inner.x, cx + Math.cos(angle) * radius * 0.5));
      cy = Math.min(inner.y + inner.h, Math.max(inner.y, cy + Math.sin(angle) * radius * 0.5));
    }
    dots.push({ cx, cy, p, n: p.n ?? i + 1 });
  });
  const taken = dots.map((d) => ({ x: d.cx - r, y: d.cy - r, w: 2 * r, h: 2 * r }));
  const legend = [];
  const labels = [];
  const lh = font * 1.3, gap = Math.round(font * 0.35);
  for (const d of dots) {
    const full = d.p.label || "";
    let placed = null;
    for (const n of [Infinity, 28, 20, 14]) {
      if (n !== Infinity && full.length <= n) continue;
      const text = n === Infinity ? full : shorten(full, n);
      const w = measure(text, font) + 2;
      const { cx, cy } = d;
      const slots = [
        [cx + r + gap, cy - lh / 2], [cx - r - gap - w, cy - lh / 2],
        [cx - w / 2, cy - r - gap - lh], [cx - w / 2, cy + r + gap],
        [cx + r * 0.7, cy - r - lh], [cx + r * 0.7, cy + r], [cx - r * 0.7 - w, cy - r - lh], [cx - r * 0.7 - w, cy + r],
        [cx + r + gap, cy - lh * 1.5], [cx + r + gap, cy + lh * 0.5], [cx - r - gap - w, cy - lh * 1.5], [cx - r - gap - w, cy + lh * 0.5],
      ];
      for (const [k, [x, y]] of slots.entries()) {
        const rect = { x, y, w, h: lh };
        // Only the first two slots sit beside the dot; a label above, below or aside gets a
        // leader line, so it is never read as the label of a neighbouring dot.
        if (inside(rect, box) && !taken.some((o) => overlaps(rect, o))) { placed = { rect, text, leader: k >= 2 }; break; }
      }
      if (placed) break;
    }
    if (placed) {
      taken.push(placed.rect);
      labels.push({ d, ...placed });
      if (placed.text !== full) legend.push({ n: d.n, label: full, highlight: Boolean(d.p.highlight) });
    } else {
      legend.push({ n: d.n, label: full, highlight: Boolean(d.p.highlight) });
    }
  }
  for (const d of dots) {
    svg.append(el("circle", { cx: d.cx, cy: d.cy, r, fill: d.p.highlight ? "#f59e0b" : (dark ? "#3b82f6" : "#1d4ed8"), stroke: dark ? "#000" : "#fff", "stroke-width": 2 }));
    svg.append(el("text", { x: d.cx, y: d.cy + font * 0.33, "text-anchor": "middle", fill: d.p.highlight ? "#111" : "#fff", "font-size": font * 0.85, "font-weight": 700, class: "num" }, String(d.n)));
  }
  for (const { d, rect, leader } of labels) {
    if (!leader) continue;
    const px = Math.min(rect.x + rect.w, Math.max(rect.x, d.cx)), py = Math.min(rect.y + rect.h, Math.max(rect.y, d.cy));
    const dist = Math.hypot(px - d.cx, py - d.cy) || 1;
    svg.append(el("line", { x1: d.cx + ((px - d.cx) / dist) * r, y1: d.cy + ((py - d.cy) / dist) * r, x2: px, y2: py, stroke: ink, "stroke-width": Math.max(1.5, font * 0.08), class: "leader" }));
  }
  for (const { rect, text } of labels) {
    // A halo in the background's colour: the midlines and the frame pass behind the words.
    svg.append(el("text", {
      x: rect.x + 1, y: rect.y + font * 0.98, fill: ink, "font-size": font, class: "label", "data-box": `${rect.x},${rect.y},${rect.w},${rect.h}`,
      stroke: dark ? "#000" : "#fff", "stroke-width": Math.max(3, font * 0.28), "stroke-linejoin": "round", "paint-order": "stroke",
    }, text));
  }
  svg.legend = legend;
  svg.plotBox = box;
  return svg;
}
