// The projection: a big screen that never scrolls. It shows one view at a time (join,
// activity, items, chart, scenarios, poll), pages what does not fit, and in `auto`
// cycles through what there is. The moderator picks the view from the console.
import { $, api, countdown, fragmentToken, h, keyRefused, rememberCode } from "./dom.js";
import { initLanguageSwitch, onLanguage, previousFacts, quadrantName, quadrantPoles, t, tr, useWorkshopLanguage } from "./i18n.js";
import { PlenarySocket } from "./socket.js";
import { BoardState, QUADRANTS } from "./board_state.js";
import { SynthesisState, pollPlaces, rankingNote, scoreParts } from "./synthesis_state.js";
import { drawMatrix, legendLines } from "./matrix.js";

const workshopId = document.body.dataset.workshop;
const token = fragmentToken(`plenary.proj.${workshopId}`);
const state = new SynthesisState();
const boards = new Map();  // room id -> BoardState (from the "*" stream)
const online = new Map();  // room id -> people online
let overview = null;
const DWELL_MS = 12000;
const JOIN_DWELL_MS = 20000;
const CLOSED_POLL_MS = 30000;
let slide = { view: null, page: 0 };
let advanceTimer = null;
let closedPollUntil = 0;
initLanguageSwitch();

const views = () => [...document.querySelectorAll(".view")];
const roomName = (id) => overview?.rooms.find((r) => r.id === id)?.name ?? state.roomName(id);

// --- which views there are now ---
function roomBoards() {
  const order = overview ? overview.rooms.map((r) => r.id) : [...boards.keys()];
  return order.map((id) => boards.get(id)).filter(Boolean);
}
function scenarioRooms() {
  return roomBoards().filter((b) => b.method === "scenario" && b.axes.x && b.axes.y);
}
function pathRooms() {
  return roomBoards().filter((b) => b.method === "backcast" && b.steps().length);
}
// A story longer than a quadrant can hold gets a page of its own after its room's cross.
const LONG_STORY = 240;
// Stories the cross's page had to cut (a shorter text beside many traits): each gets a page
// of its own too (tenth trial: a 224-character story ended "…in the…" and never in full).
const cutStories = new Set();
let resultDwell = 0;
const STEPS_PER_PAGE = 7;
const PACKED_STEPS = 5;  // a path this short shares its page with others
const PATHS_PER_PAGE = 3;
function resultPages() {
  const pages = [];
  for (const board of scenarioRooms()) {
    pages.push({ board, quadrant: null });
    for (const q of QUADRANTS) {
      const long = (board.stories.get(q)?.text || "").length > LONG_STORY;
      if (long || cutStories.has(`${board.room}:${q}`)) pages.push({ board, quadrant: q });
    }
  }
  // Short paths share a page, side by side in the rooms' order; a long one has pages alone.
  // A run of short ones is spread evenly (four rooms: two pages of two, not three and one
  // alone on a page that is mostly empty; ninth trial).
  let run = [];
  const packRun = () => {
    const count = Math.ceil(run.length / PATHS_PER_PAGE);
    for (let k = 0, at = 0; k < count; k += 1) {
      const size = Math.ceil((run.length - at) / (count - k));
      pages.push({ paths: run.slice(at, at + size) });
      at += size;
    }
    run = [];
  };
  for (const board of pathRooms()) {
    const steps = board.steps();
    if (steps.length <= PACKED_STEPS) { run.push(board); continue; }
    packRun();
    for (let from = 0; from < steps.length; from += STEPS_PER_PAGE) pages.push({ board, steps: steps.slice(from, from + STEPS_PER_PAGE), from, total: steps.length });
  }
  packRun();
  return pages;
}
const rated = () => state.items.filter((i) => i.impact.mean != null && i.uncertainty.mean != null);

function sequence() {
  const chosen = state.view || "auto";
  if (chosen !== "auto") return [chosen];
  if (state.openPoll() || Date.now() < closedPollUntil) return ["poll"];
  // While people still arrive (every room in the lobby) the join screen stays put: the
  // rooms at work have nothing to show yet (eighth trial: the QR code went away half the time).
  const started = (overview?.rooms || []).some((r) => (boards.get(r.id)?.phase ?? r.phase) !== "lobby");
  if (!state.items.length) return started ? ["join", "activity"] : ["join"];
  const list = ["items"];
  if (rated().length) list.push("chart");
  if (scenarioRooms().length || pathRooms().length) list.push("scenarios");
  return list;
}

// --- rendering one view ---
function show(view) {
  for (const el of views()) el.hidden = el.dataset.view !== view;
}

function renderJoin() {
  if (!overview) return 1;
  const url = `${location.origin}/join/${overview.join_code}`;
  $("#p-qr").src = `/join/${overview.join_code}/qr.svg`;
  $("#p-qr").alt = url;
  $("#p-join-url").textContent = url.replace(/^https?:\/\//, "");
  $("#p-join-code").textContent = overview.join_code;
  const people = [...online.values()].reduce((a, b) => a + b, 0);
  tr($("#p-join-count"), "people_n", people);
  // A follow-up session opens with what the one before concluded, while people join.
  const previous = overview.previous;
  $("#p-previous").hidden = !previous;
  $("#v-join").classList.toggle("carries", Boolean(previous));
  if (previous) {
    $("#p-previous-h").textContent = t("previous_session", previous.title);
    $("#p-previous-q").textContent = t("previous_top", previous.question);
    const list = $("#p-previous-items");
    list.replaceChildren(...previous.items.map((item) => h("li", {},
      h("span", { text: item.title }), h("span", { class: "n", text: ` · ${previousFacts(item, item.rooms.length)}` }))));
    // Long titles: the last items give way rather than run off the wall (the report has all).
    const text = $("#v-join .join-text");
    while (list.children.length > 1 && text.scrollHeight > $("#v-join").clientHeight) list.lastChild.remove();
  }
  return 1;
}

function renderActivity() {
  if (!overview) return 1;
  let people = 0, notes = 0;
  const tiles = overview.rooms.map((r) => {
    const board = boards.get(r.id);
    const n = online.get(r.id) ?? r.online ?? 0;
    const count = board ? board.notes.size : r.notes;
    people += n; notes += count;
    const timer = h("span", { class: "t" });
    countdown(timer, board?.timerEndsAt ?? r.timer_ends_at);
    // A locked room says so on the wall too: the room sees it, the plenary should.
    const locked = board?.locked ?? r.locked;
    return h("div", { class: "room-live", dataset: { room: r.id } },
      h("span", { class: "name", text: r.name }),
      h("span", { class: "ph", text: t(`phase_${board?.phase ?? r.phase}`) }),
      locked ? h("span", { class: "lock", text: t("locked") }) : null,
      h("span", { class: "facts", text: `${t("people_n", n)} · ${t("notes_n", count)}` }), timer);
  });
  // The heading says where the groups are: not "at work" before the start or once all closed.
  const phases = overview.rooms.map((r) => boards.get(r.id)?.phase ?? r.phase);
  tr($("#p-activity-h"), phases.every((p) => p === "lobby") ? "activity_lobby"
    : phases.every((p) => p === "closed") ? "activity_closed" : "waiting_activity");
  $("#p-totals").replaceChildren(h("span", { text: t("people_n", people) }), h("span", { text: t("notes_n", notes) }),
    h("span", { class: "join-mini", text: `${t("code")} ${overview.join_code}` }));
  const grid = $("#p-rooms");
  const n = tiles.length;
  grid.style.gridTemplateColumns = `repeat(${n <= 4 ? n : n <= 8 ? 4 : n <= 15 ? 5 : 8}, minmax(0, 1fr))`;
  grid.replaceChildren(...tiles);
  return 1;
}

// The rooms' cluster titles behind an item, each once: «Tech» · «Werkdruk».
function clusterTitles(item) {
  const seen = new Set();
  const titles = [];
  for (const c of state.clustersOf(item)) {
    const key = c.title.trim().toLowerCase();
    if (!seen.has(key)) { seen.add(key); titles.push(`«${c.title}»`); }
  }
  return titles;
}

// Up to three rooms by name; more: "alle groepen" when every room raised it, else the
// score's parts say how many ("5 van 8 groepen").
function roomBadges(item) {
  if (item.rooms.length <= 3) return state.roomsOf(item).map((r) => h("span", { class: "room-badge", text: state.roomName(r) }));
  if (item.rooms.length >= state.roomsWithNotes()) return [h("span", { class: "room-badge many", text: t("all_rooms_badge") })];
  return [];
}

// A merged step's moments on the rooms' paths ("Q1 2027 · voorjaar"), before its rooms.
function moments(item) {
  const order = (n) => state.rooms.findIndex((r) => r.id === n.room);
  const notes = [...(item.notes || [])].sort((a, b) => order(a) - order(b) || (a.note_id < b.note_id ? -1 : 1));
  const whens = [...new Set(notes.map((n) => n.when).filter(Boolean))];
  return whens.length ? h("span", { class: "p-when", text: whens.join(" · ") }) : null;
}

function itemRow(item, rank) {
  const titles = clusterTitles(item);
  return h("li", { dataset: { id: item.id } },
    h("span", { class: "p-rank", text: String(rank) }),
    h("span", { class: "p-title", text: item.title }),
    h("span", { class: "p-meta" },
            h("span", { class: "p-facts" }, moments(item), ...roomBadges(item), " ",
        h("span", { class: "score", text: scoreParts(item, state, t) })),
      // The rooms' cluster titles: see placeClusters.
      titles.length ? h("span", { class: "p-clusters", text: `${t("clusters")}: ${titles.join(" · ")}`, dataset: { titles: JSON.stringify(titles) } }) : null));
}

// The rooms' cluster titles never cost a page: on a line of their own under each item
// when the page has room for that, else in what is left of the meta line. Either way cut
// at a whole title ("· …"), and left out where not even a word or two fits.
function placeClusters(list) {
  const spans = [...list.querySelectorAll(".p-clusters")];
  if (!spans.length) return;
  list.classList.add("clusters-below");
  if (list.scrollHeight > list.clientHeight + 1) list.classList.remove("clusters-below");
  for (const el of spans) {
    const em = parseFloat(getComputedStyle(el).fontSize) || 16;
    if (el.clientWidth < 7 * em) { el.hidden = true; continue; }
    const titles = JSON.parse(el.dataset.titles);
    while (titles.length > 1 && el.scrollWidth > el.clientWidth + 1) {
      titles.pop();
      el.textContent = `${t("clusters")}: ${titles.join(" · ")} · …`;
    }
    // Not even one whole title fits: left out, never cut in the middle of a word
    // (eighth trial: "«AI & automat…").
    if (el.scrollWidth > el.clientWidth + 1) el.hidden = true;
  }
}

// Fill the list from `start` until it would overflow; return where the next page starts.
// Lane by lane, each under its heading (also atop a page that goes on with a lane); the
// numbers run on across lanes, as on the chart.
function fillItems(items, start) {
  const list = $("#p-items");
  const headed = state.headedLanes();
  list.classList.remove("clusters-below");
  list.replaceChildren();
  let i = start;
  for (; i < items.length; i += 1) {
    const rows = [];
    if (headed && (i === start || items[i].lane !== items[i - 1].lane)) rows.push(h("li", { class: "p-lane", text: t(`lane_${items[i].lane}`) }));
    rows.push(itemRow(items[i], i + 1));
    list.append(...rows);
    if (list.scrollHeight > list.clientHeight + 1 && i > start) { for (const row of rows) row.remove(); break; }
  }
  placeClusters(list);
  return i;
}

function renderItems(page) {
  if (!state.items.length) { $("#p-items").replaceChildren(h("li", { class: "waiting", text: t("waiting") })); return 1; }
  const items = state.byLane();
  tr($("#v-items .score-note"), rankingNote(state, overview?.method));
  const starts = [0];
  while (true) {
    const next = fillItems(items, starts[starts.length - 1]);
    if (next >= items.length || next === starts[starts.length - 1]) break;
    starts.push(next);
  }
  const shown = Math.min(page, starts.length - 1);
  fillItems(items, starts[shown]);
  // A page of steps only has no score to explain (thirteenth trial: the formula stood under
  // "Stappen"); steps are never voted on.
  const onPage = items.slice(starts[shown], starts[shown + 1] ?? items.length);
  $("#v-items .score-note").hidden = onPage.every((item) => item.lane === "step");
  return starts.length;
}

function renderChart() {
  const box = $("#v-chart");
  if (!rated().length) {
    // Without votes there is no chart: say why (a free break-out never votes), not "soon".
    const why = overview?.method === "free" ? "free_no_chart" : state.items.length ? "no_votes_yet" : "waiting";
    $("#p-chart").replaceChildren(h("p", { class: "waiting", text: t(why) }));
    $("#p-legend").replaceChildren();
    return 1;
  }
  const width = Math.max(300, Math.floor(box.clientWidth * 0.64));
  const height = Math.max(300, box.clientHeight);
  const font = Math.max(14, Math.round(height / 30));
  const items = state.byLane();
  const points = items.map((i, k) => ({ n: k + 1, label: i.title, impact: i.impact.mean, uncertainty: i.uncertainty.mean }));
  const draw = (tick, size = font) => drawMatrix(points, { impact: t("impact"), uncertainty: t("uncertainty"), dark: true, width, height, font: size, tick });
  let svg = draw(28);
  $("#p-chart").replaceChildren(svg);
  // The drawing is scaled to its box: the scale's numbers and the dots' numbers (0.85 of
  // the font) must still be 28 px on the wall (thirteenth trial: the dots' were 26 px).
  const scale = svg.getBoundingClientRect().width / width;
  const dotFont = scale > 0 ? Math.max(font, Math.ceil(28 / (0.85 * Math.min(1, scale)))) : font;
  if (scale > 0 && (scale < 1 || dotFont > font)) { svg = draw(Math.ceil(28 / Math.min(1, scale)), dotFont); $("#p-chart").replaceChildren(svg); }
  const legend = $("#p-legend");
  // The legend goes lane by lane too, each under its heading, as the items view does.
  const lines = legendLines(svg.legend, items, state.headedLanes(), (lane) => t(`lane_${lane}`));
  // Items without votes have no place on the chart: say so, not leave them out unsaid.
  // A path's steps are never rated: they are not counted as waiting for votes.
  const unrated = items.filter((i) => i.lane !== "step").length - rated().length;
  const note = unrated > 0 ? h("p", { class: "unrated", text: t("chart_unrated", unrated) }) : null;
  legend.replaceChildren(...[h("h2", { text: t("chart_title") }), note, h("ol", { class: "legend" }, ...lines)].filter(Boolean));
  // A legend longer than the screen is cut at a whole line, never scrolled, and says how
  // many titles it left out, so no dot goes unexplained without a word.
  const list = legend.querySelector("ol");
  const fits = () => legend.scrollHeight <= legend.clientHeight + 1;
  if (!fits()) {
    const titles = () => list.querySelectorAll("li:not(.legend-lane):not(.legend-more)").length;
    const total = titles();
    const more = h("li", { class: "legend-more" });
    list.append(more);
    do {
      more.previousSibling?.remove();
      while (more.previousSibling?.classList.contains("legend-lane")) more.previousSibling.remove();  // no heading alone
      tr(more, "legend_more", total - titles());
    } while (more.previousSibling && !fits());
  }
  return 1;
}

function scenarioRoom(board) {
  const axes = board.axes;
  const pole = (axis, side, cls) => h("div", { class: `pole ${cls}`, text: `${axis.title}: ${axis[side] || t(side)}` });
  const quad = (q) => {
    const story = board.stories.get(q) || {};
    return h("div", { class: `p-quad q-${q}`, dataset: { quadrant: q } },
      // The axes and their poles stand at the cross's edges; inside, the pole combination.
      h("span", { class: "qname", title: quadrantName(q, axes), text: quadrantPoles(q, axes) }),
      story.title ? h("span", { class: "qtitle", text: story.title }) : null,
      story.metaphor ? h("span", { class: "qmeta", text: story.metaphor }) : null,
      story.traits?.length ? h("span", { class: "qtraits", text: story.traits.join(" · ") }) : null,
      story.text ? h("span", { class: "qtext", text: story.text }) : null);
  };
  return h("article", { class: "scen-room", dataset: { room: board.room } },
    h("div", { class: "scen-head" }, h("h2", { text: board.name })),
    h("div", { class: "p-cross" },
      pole(axes.y, "high", "top"), pole(axes.x, "low", "left"),
      h("div", { class: "quads" }, quad("lh"), quad("hh"), quad("ll"), quad("hl")),
      pole(axes.x, "high", "right"), pole(axes.y, "low", "bottom")));
}

function renderScenarios(page) {
  const pages = resultPages();
  if (!pages.length) {
    const empty = { backcast: "no_paths", free: "free_no_scenarios" }[overview?.method] || "no_scenarios";
    $("#p-scen").replaceChildren(h("p", { class: "waiting", text: t(empty) }));
    return 1;
  }
  const shown = pages[Math.min(page, pages.length - 1)];
  // Time to read a page aloud: a long story stays up longer than the usual page.
  const words = shown.quadrant ? (shown.board.stories.get(shown.quadrant)?.text || "").length : 0;
  resultDwell = Math.max(DWELL_MS, Math.min(90000, words * 55));
  if (shown.paths) {
    const all = (board) => ({ board, steps: board.steps(), from: 0, total: board.steps().length });
    $("#p-scen").replaceChildren(h("div", { class: `path-pack cols-${shown.paths.length}` }, ...shown.paths.map((b) => pathRoom(all(b)))));
  } else if (shown.steps) $("#p-scen").replaceChildren(pathRoom(shown));
  else if (shown.quadrant) $("#p-scen").replaceChildren(storyPage(shown.board, shown.quadrant));
  else $("#p-scen").replaceChildren(scenarioRoom(shown.board));
  // A quadrant's text is cut at a word; a story on its own page first gets smaller (to 28 px).
  for (const path of document.querySelectorAll("#p-scen .p-path")) fitPath(path);
  let cut = false;
  for (const text of document.querySelectorAll("#p-scen .qtext")) {
    const key = `${text.closest("[data-room]").dataset.room}:${text.closest("[data-quadrant]").dataset.quadrant}`;
    if (fitText(text) && !cutStories.has(key)) { cutStories.add(key); cut = true; }
  }
  for (const text of document.querySelectorAll("#p-scen .story-text")) fitText(text, { shrinkTo: 28 });
  return cut ? resultPages().length : pages.length;
}

function fitText(text, { shrinkTo = null } = {}) {
  const fits = () => text.scrollHeight <= text.clientHeight + 1;
  let size = parseFloat(getComputedStyle(text).fontSize);
  while (shrinkTo && !fits() && size > shrinkTo) { size = Math.max(shrinkTo, size - 2); text.style.fontSize = `${size}px`; }
  if (fits()) return false;
  const words = text.textContent.split(" ");
  let lo = 0, hi = words.length;
  while (lo < hi) {
    const mid = Math.ceil((lo + hi) / 2);
    text.textContent = `${words.slice(0, mid).join(" ")}…`;
    if (fits()) lo = mid; else hi = mid - 1;
  }
  text.textContent = lo ? `${words.slice(0, lo).join(" ")}…` : "";
  return true;
}

// One scenario on the whole screen: its room, its poles, title, metaphor, traits and story.
function storyPage(board, q) {
  const story = board.stories.get(q) || {};
  return h("article", { class: "story-page", dataset: { room: board.room, quadrant: q } },
    h("div", { class: "scen-head" }, h("h2", { text: board.name }), h("span", { class: "axes-line", text: quadrantName(q, board.axes) })),
    story.title ? h("h3", { class: "qtitle", text: story.title }) : null,
    story.metaphor ? h("p", { class: "qmeta", text: story.metaphor }) : null,
    story.traits?.length ? h("p", { class: "qtraits", text: story.traits.join(" · ") }) : null,
    h("p", { class: "story-text", text: story.text || "" }));
}

// A step's text is cut at two lines only when the whole path would not fit (ninth trial:
// "Chatbot inrichten voor…" above an empty third of the screen). The moments' column is as
// wide as their longest word, so "volgende maand" never breaks inside a word.
function fitPath(path) {
  const longest = Math.max(4, ...[...path.querySelectorAll(".when")].flatMap((w) => w.textContent.split(/\s+/)).map((w) => w.length));
  path.style.setProperty("--when", `${Math.min(longest, 14) + 1}ch`);
  path.classList.add("whole");
  if (path.scrollHeight > path.clientHeight + 1) path.classList.remove("whole");
}

// A room's path from today to the horizon, as a timeline (long paths over several pages).
function pathRoom({ board, steps, from, total }) {
  const horizon = board.horizon || overview?.horizon;
  const item = (when, text, cls = "") => h("li", { class: `p-step ${cls}` }, h("span", { class: "when", text: when || "" }), h("span", { class: "what", text }));
  return h("article", { class: "path-room", dataset: { room: board.room } },
    h("div", { class: "scen-head" }, h("h2", { text: board.name }),
      h("span", { class: "axes-line", text: `${t("path_of")}: ${t("steps_n", total)}` })),
    h("ol", { class: "p-path" },
      from === 0 ? item(t("today"), "", "edge") : null,
      ...steps.map((step) => item(step.when, step.text ?? t("hidden_note"))),
      from + steps.length >= total && horizon ? item(t("horizon"), horizon, "edge") : null));
}

const WHOLE_FLOOR = 1.4; // em: below it a long poll answer is cut rather than all answers shrunk

function renderPoll() {
  const poll = state.lastPoll();
  const bars = $("#p-bars");
  if (!poll) { tr($("#p-poll-q"), "no_poll"); $("#p-poll-n").textContent = ""; bars.replaceChildren(); return 1; }
  $("#p-poll-q").textContent = poll.question;
  $("#p-poll-n").textContent = `${poll.open ? `${t("poll_live")} · ` : `${t("poll_results")} · `}${t("answers", poll.answers)}`;
  $("#p-poll-join").textContent = poll.open && overview ? t("poll_join", location.host, overview.join_code) : "";
  let results = poll.results || [];
  // Before the first answer a ranking shows its options at zero: people see what they rank.
  if (!results.length && poll.kind === "rank") results = poll.options.map((o) => ({ text: o.text, points: 0, first: 0 }));
  const top = Math.max(1, ...results.map((r) => (poll.kind === "rank" ? r.points : r.count)));
  // Equal results share their place (tenth trial: 11 and 11 points showed as 2 and 3).
  const places = pollPlaces(results, poll.kind);
  // Open and nobody answered yet: say where the answers come from, not a black wall.
  if (!results.length && poll.open) { bars.replaceChildren(h("li", { class: "p-waiting", text: t("poll_waiting") })); return 1; }
  bars.replaceChildren(...results.map((r, i) => {
    const place = places[i];
    const value = poll.kind === "rank" ? r.points : r.count;
    const fill = h("div", { class: "fill" });
    fill.style.width = `${Math.round((100 * value) / top)}%`;
    return h("li", { class: "p-bar" }, h("span", { class: "n", text: String(place) }), h("span", { class: "txt", text: r.text }),
      h("span", { class: "pts", text: poll.kind === "rank" ? t("points", r.points) : `${r.count}×` }), h("div", { class: "track" }, fill));
  }));
  // A few answers fill the wall in big type; many get smaller, down to the usual size. A
  // long answer wraps; the type shrinks for it only down to WHOLE_FLOOR, so one long answer
  // does not make every short one hard to read (eleventh session), and past that it is cut
  // after three lines (whole in the console and the report).
  const fits = () => bars.scrollHeight <= bars.clientHeight + 1;
  const whole = () => [...bars.querySelectorAll(".txt")].every((el) => el.scrollHeight <= el.clientHeight + 1);
  let size = 2.2;
  bars.style.fontSize = `${size}em`;
  while (size > 1 && (!fits() || (!whole() && size > WHOLE_FLOOR))) { size = Math.max(1, size - 0.2); bars.style.fontSize = `${size}em`; }
  while (bars.lastChild && !fits()) bars.lastChild.remove();
  return 1;
}

const RENDER = { join: renderJoin, activity: renderActivity, items: renderItems, chart: renderChart, scenarios: renderScenarios, poll: renderPoll };

function render() {
  if (document.body.dataset.needsLink || (!state.loaded && !overview)) return;
  $("#p-title").textContent = state.title || overview?.title || "";
  $("#p-question").textContent = state.question || overview?.question || "";
  const list = sequence();
  if (!list.includes(slide.view)) slide = { view: list[0], page: 0 };
  show(slide.view);
  const pages = RENDER[slide.view](slide.page);
  slide.pages = pages;
  if (slide.page >= pages) slide.page = pages - 1;
  $("#p-page").textContent = pages > 1 ? t("page_of", slide.page + 1, pages) : "";
  document.body.dataset.view = slide.view;
  schedule();
}

// Next page of this view, else the next view of the sequence.
function advance() {
  const list = sequence();
  if (slide.page + 1 < (slide.pages || 1) && list.includes(slide.view)) slide = { view: slide.view, page: slide.page + 1 };
  else slide = { view: list[(list.indexOf(slide.view) + 1) % list.length], page: 0 };
  render();
}

function schedule() {
  if (advanceTimer) return;
  const dwell = { join: JOIN_DWELL_MS, scenarios: resultDwell || DWELL_MS }[slide.view] || DWELL_MS;
  advanceTimer = setTimeout(() => { advanceTimer = null; advance(); }, dwell);
}
function restartClock() { clearTimeout(advanceTimer); advanceTimer = null; }

// The arrow keys page by hand (a clicker on the projector's laptop sends these).
document.addEventListener("keydown", (e) => {
  if (e.target.closest?.("select")) return;
  if (e.key === "ArrowRight" || e.key === "PageDown") { restartClock(); advance(); }
  if ((e.key === "ArrowLeft" || e.key === "PageUp") && slide.page > 0) { restartClock(); slide = { ...slide, page: slide.page - 1 }; render(); }
});
window.addEventListener("resize", () => render());
onLanguage(() => render());

// A link no longer valid: the screen says so, instead of a last state that no longer moves.
function stop(reason = "") {
  clearTimeout(advanceTimer);
  tr($("#status"), null);  // not "Verbinden…" for ever: the card says what to do
  keyRefused(workshopId, "plenary", { reason });
}

if (token) {
  api("GET", `/api/workshops/${workshopId}`, token).then((data) => {
    overview = data;
    rememberCode(workshopId, data.join_code);  // to tell a deleted workshop from a wrong key later
    for (const r of data.rooms) if (!online.has(r.id)) online.set(r.id, r.online);
    useWorkshopLanguage(data.language);
    render();
  }).catch((error) => {
    if (error.code === "unauthorized" || error.code === "not_found") stop(); else tr($("#status"), "err_network");
  });
  const status = (s) => {
    if (document.body.dataset.needsLink) return;  // a link that no longer works: the card says so
    tr($("#status"), s === "open" ? null : s);
    $("#status").classList.toggle("offline", s !== "open");
  };
  const synthesis = new PlenarySocket({
    workshopId, token, room: "synthesis",
    handlers: {
      snapshot: (_room, board) => { state.load(board); render(); },
      events: (events) => {
        const before = state.view;
        for (const e of events) {
          state.apply(e);
          // A closed poll's result stays up a while; one nobody answered has none to show.
          if (e.op === "poll.closed") closedPollUntil = state.lastPoll()?.answers ? Date.now() + CLOSED_POLL_MS : 0;
          if (e.op === "poll.opened") closedPollUntil = 0;
        }
        if (state.view !== before) { slide = { view: null, page: 0 }; restartClock(); }
        render();
      },
      status,
      fatal: (_code, reason) => stop(reason),
    },
  });
  synthesis.connect();
  const all = new PlenarySocket({
    workshopId, token, room: "*",
    handlers: {
      snapshot: (room, snap) => { const b = new BoardState(); b.load(snap); boards.set(room, b); render(); },
      events: (events) => { for (const e of events) boards.get(e.room)?.apply(e); if (["activity", "scenarios", "join"].includes(slide.view)) render(); },
      presence: (frame) => { online.set(frame.room, frame.online.length); if (["activity", "join"].includes(slide.view)) render(); },
    },
  });
  all.connect();
} else {
  keyRefused(workshopId, "plenary", { invalid: false });
}
