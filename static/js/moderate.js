// The moderator's console: every room live, the controls, the projection's view, polls,
// the synthesis with its edits and suggestions, exports and a follow-up workshop.
import { $, actingSelect, api, clearFieldError, confirmHere, copyButton, keepFocusNearby, countdown, download, exportName, fieldError, fragmentToken, h, keyRefused, markGone, rememberCode, showGone, skipLinks } from "./dom.js";
import { clockTime, initLanguageSwitch, onLanguage, showError, t, tr, useWorkshopLanguage } from "./i18n.js";
import { PlenarySocket } from "./socket.js";
import { BoardState } from "./board_state.js";
import { keepFocus, markDirty } from "./board_view.js";
import { SynthesisState, clusterText, rankingNote, scoreParts } from "./synthesis_state.js";

const workshopId = document.body.dataset.workshop;
const token = fragmentToken(`plenary.mod.${workshopId}`);
const base = `/api/workshops/${workshopId}`;
const STUCK_MS = 3 * 60 * 1000;
const WRITING = ["collect", "cluster", "rate", "plot", "story", "path", "open"];
const VIEWS = ["auto", "join", "activity", "items", "chart", "scenarios", "poll"];
let overview = null;
const rooms = new Map();  // id -> { info (overview), board (BoardState), online, lastActivity, phaseSince }
const ticked = new Set();
const synthesis = new SynthesisState();
let synthesisSocket = null;
let roomsSocket = null;  // every room's events: a phase control waits for its own
let phaseDirty = false;
initLanguageSwitch();
keepFocusNearby();
skipLinks($(".skipnav"));

// --- the workshop and its rooms ---
async function loadOverview() {
  overview = await api("GET", base, token);
  useWorkshopLanguage(overview.language);
  $("#w-title").textContent = overview.title;
  $("#w-question").textContent = overview.question;
  $("#w-horizon").hidden = !overview.horizon;
  $("#w-horizon").textContent = overview.horizon ? `${t("horizon")}: ${overview.horizon}` : "";
  $("#join-code").textContent = overview.join_code;
  rememberCode(workshopId, overview.join_code);  // to tell a deleted workshop from a wrong key later
  const join = `${location.origin}/join/${overview.join_code}`;
  $("#join-link").href = join; $("#join-link").textContent = join;
  $("#qr").src = `/join/${overview.join_code}/qr.svg`; $("#qr").alt = join;
  $("#dl-csv-semicolon").hidden = overview.language !== "nl";
  if (!viewKeyed) renderViews();  // which views the method has (not while arrows browse them)
  $("#report-link").href = `/w/${workshopId}/report#token=${encodeURIComponent(token)}`;
  // The follow-up form starts from this workshop; later reloads leave the moderator's choices.
  if (!$("#followup-form").dataset.filled) {
    $("#followup-form").dataset.filled = "1";
    $("#fu-title").value = overview.title;
    $("#fu-method").value = overview.method;
    $("#fu-rooms").value = String(overview.rooms.length);
  }
  for (const r of overview.rooms) {
    const known = rooms.get(r.id);
    if (known) Object.assign(known, { info: r, online: known.online ?? r.online });
    else rooms.set(r.id, { info: r, board: null, online: r.online, lastActivity: null, phaseSince: r.last_activity ? Date.parse(r.last_activity) : null });
  }
  renderPhaseSelect();
  renderRooms();
}

function targetIds() { return ticked.size ? [...ticked] : [...rooms.keys()]; }
function targets() { return ticked.size ? [...ticked] : undefined; }
function phaseOf(r) { return r.board?.phase ?? r.info.phase; }

// The selector shows the targeted rooms' phase, or "mixed"; never a stale default.
function renderPhaseSelect() {
  if (!overview) return;
  const select = $("#phase-select");
  const phases = new Set(targetIds().map((id) => phaseOf(rooms.get(id))));
  const mixed = phases.size !== 1;
  const wanted = phaseDirty ? select.value : (mixed ? "" : [...phases][0]);
  select.replaceChildren(
    ...(mixed ? [h("option", { value: "", text: `(${t("mixed")})`, disabled: true })] : []),
    ...overview.phases.map((p) => h("option", { value: p, text: t(`phase_${p}`) })));
  select.value = wanted;
  if (select.value !== wanted) { select.value = mixed ? "" : [...phases][0]; phaseDirty = false; }
  // The ticked groups by name (tenth trial: "1 ticked" left the moderator to look which).
  tr($("#targets-now"), ticked.size ? "ticked_rooms" : "all_rooms", overview.rooms.filter((r) => ticked.has(r.id)).map((r) => r.name));
}
$("#phase-select").addEventListener("change", () => { phaseDirty = true; });

function quietFor(r, now) {
  const since = Math.max(r.lastActivity ?? 0, r.phaseSince ?? 0);
  return since ? now - since : Infinity;
}

function miniCross(r) {
  const axes = r.board?.axes;
  if (!axes?.x || !axes?.y) return h("p", { class: "mini", text: `${t("cross_of")}: ${t("no_cross")}` });
  const line = (a) => `${a.title} (${a.low || t("low")} ↔ ${a.high || t("high")})`;
  const unnamed = [axes.x, axes.y].some((a) => !a.low || !a.high);
  return h("div", { class: "mini" }, h("strong", { text: `${t("cross_of")}: ` }),
    h("div", { text: `↔ ${line(axes.x)}` }), h("div", { text: `↕ ${line(axes.y)}` }),
    unnamed ? h("div", { class: "warn", text: t("poles_unnamed_short") }) : null);
}

function miniPath(r) {
  const steps = r.board ? r.board.steps() : [];
  if (!steps.length) return null;
  return h("div", { class: "mini" }, h("strong", { text: `${t("path_of")} (${t("steps_n", steps.length)})` }),
    h("ol", {}, ...steps.map((s) => h("li", { text: s.when ? `${s.when}: ${s.text ?? ""}` : (s.text ?? "") }))));
}

function renderRooms() {
  if (!overview) return;
  const now = Date.now();
  const tiles = [...rooms.values()].map((r) => {
    const info = r.info;
    const phase = phaseOf(r);
    const quiet = quietFor(r, now);
    const stuck = WRITING.includes(phase) && quiet > STUCK_MS;
    const timer = h("span", { class: "timer" });
    // The live board's timer once there is one (null: stopped or cleared), else the overview's.
    countdown(timer, r.board ? r.board.timerEndsAt : info.timer_ends_at, { format: (left) => t("timer_left", left) });
    const locked = r.board?.locked ?? info.locked;
    // A route's steps are counted apart from the notes (ninth trial: "Briefjes 14" were 9
    // notes and 5 steps); the overview's count, before the live board, is all of them.
    const steps = r.board ? [...r.board.notes.values()].filter((n) => n.lane === "step").length : 0;
    const notes = r.board ? r.board.notes.size - steps : info.notes;
    const box = h("input", { type: "checkbox", value: info.id, checked: ticked.has(info.id), dataset: { focus: `tick-${info.id}` } });
    box.addEventListener("change", () => { if (box.checked) ticked.add(info.id); else ticked.delete(info.id); phaseDirty = false; renderPhaseSelect(); });
    const moveSelect = (p) => actingSelect(h("select", { "aria-label": `${t("move")}: ${p.label ?? p.name}`, dataset: { focus: `move-${p.participant_id}` } },
      h("option", { value: "", text: t("move") }), ...overview.rooms.filter((o) => o.id !== info.id).map((o) => h("option", { value: o.id, text: o.name }))),
    (room) => room && control(`/participants/${p.participant_id}/move`, { room },
      { ok: () => ["person_moved", p.label ?? p.name, overview.rooms.find((o) => o.id === room)?.name ?? ""] })
      .then(loadOverview).then(() => focusAfterMove(info, p)));
    const last = Math.max(r.lastActivity ?? 0);
    return h("article", { class: `tile${stuck ? " stuck" : ""}`, dataset: { room: info.id } },
      h("h3", {}, h("label", { class: "check" }, box, info.name), locked ? h("span", { class: "badge", text: t("locked") }) : null),
      h("dl", { class: "facts" },
        h("dt", { text: t("phase") }), h("dd", { text: t(`phase_${phase}`) }),
        h("dt", { text: t("online") }), h("dd", { text: String(r.online ?? 0) }),
        h("dt", { text: t("notes") }), h("dd", { text: String(notes) }),
        steps ? h("dt", { text: t("lane_step") }) : null, steps ? h("dd", { text: String(steps) }) : null,
        h("dt", { text: t("timer") }), h("dd", {}, timer),
        h("dt", { text: t("last_activity") }), h("dd", {}, last ? clockTime(new Date(last).toISOString()) : "—",
          stuck ? h("span", { class: "quiet", text: ` (${Number.isFinite(quiet) ? t("quiet_since", Math.floor(quiet / 60000)) : t("stuck")})` }) : null)),
      overview.method === "scenario" ? miniCross(r) : null,
      overview.method === "backcast" ? miniPath(r) : null,
      h("div", { class: "row" },
        h("button", { type: "button", text: locked ? t("unlock") : t("lock"), dataset: { focus: `lock-${info.id}` }, onclick: () => control(`/rooms/${info.id}/lock`, { locked: !locked }) }),
        h("a", { href: `/w/${workshopId}/room/${info.id}#token=${encodeURIComponent(token)}`, target: "_blank", rel: "noopener", text: t("open_board") })),
      people(info, moveSelect));
  });
  keepFocus($("#rooms"), () => $("#rooms").replaceChildren(...tiles));
  renderPhaseSelect();
}
setInterval(renderRooms, 15000);

// After moving someone by keyboard the focus goes to the next person of that room (or the
// one before, or the room's list), not to whatever the redraw left first (eleventh trial).
function focusAfterMove(info, moved) {
  if (document.activeElement && document.activeElement !== document.body && document.activeElement.isConnected) {
    if (!document.activeElement.closest(`[data-room="${info.id}"]`)) return;  // they went on elsewhere
  }
  const list = info.participants || [];
  const at = list.findIndex((p) => p.participant_id === moved.participant_id);
  const next = list[at + 1] ?? list[at - 1];
  const target = (next && document.querySelector(`[data-focus="move-${next.participant_id}"]`))
    || document.querySelector(`[data-focus="people-${info.id}"]`);
  target?.focus();
}

// A room's people fold under one line ("9 deelnemers"), so eight tiles fit above the
// synthesis; opened, the list (with a move menu each) stays open across redraws.
const peopleOpen = new Set();
function people(info, moveSelect) {
  const list = info.participants || [];
  if (!list.length) return null;
  const box = h("details", { class: "people", open: peopleOpen.has(info.id) },
    h("summary", { text: t("participants_n", list.length), dataset: { focus: `people-${info.id}` } }),
    h("ul", {}, ...list.map((p) => h("li", {}, `${p.label ?? p.name} `, moveSelect(p)))));
  box.addEventListener("toggle", () => { if (box.open) peopleOpen.add(info.id); else peopleOpen.delete(info.id); });
  return box;
}

// A control's confirmation is about that moment: it goes after a while (ninth trial:
// "Bericht verstuurd." stood under unrelated actions long after).
let okFades = null;
async function control(path, body, { ok = null } = {}) {
  tr($("#control-error"), null); tr($("#control-ok"), null);
  try {
    const answer = await api("POST", `${base}${path}`, token, body);
    if (ok) {
      const [key, ...args] = ok(answer);
      tr($("#control-ok"), key, ...args);
      clearTimeout(okFades);
      okFades = setTimeout(() => tr($("#control-ok"), null), 10000);
    }
    return answer;
  } catch (error) {
    showError($("#control-error"), error.code);
    return null;
  }
}

// Counted by room: a phase change may bring a second event in a room (its ended timer cleared).
const changed = (answer) => {
  const rooms = new Set((answer.events || []).map((e) => e.room)).size;
  return rooms ? ["phase_set_ok", rooms] : ["nothing_changed"];
};

// Where a phase control takes a room: one step for next/previous (staying at either end).
function destination(phase, id) {
  const order = overview.phases;
  const now = order.indexOf(phaseOf(rooms.get(id)));
  if (phase === "next") return Math.min(now + 1, order.length - 1);
  if (phase === "previous") return Math.max(now - 1, 0);
  return order.indexOf(phase);
}

// Setting a phase back (or "previous") asks first: it takes rooms out of their work.
// So does closing: the phones become read-only, the workshop's end.
function phaseQuestion(phase, ids) {
  const now = (id) => overview.phases.indexOf(phaseOf(rooms.get(id)));
  const back = ids.filter((id) => destination(phase, id) < now(id));
  if (back.length) return phase === "previous" ? t("confirm_back_one", back.length) : t("confirm_back", t(`phase_${phase}`), back.length);
  const closed = overview.phases.indexOf("closed");
  const closing = ids.filter((id) => closed >= 0 && destination(phase, id) === closed && now(id) !== closed);
  return closing.length ? t("confirm_close", closing.length) : null;
}

// One phase change at a time: its controls ignore clicks from the first until the rooms
// show the change, so a double-click on "Volgende" is one step (it was two: lobby, open,
// closed). aria-disabled, not disabled: the focus stays on the button.
let phaseBusy = false;
const PHASE_CONTROLS = ["#phase-set", "#phase-prev", "#phase-next"];
function markPhaseBusy(busy) {
  phaseBusy = busy;
  for (const sel of PHASE_CONTROLS) if (busy) $(sel).setAttribute("aria-disabled", "true"); else $(sel).removeAttribute("aria-disabled");
}

// The change is on screen once the rooms' socket has applied each answered event; without
// it in time (a socket down), the overview is read again instead.
async function reflected(answer) {
  const events = answer.events || [];
  const missing = () => events.some((e) => !roomsSocket || (roomsSocket.seq[e.room] ?? 0) < e.seq);
  const deadline = Date.now() + 5000;
  while (missing() && Date.now() < deadline) await new Promise((resolve) => { setTimeout(resolve, 50); });
  if (missing()) await loadOverview().catch(() => null);
}

async function setPhase(phase, anchor) {
  if (phaseBusy) return;
  markPhaseBusy(true);
  try {
    const question = phaseQuestion(phase, targetIds());
    if (question && !(await confirmHere(anchor, question))) return;
    const answer = await control("/phase", { phase, rooms: targets() }, { ok: changed });
    if (answer) { await reflected(answer); phaseDirty = false; renderPhaseSelect(); }
  } finally {
    markPhaseBusy(false);
  }
}
$("#phase-set").addEventListener("click", () => { if ($("#phase-select").value) setPhase($("#phase-select").value, $("#phase-row")); });
$("#phase-next").addEventListener("click", () => setPhase("next", $("#phase-row")));
$("#phase-prev").addEventListener("click", () => setPhase("previous", $("#phase-row")));
// A click on a waiting control leaves the focus where it is (on a question's "Nee").
for (const sel of PHASE_CONTROLS) $(sel).addEventListener("mousedown", (e) => { if (phaseBusy) e.preventDefault(); });
// A timer of 1 to 120 minutes, said beside the field otherwise (tenth trial: 0 said "Timer
// gezet." and did nothing; 999 got a vague error); Enter in the field starts it.
$("#timer-start").addEventListener("click", () => {
  const minutes = Number($("#timer-min").value);
  clearFieldError($("#timer-min"));
  if (!(minutes > 0 && minutes <= 120)) { fieldError($("#timer-min"), "need_minutes"); return; }
  control("/timer", { seconds: Math.round(minutes * 60), rooms: targets() }, { ok: () => ["timer_ok"] });
});
$("#timer-min").addEventListener("keydown", (e) => { if (e.key === "Enter") { e.preventDefault(); $("#timer-start").click(); } });
$("#timer-stop").addEventListener("click", () => control("/timer", { seconds: 0, rooms: targets() }, { ok: () => ["timer_stopped"] }));
$("#reveal").addEventListener("click", () => {
  if (!overview.private_notes) { tr($("#control-error"), null); tr($("#control-ok"), "reveal_not_private"); return; }
  control("/reveal", { rooms: targets() }, { ok: (a) => (a.events?.length ? ["revealed_ok", a.events.length] : ["nothing_changed"]) });
});
$("#broadcast-send").addEventListener("click", async () => {
  const message = $("#broadcast-text").value.trim();
  clearFieldError($("#broadcast-text"));
  if (!message) { fieldError($("#broadcast-text"), "need_message"); return; }
  if (await control("/broadcast", { message, rooms: targets() }, { ok: () => ["broadcast_ok"] })) $("#broadcast-text").value = "";
});
$("#broadcast-text").addEventListener("keydown", (e) => { if (e.key === "Enter") { e.preventDefault(); $("#broadcast-send").click(); } });

// Only participants' own work counts as activity: not the moderator's controls or messages.
function byParticipant(event) {
  return typeof event.by === "string" && event.by.startsWith("p_")
    || (event.by === null && ["vote.tally", "story.edited"].includes(event.op));
}

function onRoomEvent(event) {
  const r = rooms.get(event.room);
  if (!r) return;
  r.board?.apply(event);
  if (byParticipant(event)) r.lastActivity = Date.now();
  if (event.op === "phase.changed") r.phaseSince = Date.now();
}

function lastParticipantWork(board) {
  let last = 0;
  for (const note of board.notes.values()) if (note.author?.startsWith("p_")) last = Math.max(last, Date.parse(note.updated_at || note.created_at));
  for (const story of board.stories.values()) if (story.updated_at && story.version) last = Math.max(last, Date.parse(story.updated_at));
  return last || null;
}

// --- the projection ---
$("#open-projection").addEventListener("click", async () => {
  tr($("#proj-error"), null);
  const win = window.open("about:blank", "_blank");
  try {
    const link = await api("POST", `${base}/projector-link`, token, {});
    const url = `${location.origin}/w/${workshopId}/plenary#token=${encodeURIComponent(link.projector_token)}`;
    if (win) { win.opener = null; win.location.href = url; }
    $("#projection-link").href = url; $("#projection-link").textContent = url;
    $("#projection-opened").hidden = false;
  } catch (error) {
    win?.close();
    showError($("#proj-error"), error.code);
  }
});

let viewKeyed = false;
async function showView(v) {
  viewKeyed = false;
  if (v === synthesis.view) return;
  const answer = await synthesisSocket.send("plenary.view", { view: v });
  if (answer.type === "error") showError($("#proj-error"), answer.code); else tr($("#proj-error"), null);
}
$("#views").addEventListener("keydown", (e) => {
  if (e.key.startsWith("Arrow")) viewKeyed = true;
  else if (e.key === "Enter" || e.key === " ") {
    const checked = $("#views").querySelector("input:checked");
    if (checked) { e.preventDefault(); showView(checked.value); }
  }
});
$("#views").addEventListener("focusout", (e) => {
  if (viewKeyed && !$("#views").contains(e.relatedTarget)) { viewKeyed = false; renderViews(); }
});

function renderViews() {
  const box = $("#views");
  const legend = box.querySelector("legend");
  // A free break-out neither votes nor draws crosses: no chart or scenarios to project.
  const shown = overview?.method === "free" ? VIEWS.filter((v) => v !== "chart" && v !== "scenarios") : VIEWS;
  // While arrow keys browse the views, a redraw keeps the browsed one (not the wall's).
  const current = (viewKeyed && box.querySelector("input:checked")?.value) || synthesis.view;
  keepFocus(box, () => box.replaceChildren(legend, ...shown.map((v) => {
    const input = h("input", { type: "radio", name: "view", value: v, checked: current === v, dataset: { focus: `view-${v}` } });
    // A click shows the view at once; arrow keys only move the choice (the wall must not
    // flick through views): Enter or Space shows it, leaving the group puts it back.
    input.addEventListener("change", () => { if (!viewKeyed) showView(v); });
    // In a backcasting workshop the rooms' results are their paths, not crosses.
    const label = v === "scenarios" && overview?.method === "backcast" ? "view_paths" : `view_${v}`;
    return h("label", { class: "check" }, input, t(label));
  })));
}

// --- polls ---
// The answers counted under a result in other words, each once: a long answer grouped
// under a short one can still be read out (seventh trial).
const wordingKey = (text) => text.toLowerCase().split(/\s+/).filter(Boolean).join(" ").replace(/[.!?]+$/, "");
function otherWordings(result) {
  const seen = new Set([wordingKey(result.text)]);
  return (result.answers || []).filter((a) => { const k = wordingKey(a); if (seen.has(k)) return false; seen.add(k); return true; });
}
const openWordings = new Set();  // which lists the moderator unfolded: kept across live updates

function pollBars(poll) {
  const results = poll.results || [];
  const top = Math.max(1, ...results.map((r) => (poll.kind === "rank" ? r.points : r.count)));
  return h("ol", { class: "bars" }, ...results.map((r) => {
    const value = poll.kind === "rank" ? r.points : r.count;
    const fill = h("span", { class: "fill" });
    fill.style.width = `${Math.round((100 * value) / top)}%`;
    const others = poll.kind === "open" ? otherWordings(r) : [];
    const key = `${poll.id}:${r.text}`;
    const more = others.length ? h("details", { class: "wordings", open: openWordings.has(key) },
      h("summary", { text: t("poll_other_words", others.length), dataset: { focus: `words-${key}` } }),
      h("ul", {}, ...others.map((a) => h("li", { text: a })))) : null;
    more?.addEventListener("toggle", () => { if (more.open) openWordings.add(key); else openWordings.delete(key); });
    return h("li", { class: "bar" }, h("span", { text: r.text }),
      h("span", { class: "hint", text: poll.kind === "rank" ? t("points", r.points) : `${r.count}×` }), fill, more);
  }));
}

// Locked groups cannot answer (a lock stops every change of theirs): said beside the poll.
function lockedRoomsLine() {
  const locked = [...rooms.values()].filter((r) => r.board?.locked ?? r.info.locked).map((r) => r.info.name);
  return locked.length ? h("p", { class: "warn", id: "poll-locked", text: t("poll_locked_rooms", locked.join(", ")) }) : null;
}

// Set when the moderator asks a poll: its close button takes the focus once it is drawn.
let focusPollClose = false;

function renderPolls() {
  const open = synthesis.openPoll();
  const live = $("#poll-live");
  // Answers redraw the live poll: the focus stays on its control (eleventh trial: it went to
  // "1 antwoord in andere woorden", so Enter unfolded that instead of closing the poll).
  if (open) {
    keepFocus(live, () => live.replaceChildren(h("div", { class: "poll-live" },
      h("h3", { text: open.question }),
      h("p", { class: "hint", text: `${t("poll_live")} · ${t("answers", open.answers)}` }),
      lockedRoomsLine(),
      pollBars(open),
      h("button", { type: "button", class: "primary", id: "poll-close", text: t("poll_close"), dataset: { focus: "poll-close" }, onclick: async () => {
        try { await api("POST", `${base}/polls/${open.id}/close`, token, {}); } catch (error) { showError($("#poll-error"), error.code); }
      } }))));
    if (focusPollClose) { focusPollClose = false; $("#poll-close").focus(); }
  } else {
    live.replaceChildren(h("p", { class: "hint", text: t("poll_none_open") }));
  }
  $("#poll-form").hidden = Boolean(open);
  const past = synthesis.polls.filter((p) => !p.open);
  $("#poll-past").hidden = !past.length;
  $("#poll-past-list").replaceChildren(...past.slice().reverse().map((p) => h("div", { class: "poll-live" },
    h("h3", { text: p.question }), h("p", { class: "hint", text: t("answers", p.answers) }), pollBars(p))));
}

function pollKind() { return document.querySelector("input[name=poll-kind]:checked").value; }
function syncPollForm() {
  const rank = pollKind() === "rank";
  const fromSynthesis = $("#poll-from-synthesis").checked;
  $("#rank-fields").hidden = !rank;
  $("#poll-top-label").hidden = !fromSynthesis;
  $("#poll-options-label").hidden = fromSynthesis;
  // A follow-up ranks what the session before concluded, before it has a synthesis of its
  // own (twelfth trial: the five had to be typed again).
  $("#poll-from-previous").hidden = fromSynthesis || !overview?.previous?.items?.length;
}
$("#poll-from-previous").addEventListener("click", () => {
  $("#poll-options").value = overview.previous.items.map((item) => item.title).join("\n");
  clearFieldError($("#poll-options"));
  $("#poll-options").focus();
});
for (const el of document.querySelectorAll("input[name=poll-kind], #poll-from-synthesis")) el.addEventListener("change", syncPollForm);
$("#poll-form").addEventListener("submit", async (e) => {
  e.preventDefault();
  tr($("#poll-error"), null);
  const body = { question: $("#poll-question").value.trim(), kind: pollKind() };
  clearFieldError($("#poll-question"));
  if (!body.question) { fieldError($("#poll-question"), "need_poll_question"); return; }
  if (body.kind === "rank") {
    if ($("#poll-from-synthesis").checked) body.from_synthesis = Number($("#poll-top").value);
    else {
      body.options = $("#poll-options").value.split("\n").map((o) => o.trim()).filter(Boolean);
      clearFieldError($("#poll-options"));
      if (body.options.length < 2) { fieldError($("#poll-options"), "need_poll_options"); return; }
      if (new Set(body.options.map((o) => o.toLowerCase())).size < body.options.length) { fieldError($("#poll-options"), "poll_option_twice"); return; }
    }
    body.pick = Number($("#poll-pick").value);
    const count = body.options ? body.options.length : Math.min(body.from_synthesis, synthesis.items.length);
    if (count < body.pick) body.pick = Math.max(1, count);
  }
  try {
    await api("POST", `${base}/polls`, token, body);
    $("#poll-question").value = ""; $("#poll-options").value = "";
    // The form goes as the poll opens: its close button is where the moderator goes next.
    if ($("#poll-close")) $("#poll-close").focus(); else focusPollClose = true;
  } catch (error) {
    if (error.code === "conflict") tr($("#poll-error"), synthesis.openPoll() || !body.from_synthesis ? "err_poll_open" : "err_no_synthesis");
    else showError($("#poll-error"), error.code);
  }
});

// --- synthesis ---
function renderItems() {
  const list = $("#items");
  // Merging and the score's explanation only mean something once there are items.
  $("#merge").parentElement.hidden = !synthesis.items.length;
  $("#score-explain").hidden = !synthesis.items.length;
  suggestFollowupQuestion();
  tr($("#score-explain"), rankingNote(synthesis, overview?.method));
  const items = synthesis.byLane();
  const headed = synthesis.headedLanes();
  // Lane by lane under a heading where the lanes are different questions (backcasting).
  const laneHead = (item, k) => (headed && (k === 0 || items[k - 1].lane !== item.lane)
    ? h("li", { class: "lane-head", role: "presentation" }, h("h3", { text: t(`lane_${item.lane}`) })) : null);
  keepFocus(list, () => list.replaceChildren(...items.flatMap((item, k) => [laneHead(item, k), itemCard(item)].filter(Boolean))));
}

// One item in the console: its title to rename, its rooms and score, its notes to split or move.
function itemCard(item) {
  const others = synthesis.items.filter((i) => i.id !== item.id && i.lane === item.lane);
  const title = markDirty(h("input", { value: item.title, "aria-label": `${t("rename")}: ${item.title}`, maxlength: 280, dataset: { focus: `title-${item.id}` } }));
  const rename = () => edit("item.rename", { id: item.id, title: title.value.trim() });
  title.addEventListener("keydown", (e) => { if (e.key === "Enter") { e.preventDefault(); rename(); } });
  return h("li", { dataset: { id: item.id } },
    h("div", { class: "title-edit" },
      h("input", { type: "checkbox", class: "merge-pick", value: item.id, "aria-label": `${t("merge_selected")}: ${item.title}`, dataset: { focus: `merge-${item.id}` } }),
      title, h("button", { type: "button", text: t("rename"), dataset: { focus: `rename-${item.id}` }, onclick: rename })),
    h("div", { class: "hint" }, ...synthesis.roomsOf(item).map((r) => h("span", { class: "room-badge", text: synthesis.roomName(r) })), " ", scoreParts(item, synthesis, t)),
    item.clusters?.length ? h("div", { class: "hint item-clusters" }, h("span", { class: "label", text: `${t("clusters")}: ` }),
      clusterText(synthesis.clustersOf(item), (r) => synthesis.roomName(r))) : null,
    titlesFromClusters(item),
    ...noteLists(item, (n) => h("li", {},
      h("label", { class: "check" }, h("input", { type: "checkbox", class: "split-pick", value: n.note_id, dataset: { focus: `split-${n.note_id}` } }), `${n.text} (${synthesis.roomName(n.room)})`),
      others.length ? actingSelect(h("select", { "aria-label": `${t("move")}: ${n.text}`, dataset: { focus: `movenote-${n.note_id}` } },
        h("option", { value: "", text: t("move") }), ...others.map((o) => h("option", { value: o.id, text: o.title }))),
      (to) => to && edit("item.move_note", { note_id: n.note_id, to })) : null)),
    item.notes.length > 1 ? h("button", { type: "button", text: t("split"), onclick: (e) => {
      const picked = [...e.target.closest("li").querySelectorAll(".split-pick:checked")].map((c) => c.value);
      if (picked.length) edit("item.split", { id: item.id, note_ids: picked });
    } }) : null);
}

// The groups' own names for what an item holds, offered as its title with one tap (twelfth
// trial: three groups named the cluster "Technology & robots" and the item was titled by
// one note, "More robots for lifting").
function titlesFromClusters(item) {
  const seen = new Set([item.title.trim().toLowerCase()]);
  const titles = synthesis.clustersOf(item).map((c) => c.title).filter((title) => {
    const key = title.trim().toLowerCase();
    if (seen.has(key)) return false;
    seen.add(key);
    return true;
  });
  if (!titles.length) return null;
  return h("div", { class: "hint title-choices" }, h("span", { class: "label", text: `${t("as_title")}: ` }),
    ...titles.map((title) => h("button", { type: "button", class: "chip", text: title, "aria-label": `${t("as_title")}: ${title}`,
      dataset: { focus: `as-title-${item.id}-${title}` }, onclick: () => edit("item.rename", { id: item.id, title }) })));
}

// An item's notes: the first three in view, the rest folded ("nog 5 briefjes"), so a
// synthesis of eight rooms stays a list to read, not a page of thousands of pixels.
// What the moderator unfolded stays open when the list is drawn again.
const SHOWN_NOTES = 3;
const unfolded = new Set();
function noteLists(item, row) {
  if (item.notes.length <= SHOWN_NOTES + 1) return [h("ul", {}, ...item.notes.map(row))];
  const more = h("details", { class: "more-notes", open: unfolded.has(item.id) },
    h("summary", { text: t("more_notes", item.notes.length - SHOWN_NOTES), dataset: { focus: `more-${item.id}` } }),
    h("ul", {}, ...item.notes.slice(SHOWN_NOTES).map(row)));
  more.addEventListener("toggle", () => { if (more.open) unfolded.add(item.id); else unfolded.delete(item.id); });
  return [h("ul", {}, ...item.notes.slice(0, SHOWN_NOTES).map(row)), more];
}

async function edit(op, data) {
  const answer = await synthesisSocket.send(op, data);
  if (answer.type === "error") showError($("#syn-error"), answer.code); else tr($("#syn-error"), null);
  return answer;
}

// --- suggestions: the groupings the synthesis is least sure of, settled with one tap ---
const settling = new Set();  // suggestion ids sent and not yet answered
let refocus = null;  // { id, index } of an answered suggestion: focus its successor once it is gone

function suggestionLine(s, id) {
  const [first, second] = s.items.map((i) => synthesis.item(i)?.title ?? "");
  // No "likely" label: on the labelled sets about one suggestion in three was right
  // (docs/synthesis.md), whatever its strength. The order is surest first.
  const quoted = (text, cls = "") => h("span", { class: `quoted ${cls}`.trim(), text: `«${text}»` });
  if (s.kind === "merge") {
    return h("p", { class: "sug-q", id }, h("strong", { text: t("sug_merge") }), " ", quoted(first), " + ", quoted(second));
  }
  const note = synthesis.noteText(s.note_id) ?? "";
  return h("p", { class: "sug-q", id }, h("strong", { text: t("sug_move") }), " ",
    quoted(note, "sug-note"), ` ${t("sug_to")} `, quoted(second), " ",
    // Where it is now, unless that item bears the note's own words.
    first !== note ? h("span", { class: "from", text: `(${t("sug_now_in", first)})` }) : null);
}

function renderSuggestions() {
  const box = $("#suggestions");
  const list = $("#suggestion-list");
  const shown = synthesis.suggestions.slice(0, 12);
  box.hidden = !synthesis.items.length;
  box.classList.toggle("empty", !shown.length);  // nothing to decide: a quiet line, no box
  keepFocus(list, () => list.replaceChildren(...(shown.length ? shown.map((s, n) => {
    const busy = settling.has(s.id);
    const question = `sug-q-${n}`;
    const button = (yes) => h("button", {
      type: "button", class: yes ? "primary" : null, "aria-describedby": question, "aria-disabled": busy ? "true" : null,
      text: t(`sug_${s.kind}_${yes ? "yes" : "no"}`), dataset: { focus: `sug-${yes ? "yes" : "no"}-${s.id}` },
      onclick: () => settle(s, yes, n),
    });
    return h("li", { class: "suggestion", tabindex: "-1", "aria-labelledby": question, dataset: { id: s.id, kind: s.kind } },
      suggestionLine(s, question), h("div", { class: "sug-buttons" }, button(true), button(false)));
  }) : [h("li", { class: "none hint", text: t("no_suggestions") })])));
  // The answered suggestion is gone (with the button that had focus): focus the one that
  // took its place (the question, not its "yes": a second Enter must not decide it
  // unread), or the heading, so the keyboard carries on from here.
  if (refocus && !synthesis.suggestions.some((s) => s.id === refocus.id)) {
    if (!document.activeElement || document.activeElement === document.body) {
      const lines = list.querySelectorAll(".suggestion");
      (lines[Math.min(refocus.index, lines.length - 1)] || $("#sug-h")).focus();
    }
    refocus = null;
  }
}

// The last accepted suggestion can be taken back (eleventh trial: Tab and Enter merged two
// items by mistake, with no way back but splitting by hand). Taking back is the edit by
// hand that undoes it: a split (or a move back), which also keeps those notes apart.
let undoable = null;
function offerUndo(offer) {
  undoable = offer;
  $("#sug-undone").hidden = !offer;
  if (offer) tr($("#sug-undo-text"), offer.kind === "merge" ? "sug_merged" : "sug_moved");
}
function before(s) {
  const [a, b] = s.items.map((id) => synthesis.items.find((i) => i.id === id));
  if (!a || !b) return null;
  const notes = (item) => item.notes.map((n) => n.note_id);
  return s.kind === "merge" ? { kind: "merge", a: a.id, b: b.id, notes: { [a.id]: notes(a), [b.id]: notes(b) } }
    : { kind: "move", note: s.note_id, from: a.id, to: b.id };
}
$("#sug-undo").addEventListener("click", async () => {
  const offer = undoable;
  if (!offer) return;
  const exists = (id) => synthesis.items.some((i) => i.id === id);
  let op, data;
  if (offer.kind === "merge") {
    const kept = exists(offer.a) ? offer.a : offer.b;
    op = "item.split"; data = { id: kept, note_ids: offer.notes[kept === offer.a ? offer.b : offer.a] };
  } else if (exists(offer.from)) {
    op = "item.move_note"; data = { note_id: offer.note, to: offer.from };
  } else {
    op = "item.split"; data = { id: offer.to, note_ids: [offer.note] };  // its item went: alone again
  }
  const answer = await synthesisSocket.send(op, data);
  offerUndo(null);
  if (answer.type === "error") showError($("#syn-error"), answer.code);
  else { tr($("#syn-ok"), "sug_undone"); $("#sug-h").focus(); }
});

async function settle(s, accept, index) {
  if (settling.has(s.id)) return;
  settling.add(s.id);
  offerUndo(null);
  const was = accept ? before(s) : null;
  tr($("#syn-error"), null); tr($("#syn-ok"), null);
  renderSuggestions();
  const answer = await synthesisSocket.send(accept ? "suggestion.accept" : "suggestion.reject", { id: s.id });
  settling.delete(s.id);
  if (answer.type === "error") {
    if (answer.code === "not_found") { tr($("#syn-error"), "err_suggestion_gone"); synthesis.dropSuggestion(s.id); }
    else showError($("#syn-error"), answer.code);
  }
  if (answer.type !== "error" || answer.code === "not_found") refocus = { id: s.id, index };
  if (answer.type !== "error" && was) offerUndo(was);
  renderSuggestions();
}

// --- the subject lexicon: a workshop setting that a build uses and keeps ---
let lexiconBusy = false;
function renderLexicon() {
  const box = $("#lexicon");
  box.disabled = synthesis.lexicon === null;
  if (!lexiconBusy) box.checked = Boolean(synthesis.lexicon);
}
$("#lexicon").addEventListener("click", (e) => { if (lexiconBusy) e.preventDefault(); });
$("#lexicon").addEventListener("change", async (e) => {
  const lexicon = e.target.checked;
  lexiconBusy = true;
  tr($("#syn-error"), null); tr($("#syn-ok"), null);
  try {
    const board = await api("POST", `${base}/synthesis`, token, { lexicon });
    if (typeof board.lexicon === "boolean") synthesis.lexicon = board.lexicon;
    tr($("#syn-ok"), synthesis.lexicon ? "lexicon_on_ok" : "lexicon_off_ok");
  } catch (error) {
    showError($("#syn-error"), error.code);
    // The setting may be stored even when its build failed: show what the server has.
    try { synthesis.lexicon = (await api("GET", `${base}/synthesis`, token)).lexicon ?? synthesis.lexicon; } catch { /* keep */ }
  } finally {
    lexiconBusy = false;
    renderLexicon();
  }
});

// The first build of a large workshop takes seconds (eighth trial: 5-7 s of nothing):
// the button says it is working and takes no second press meanwhile.
let building = false;
$("#build").addEventListener("click", async () => {
  if (building) return;
  building = true;
  const button = $("#build");
  button.setAttribute("aria-disabled", "true");
  tr($("#syn-ok"), "building");
  tr($("#syn-error"), null);
  offerUndo(null);
  try {
    const board = await api("POST", `${base}/synthesis`, token, {});
    tr($("#syn-ok"), "built_ok", board.items?.length ?? 0);
  } catch (error) { tr($("#syn-ok"), null); showError($("#syn-error"), error.code); }
  finally { building = false; button.removeAttribute("aria-disabled"); }
});
// The merged item keeps the title of the first one ticked, as the guide says (tenth trial:
// the ids went in list order, so the higher-ranked title won whatever was ticked first).
let mergeOrder = [];
document.addEventListener("change", (e) => {
  if (!e.target.matches?.(".merge-pick")) return;
  mergeOrder = mergeOrder.filter((id) => id !== e.target.value);
  if (e.target.checked) mergeOrder.push(e.target.value);
});
$("#merge").addEventListener("click", () => {
  const checked = [...document.querySelectorAll(".merge-pick:checked")].map((c) => c.value);
  const ids = [...mergeOrder.filter((id) => checked.includes(id)), ...checked.filter((id) => !mergeOrder.includes(id))];
  if (ids.length >= 2) { mergeOrder = []; edit("item.merge", { ids }); }
});

// --- exports ---
for (const button of document.querySelectorAll("[data-export]")) {
  button.addEventListener("click", async () => {
    const kind = button.dataset.export;
    const [ext, query] = kind === "csv-semicolon" ? ["csv", "?sep=semicolon"] : [kind, ""];
    tr($("#export-error"), null);
    try { await download(`${base}/export.${ext}${query}`, token, exportName(overview?.title, ext, query ? "-excel-nl" : "")); }
    catch (error) { showError($("#export-error"), error.code); }
  });
}

// --- follow-up ---
// A question to start from, until the moderator writes one: the top item's title alone is a
// statement, not a question, and it would stand on every phone (eleventh trial).
function suggestFollowupQuestion() {
  const field = $("#fu-question");
  const top = synthesis.items[0];
  if (field.dataset.dirty === "1" || !top) return;
  field.value = t("followup_question", top.title);
}
markDirty($("#fu-question"));
$("#followup-form").addEventListener("submit", async (e) => {
  e.preventDefault();
  tr($("#fu-error"), null);
  const body = {
    title: $("#fu-title").value.trim(), method: $("#fu-method").value, rooms: Number($("#fu-rooms").value),
    language: overview.language, follows: workshopId, private_notes: overview.private_notes,
    hide_tallies: overview.hide_tallies, room_choice: overview.room_choice,
  };
  clearFieldError($("#fu-title"));
  if (!body.title) { fieldError($("#fu-title"), "need_title"); return; }
  const question = $("#fu-question").value.trim();
  if (question) body.question = question;
  if (overview.horizon) body.horizon = overview.horizon;
  try {
    const made = await api("POST", "/api/workshops", token, body);
    const links = {
      moderate: `${location.origin}/w/${made.id}/moderate#token=${encodeURIComponent(made.moderator_token)}`,
      plenary: `${location.origin}/w/${made.id}/plenary#token=${encodeURIComponent(made.projector_token)}`,
      join: `${location.origin}/join/${made.join_code}`,
    };
    for (const [key, href] of Object.entries(links)) {
      const a = $(`#fu-${key}`);
      a.href = href; a.textContent = href;
      // Shown once, like the home page's links (thirteenth trial: a reload lost the key).
      if (!a.nextElementSibling?.matches(".copy")) a.after(copyButton(a, key));
    }
    $("#fu-made").hidden = false;
  } catch (error) {
    showError($("#fu-error"), error.code);
  }
});

// --- deleting ---
$("#delete-workshop").addEventListener("click", async () => {
  if (!(await confirmHere($("#delete-workshop"), t("confirm_delete_workshop")))) return;
  try {
    await api("DELETE", base, token);
    markGone(workshopId);
    showGone();
  } catch (error) { showError($("#delete-ok"), error.code); }
});

function renderSynthesis() { renderItems(); renderSuggestions(); renderLexicon(); renderViews(); renderPolls(); renderStale(); }

// Notes added, changed or deleted on the boards since the synthesis was made: the merged
// board (and what the wall and the report show) leaves them out until it is made again.
// Notes still private to their writers stay out of a synthesis anyway, so they do not count.
function renderStale() {
  const line = $("#syn-stale");
  if (!synthesis.items.length) { tr(line, null); line.hidden = true; return; }
  const merged = new Map();
  for (const item of synthesis.items) for (const n of item.notes) merged.set(n.note_id, n.text);
  let changed = 0;
  const onBoards = new Set();
  for (const r of rooms.values()) {
    if (!r.board || (r.board.private && !r.board.revealed)) continue;
    for (const note of r.board.notes.values()) {
      if (!note.text) continue;
      onBoards.add(note.id);
      if (merged.get(note.id) !== note.text) changed += 1;
    }
  }
  for (const id of merged.keys()) if (!onBoards.has(id)) changed += 1;
  tr(line, changed ? "synthesis_stale" : null, changed);
  line.hidden = !changed;
}

onLanguage(() => { if (overview) { renderRooms(); renderSynthesis(); } });

let usable = Boolean(token);
if (!token) keyRefused(workshopId, "moderate", { invalid: false });
else {
  try { await loadOverview(); } catch (error) {
    if (error.code === "unauthorized" || error.code === "not_found") { keyRefused(workshopId, "moderate"); usable = false; }
    else showError($("#status"), error.code);
  }
}
if (usable) {
  const status = (s) => { tr($("#status"), s === "open" ? "connected" : s); $("#status").classList.toggle("offline", s !== "open"); };
  const all = new PlenarySocket({
    workshopId, token, room: "*",
    handlers: {
      snapshot: (room, snap) => {
        const r = rooms.get(room);
        if (!r) return;
        r.board = new BoardState();
        r.board.load(snap);
        r.lastActivity = Math.max(r.lastActivity ?? 0, lastParticipantWork(r.board) ?? 0) || null;
        renderRooms();
        renderStale();
      },
      events: (events) => {
        for (const e of events) onRoomEvent(e);
        renderRooms();
        renderStale();
        if (events.some((e) => e.op === "room.locked")) renderPolls();
      },
      presence: (frame) => {
        const r = rooms.get(frame.room);
        if (!r) return;
        r.online = frame.online.length;
        const names = frame.online.map((p) => p.participant_id).sort().join();
        const known = (r.info.participants || []).map((p) => p.participant_id);
        if (frame.online.some((p) => !known.includes(p.participant_id))) loadOverview().catch(() => renderRooms());
        else renderRooms();
        r.presenceKey = names;
      },
      status,
      fatal: (_code, reason) => { keyRefused(workshopId, "moderate", { reason }); },
    },
  });
  roomsSocket = all;
  all.connect();
  synthesisSocket = new PlenarySocket({
    workshopId, token, room: "synthesis",
    handlers: {
      snapshot: (_room, board) => { synthesis.load(board); renderSynthesis(); },
      events: (events) => {
        for (const e of events) synthesis.apply(e);
        // Answering a plenary poll is what everyone is doing: no room is quiet meanwhile.
        if (events.some((e) => e.op.startsWith("poll."))) { for (const r of rooms.values()) r.lastActivity = Date.now(); renderRooms(); }
        renderSynthesis();
      },
    },
  });
  synthesisSocket.connect();
  syncPollForm();
}
