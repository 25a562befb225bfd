// The axis cross drawn in the browser: impact up, uncertainty across, numbered dots.
const NS = "http://www.w3.org/2000/svg";

function el(tag, attrs, text) {
  const node = document.createElementNS(NS, tag);
  for (const [k, v] of Object.entries(attrs)) node.setAttribute(k, String(v));
  if (text !== undefined) node.textContent = text;
  return node;
}

export function drawMatrix(points, { impact = "Impact", uncertainty = "Uncertainty", dark = false } = {}) {
  const size = 520, m = 56, inner = size - 2 * m, mid = size / 2;
  const ink = dark ? "#fff" : "#111", line = dark ? "#bbb" : "#444";
  const svg = el("svg", { viewBox: `0 0 ${size} ${size}`, role: "img", "aria-label": `${impact} × ${uncertainty}` });
  svg.append(el("rect", { x: 0, y: 0, width: size, height: size, fill: dark ? "#000" : "#fff" }));
  svg.append(el("rect", { x: m, y: m, width: inner, height: inner, fill: "none", stroke: line }));
  svg.append(el("line", { x1: mid, y1: m, x2: mid, y2: size - m, stroke: line, "stroke-width": 2 }));
  svg.append(el("line", { x1: m, y1: mid, x2: size - m, y2: mid, stroke: line, "stroke-width": 2 }));
  svg.append(el("text", { x: mid, y: size - 14, "text-anchor": "middle", fill: ink, "font-size": 16 }, `${uncertainty} →`));
  svg.append(el("text", { x: 20, y: mid, "text-anchor": "middle", fill: ink, "font-size": 16, transform: `rotate(-90 20 ${mid})` }, `${impact} →`));
  const pos = (v) => m + ((v - 1) / 4) * inner;
  points.forEach((p, i) => {
    if (p.impact == null || p.uncertainty == null) return;
    const x = pos(p.uncertainty), y = size - pos(p.impact);
    const right = x > mid + inner / 4;
    svg.append(el("circle", { cx: x, cy: y, r: 12, fill: p.highlight ? "#f59e0b" : "#1d4ed8" }));
    svg.append(el("text", { x, y: y + 4, "text-anchor": "middle", fill: "#fff", "font-size": 12, "font-weight": "bold" }, String(i + 1)));
    const label = p.label.length > 36 ? `${p.label.slice(0, 35)}…` : p.label;
    svg.append(el("text", { x: x + (right ? -16 : 16), y: y + 5, "text-anchor": right ? "end" : "start", fill: ink, "font-size": 13 }, label));
  });
  return svg;
}
