// The report as a page to read and to print (A4, print CSS in app.css): the workshop,
// the previous session, the synthesis with its score explained, the chart, the polls,
// each room's cross with poles and stories, the backcast paths, and every room's board.
import { $, api, download, exportName, fragmentToken, h, keyRefused } from "./dom.js";
import { clockTime, dateText, decimal, scoreText, initLanguageSwitch, onLanguage, quadrantName, showError, t, useWorkshopLanguage } from "./i18n.js";
import { drawMatrix, legendLines } from "./matrix.js";
import { anyVotes, clusterText } from "./synthesis_state.js";

const workshopId = document.body.dataset.workshop;
const token = fragmentToken(`plenary.mod.${workshopId}`) || sessionStorage.getItem(`plenary.proj.${workshopId}`);
const base = `/api/workshops/${workshopId}`;
let data = null;
initLanguageSwitch();

const mean = (s) => decimal(s?.mean);
const QUADS = ["hh", "hl", "lh", "ll"];

function section(title, ...content) { return [h("h2", { text: title }), ...content]; }

function header(w) {
  const rows = [[t("question"), w.question], [t("method"), t(`m_${w.method}`)]];
  if (w.horizon) rows.push([t("horizon"), w.horizon]);
  rows.push([t("date"), dateText(w.created_at)], [t("rooms_n"), String(data.rooms.length)],
    [t("participants"), String(data.participants)], [t("generated"), `${dateText(data.generated_at)} ${clockTime(data.generated_at)}`]);
  return [h("h1", { text: w.title }), h("dl", { class: "meta-list" }, ...rows.flatMap(([k, v]) => [h("dt", { text: k }), h("dd", { text: v })]))];
}

function previous(p) {
  if (!p) return [];
  return section(`${t("previous")}: ${p.title}`, h("p", { text: p.question }),
    h("ol", {}, ...p.items.map((i) => h("li", { text: `${i.title} (${t("score")} ${scoreText(i.score)})` }))));
}

function synthesisPart() {
  const syn = data.synthesis;
  const names = Object.fromEntries(syn.rooms.map((r) => [r.id, r.name]));
  const order = Object.fromEntries(syn.rooms.map((r, n) => [r.id, n]));
  const total = new Set(syn.items.flatMap((i) => i.rooms)).size || syn.rooms.length;
  // More than three rooms are counted, not listed; each wording of a note once, with how often.
  const raised = (rooms) => (rooms.length > 3 ? t("of_rooms", rooms.length, total)
    : [...rooms].sort((a, b) => order[a] - order[b]).map((r) => names[r] || r).join(", "));
  const distinct = (notes) => {
    const counts = new Map();
    for (const n of notes) counts.set(n.text, (counts.get(n.text) || 0) + 1);
    return [...counts].map(([text, n]) => (n > 1 ? `${text} (×${n})` : text)).join(" · ");
  };
  const byId = Object.fromEntries(syn.items.map((i) => [i.id, i]));
  // Nobody voted (a free break-out): no score or tallies, only the rooms that raised it.
  const voted = anyVotes(syn.items);
  const out = [h("h2", { class: "first", text: t("synthesis") }), h("p", { class: "hint", text: t(voted ? "score_explain" : "score_explain_rooms") })];
  const votes = (...cells) => (voted ? cells : []);
  const lanes = Object.entries(syn.lanes);
  const headed = lanes.length > 1 || syn.method === "backcast";
  let number = 0;  // runs on across lanes: the chart's dots carry these numbers
  for (const [lane, ids] of lanes) {
    if (headed) out.push(h("h3", { text: t(`lane_${lane}`) }));
    out.push(h("table", { class: "r-items" },
      h("colgroup", {}, h("col", { class: "c-rank" }), h("col", { class: "c-item" }), h("col", { class: "c-rooms" }), ...votes(h("col", { class: "c-num" }), h("col", { class: "c-num" }), h("col", { class: "c-num" }))),
      h("thead", {}, h("tr", {}, h("th", { class: "num", text: t("rank") }), h("th", { text: t("item") }), h("th", { text: t("raised_in") }),
        ...votes(h("th", { class: "num", text: t("impact") }), h("th", { class: "num", text: t("uncertainty") }), h("th", { class: "num", text: t("score_header") })))),
      h("tbody", {}, ...ids.map((id) => {
        const item = byId[id];
        number += 1;
        return h("tr", {},
          h("td", { class: "num", text: String(number) }),
          h("td", {}, h("strong", { text: item.title }),
            // The notes behind the item, unless that is just its own title once.
            item.notes.length === 1 && item.notes[0].text === item.title ? null : h("div", { class: "hint", text: distinct(item.notes) }),
            // The rooms' clusters whose notes went into it.
            item.clusters?.length ? h("div", { class: "hint r-clusters" }, h("em", { text: `${t("clusters")}: ` }), clusterText(
              [...item.clusters].sort((a, b) => order[a.room] - order[b.room] || (a.title < b.title ? -1 : 1)), (r) => names[r] || r)) : null),
          h("td", { text: raised(item.rooms) }),
          ...votes(h("td", { class: "num", text: mean(item.impact) }), h("td", { class: "num", text: mean(item.uncertainty) }),
            h("td", { class: "num", text: scoreText(item.score) })));
      }))));
  }
  const ordered = lanes.flatMap(([, ids]) => ids.map((id) => byId[id]));
  const points = ordered.map((i, k) => ({ n: k + 1, label: i.title, impact: i.impact.mean, uncertainty: i.uncertainty.mean }));
  if (points.some((p) => p.impact != null && p.uncertainty != null)) {
    const svg = drawMatrix(points, { impact: t("impact"), uncertainty: t("uncertainty"), width: 640, height: 520, font: 14 });
    out.push(h("h3", { text: t("chart_title") }), h("div", { class: "r-chart" }, svg));
    const lines = legendLines(svg.legend, ordered, headed, (lane) => t(`lane_${lane}`));
    if (lines.length) out.push(h("ol", { class: "legend" }, ...lines));
  }
  return out;
}

function pollsPart() {
  if (!data.polls.length) return [];
  return section(t("polls"), ...data.polls.map((p) => h("div", {},
    h("h3", { text: p.question }), h("p", { class: "hint", text: t("answers", p.answers) }),
    h("ol", {}, ...(p.results || []).map((r) => h("li", { text: p.kind === "rank" ? `${r.text} — ${t("points", r.points)}, ${t("first_places", r.first)}` : `${r.text} (${r.count}×)` }))))));
}

function crossTable(axes, stories) {
  const cell = (q) => h("div", { class: `quad q-${q}` }, h("span", { class: "quad-name", text: quadrantName(q, axes) }),
    stories[q]?.title ? h("strong", { class: "quad-title", text: stories[q].title }) : null);
  const pole = (axis, side, cls) => h("div", { class: `pole ${cls}` }, h("span", { class: "axis-title", text: axis.title }), h("span", { class: "pole-name", text: axis[side] || t(side) }));
  return h("div", { class: "cross" }, pole(axes.y, "high", "top"), pole(axes.x, "low", "left"),
    h("div", { class: "quads" }, cell("lh"), cell("hh"), cell("ll"), cell("hl")), pole(axes.x, "high", "right"), pole(axes.y, "low", "bottom"));
}

function scenariosPart() {
  const rooms = data.rooms.filter((b) => b.axes?.x && b.axes?.y);
  if (!rooms.length) return [];
  return section(t("scenarios_per_room"), ...rooms.map((b) => {
    const stories = Object.fromEntries(b.stories.map((s) => [s.quadrant, s]));
    return h("section", { class: "r-room" }, h("h3", { text: b.name }),
      h("p", { text: `${t("axes")}: ${b.axes.x.title} (${b.axes.x.low || t("low")} – ${b.axes.x.high || t("high")}) × ${b.axes.y.title} (${b.axes.y.low || t("low")} – ${b.axes.y.high || t("high")})` }),
      crossTable(b.axes, stories),
      ...QUADS.map((q) => stories[q]).filter((s) => s && (s.title || s.metaphor || s.text || s.traits.length)).map((s) => h("div", { class: "r-story" },
        h("p", { class: "qname", text: quadrantName(s.quadrant, b.axes) }),
        h("h4", { text: s.title || "—" }),
        s.metaphor ? h("p", {}, h("em", { text: `${t("metaphor")}: ` }), s.metaphor) : null,
        s.traits.length ? h("p", {}, h("em", { text: `${t("traits")}: ` }), s.traits.join(", ")) : null,
        s.text ? h("p", { text: s.text }) : null)));
  }));
}

function pathsPart() {
  const rooms = data.rooms.filter((b) => b.path?.length);
  if (!rooms.length) return [];
  const horizon = data.workshop.horizon;
  return section(`${t("paths_per_room")}${horizon ? ` (${horizon})` : ""}`, ...rooms.map((b) => h("section", { class: "r-room" },
    h("h3", { text: b.name }),
    h("ol", {}, ...b.path.map((s) => h("li", {}, s.when ? h("strong", { text: `${s.when}: ` }) : null, s.text ?? t("hidden_note"))),
      horizon ? h("li", {}, h("strong", { text: `${t("horizon")}: ${horizon}` })) : null))));
}

function boardsPart() {
  return section(t("boards_per_room"), ...data.rooms.map((b) => {
    const groups = [];
    if (b.method === "backcast") {
      for (const lane of b.lanes) groups.push([t(`lane_${lane}`), b.notes.filter((n) => n.lane === lane)]);
    } else {
      for (const c of b.clusters) groups.push([`${t("cluster")}: ${c.title}`, b.notes.filter((n) => n.cluster_id === c.id)]);
      groups.push([b.clusters.length ? t("unclustered") : t(`lane_${b.lanes[0]}`), b.notes.filter((n) => !n.cluster_id)]);
    }
    return h("section", { class: "r-room r-board" }, h("h3", { text: `${b.name} (${t("notes_n", b.notes.length)}, ${t("participants_n", b.participants)})` }),
      ...groups.filter(([, notes]) => notes.length).map(([title, notes]) => h("div", {}, h("h4", { text: title }),
        h("ul", {}, ...notes.map((n) => h("li", { text: n.text ?? t("hidden_note") }))))));
  }));
}

function render() {
  if (!data) return;
  document.title = `${data.workshop.title} · ${t("report")}`;
  // A part with nothing to say gives no node (never the word "null" on the page).
  $("#report-body").replaceChildren(...[...header(data.workshop), ...previous(data.workshop.previous), ...synthesisPart(),
    ...pollsPart(), ...scenariosPart(), ...pathsPart(), ...boardsPart()].filter(Boolean));
}
onLanguage(render);

$("#print").addEventListener("click", () => window.print());
$("#download-pdf").addEventListener("click", async () => {
  try { await download(`${base}/export.pdf`, token, exportName(data?.workshop?.title, "pdf")); } catch (error) { showError($("#report-error"), error.code); }
});

if (!token) {
  keyRefused(workshopId, "report", { invalid: false });
} else {
  try {
    data = await api("GET", `${base}/export.json`, token);
    useWorkshopLanguage(data.workshop.language);
    render();
    document.body.dataset.ready = "1";
  } catch (error) {
    if (error.code === "unauthorized" || error.code === "not_found") keyRefused(workshopId, "report");
    else showError($("#report-error"), error.code);
  }
}
