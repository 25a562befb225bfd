// A room's board: connects, keeps the state, shows the phase's task first, sends what the
// person does. Errors are shown in the person's language by their code.
import { $, announce, confirmHere, countdown, fragmentToken, isMember, keepFocusNearby, keyRefused, limitCounter, motion, stored } from "./dom.js";
import { initLanguageSwitch, onLanguage, showError, t, tr, useWorkshopLanguage } from "./i18n.js";
import { PlenarySocket } from "./socket.js";
import { BoardState } from "./board_state.js";
import { renderForm, renderHeader, renderNotes, renderPrevious } from "./board_view.js";
import { nextStepX, renderPath, renderPlot, renderStories, renderVotes, showConflict } from "./board_tasks.js";
import { renderPoll } from "./board_poll.js";

const workshopId = document.body.dataset.workshop;
const roomId = document.body.dataset.room;
const moderatorToken = fragmentToken(`plenary.mod.${workshopId}`);
const member = stored(`plenary.member.${workshopId}`, null, isMember);
const token = moderatorToken || member?.token;
const state = new BoardState();
const MOVED_KEY = `plenary.moved.${workshopId}`;
let socket = null;
const ctx = {
  role: moderatorToken ? "moderator" : "participant",
  me: moderatorToken ? "moderator" : member?.participant_id,
  editing: null, renaming: null, refocus: null, refocusPath: null,
  draftVotes: new Map(), pollDraft: new Map(), pollSent: new Map(), dismissedPoll: null,
  // The lane chosen for the draft survives a reload with it (ninth trial: the words stayed,
  // the lane went back to the first, and the note landed in the wrong one).
  laneKey: `plenary.lane.${workshopId}.${roomId}`,
  send: (op, data) => send(op, data),
  sendRaw: (op, data) => socket.send(op, data),
  pendingNotes: () => (socket ? socket.unconfirmed("note.add") : []),
  startEdit: (id) => { ctx.editing = id; renderEditing(); },
  stopEdit: (id) => { ctx.editing = null; ctx.refocus = `edit-${id}`; renderEditing(); },
  startRename: (id) => { ctx.renaming = id; renderEditing(); },
  // Delete sits beside Edit, and a note cannot come back: asked first, in place. Others'
  // changes wait to be drawn meanwhile, so the question is not swept away.
  confirmDelete: async (id, button) => {
    ctx.confirming = id;
    const sure = await confirmHere(button, t("delete_note_q"));
    ctx.confirming = null;
    if (sure) send("note.delete", { id }); else render();
  },
  stopRename: (id) => { ctx.renaming = null; ctx.refocus = `rename-${id}`; renderEditing(); },
  vote: (target, axis, value) => vote(target, axis, value),
  setAxes: (name, side) => setAxes(name, side), axesInFlight: 0, axesSeq: 0,
  // An axis change is under way until its event is on the board, not only until its ack
  // (which comes first): a redraw in between would show the old axes, and the next pick
  // would send them back.
  axesBusy: () => ctx.axesInFlight > 0 || (socket?.seq[roomId] ?? 0) < ctx.axesSeq,
  editStory: (quadrant, field, input) => editStory(quadrant, field, input),
  editTraits: (quadrant, change) => editTraits(quadrant, change),
};

initLanguageSwitch();
keepFocusNearby();
if (!token) {
  keyRefused(workshopId, "board", { invalid: false });  // a participant whose workshop was deleted, reloading
} else {
  socket = new PlenarySocket({
    workshopId, token, room: roomId,
    pendingKey: `plenary.pending.${workshopId}.${ctx.me}`,
    handlers: {
      snapshot: (_room, snapshot) => {
        state.load(snapshot);
        ctx.axesSeq = 0;  // a snapshot holds every acknowledged change (and may start a new epoch)
        useWorkshopLanguage(snapshot.language);
        if (sessionStorage.getItem(MOVED_KEY)) { sessionStorage.removeItem(MOVED_KEY); notice("moved_to", state.name); }
        showMessage(snapshot.message);  // the room's broadcast of this phase, for late joiners too
        render();
      },
      events: (events) => { for (const event of events) onEvent(event); render(); jumpToTask(); },
      presence: (frame) => { $("#online").textContent = frame.online.map((p) => p.name).join(", "); },
      status: (status, pending) => {
        const el = $("#status");
        if (status === "open") tr(el, "connected");
        else if (pending) tr(el, "reconnecting_pending", pending);
        else tr(el, status);
        el.classList.toggle("offline", status !== "open");
        // Offline, this phone does not know who is online (tenth trial: it listed everyone).
        if (status !== "open") $("#online").textContent = "—";
        if (state.loaded && !ctx.editing) { renderNotes(state, ctx); if (state.method === "backcast") renderPath(state, ctx); }
      },
      moved: (room) => {
        if (member) localStorage.setItem(`plenary.member.${workshopId}`, JSON.stringify({ ...member, room_id: room }));
        sessionStorage.setItem(MOVED_KEY, "1");
        announce(t("moved"));
        location.assign(`/w/${workshopId}/room/${room}`);
      },
      // A key no longer valid (revoked, or the workshop deleted): forget it, so joining again works.
      fatal: (_code, reason) => {
        if (member) localStorage.removeItem(`plenary.member.${workshopId}`);
        tr($("#status"), "bad_token"); $("#status").classList.add("offline");
        keyRefused(workshopId, moderatorToken ? "moderate" : "board", { reason });
      },
    },
  });
  window.plenarySocket = socket;  // the browser tests reach the connection through this
  socket.connect();
}

function notice(key, ...args) {
  tr($("#notice-text"), key, ...args);
  $("#notice").hidden = false;
}
// Closing a notice hands the focus to the task it was covering.
$("#notice-close").addEventListener("click", () => { $("#notice").hidden = true; $("#task").focus(); });

// A new phase or poll while the person reads further down: the page goes to the new task,
// unless they are typing; then a bar offers the way, and goes once the task is in view.
let jump = null;
// Typing: a text field with focus and words in it (an empty one in focus is not in use).
const isTyping = (el = document.activeElement) =>
  Boolean(el?.matches("input:not([type=checkbox]):not([type=radio]), textarea") && el.value.trim());
// News that is no new task (a lock, a message, the time that ran out): when its place is
// out of view a bar says so, and the page stays where the person is.
const NEWS = {
  locked: ["locked-note", "locked_bar"], message: ["message", "message_bar"], time: ["phasebar", "time_up_bar"],
  result: ["poll", "poll_result_bar"],
};
const inView = (el) => { const box = el.getBoundingClientRect(); return box.top >= 0 && box.top < window.innerHeight * 0.6; };
function offerBar(target, key, arg, focus = target) {
  const bar = $("#to-task");
  tr(bar, key, arg);
  bar.dataset.target = target.id;
  bar.dataset.focus = focus.id;  // a new phase: shown from its name, the focus on its task
  bar.hidden = false;
}
function jumpToTask() {
  const kind = jump;
  jump = null;
  if (!kind) return;
  if (kind === "unlocked") { if ($("#to-task").dataset.target === "locked-note") $("#to-task").hidden = true; return; }
  if (NEWS[kind]) {
    const [id, key] = NEWS[kind];
    if (!$(`#${id}`).hidden && !inView($(`#${id}`))) offerBar($(`#${id}`), key);
    return;
  }
  // The focus of the last phase's control goes to the new task itself, not to its first
  // control (twelfth trial: a focus ring on the first "1" looked like a vote already cast).
  const active = document.activeElement;
  if (kind === "phase" && !isTyping() && (!active || active === document.body
      || (active !== $("#task") && ($("#task").contains(active) || $("#more").contains(active))))) {
    $("#task").focus({ preventScroll: true });
  }
  // A new phase starts at its name, timer and instruction, with the task right under them.
  const poll = kind === "poll" && !$("#poll").hidden;
  const target = poll ? $("#poll") : $("#phasebar");
  // Older news ("the time is up") is not what is new now: its bar goes.
  if (!isTyping()) $("#to-task").hidden = true;
  if (inView(poll ? target : $("#task"))) return;
  if (isTyping()) { offerBar(target, poll ? "new_poll_bar" : "new_phase_bar", state.phase, poll ? target : $("#task")); return; }
  target.scrollIntoView({ behavior: motion(), block: "start" });
}
$("#to-task").addEventListener("click", () => {
  const bar = $("#to-task");
  const target = $(`#${bar.dataset.target || "task"}`);
  bar.hidden = true;
  target.scrollIntoView({ behavior: motion(), block: "start" });
  $(`#${bar.dataset.focus || target.id}`).focus({ preventScroll: true });
});
// Once the task is in view by any way, the bar has done its work.
const seen = new IntersectionObserver((entries) => {
  if (entries.some((e) => e.isIntersecting && e.target.id === ($("#to-task").dataset.target || "task"))) $("#to-task").hidden = true;
});
for (const el of [$("#task"), $("#poll"), $("#locked-note"), $("#message"), $("#phasebar")]) seen.observe(el);
// The latest broadcast stays until its phase ends or this person closes it (remembered).
const DISMISSED_KEY = `plenary.dismissed.${workshopId}.${roomId}`;
function showMessage(message) {
  const dismissed = message && localStorage.getItem(DISMISSED_KEY) === message.at;
  $("#message-text").textContent = message ? message.text : "";
  $("#message").hidden = !message || dismissed;
  $("#message").dataset.at = message ? message.at || "" : "";
}
// Escape closes the moderator's message, from the message or from nowhere in particular.
document.addEventListener("keydown", (e) => {
  if (e.key !== "Escape" || $("#message").hidden) return;
  const at = document.activeElement;
  if (at === document.body || $("#message").contains(at)) $("#message-close").click();
});
$("#message-close").addEventListener("click", () => {
  $("#message").hidden = true;
  $("#task").focus();
  if ($("#message").dataset.at) localStorage.setItem(DISMISSED_KEY, $("#message").dataset.at);
});

async function send(op, data, errorEl = "#board-error") {
  const answer = await socket.send(op, data);
  const el = op === "note.add" && data.lane !== "step" && !$("#add").hidden ? $("#add-error") : $(errorEl);
  if (answer.type === "error") {
    if (answer.code === "conflict" && answer.note) { state.notes.set(answer.note.id, answer.note); tr(el, "conflict_note"); } else showError(el, answer.code);
    render();
  } else {
    tr($("#add-error"), null); tr($("#board-error"), null);
  }
  return answer;
}

function onEvent(event) {
  state.apply(event);
  if (event.op === "message") { showMessage(event.data); jump = jump || "message"; }  // only the latest stays
  if (event.op === "phase.changed") {
    showMessage(null);  // a broadcast belongs to its phase
    $("#notice").hidden = true;
    jump = "phase";
    // Words typed for a note this phase no longer takes: say so, and keep them for later.
    const unsent = $("#note-text").value.trim();
    if (unsent && !["collect", "open"].includes(state.phase)) notice("note_unsent", unsent);
    // A pole name still on its way when the cross closes: its words are said, not dropped.
    const poles = [...document.querySelectorAll(".poles input")].filter((el) => el.dataset.dirty && el.value.trim());
    if (poles.length && state.phase !== "plot" && ctx.role !== "moderator") {
      notice("pole_unsent", poles.map((el) => el.value.trim()).join(" · "));
      for (const el of poles) el.dataset.dirty = "";
    }
  }
  if (event.op === "room.locked") jump = event.data.locked ? "locked" : "unlocked";
  if (event.op === "poll.opened") { ctx.dismissedPoll = null; jump = "poll"; }
  // The result comes under the phase's task (the task stays first); when that is out of
  // view, a bar leads to it (eighth trial: it sat below four scenario cards, unseen).
  if (event.op === "poll.closed") jump = jump || "result";
  if (event.op === "note.added" && event.data.note.author !== ctx.me && event.data.note.text) {
    announce(t("new_note_announce", event.data.note.text));
  }
}

// Each phase shows its task first; the rest of the board is folded below.
const TASKS = {
  lobby: ["previous", "notes"], collect: ["add", "notes"], cluster: ["cluster-tools", "notes"], rate: ["rate"],
  plot: ["plot"], story: ["stories"], path: ["path"], open: ["add", "notes"],
};
const SECTIONS = ["previous", "add", "cluster-tools", "notes", "rate", "plot", "stories", "path"];

function layout() {
  const scenario = state.method === "scenario";
  const shown = {
    notes: true,
    rate: state.phase === "rate",
    plot: scenario && ["plot", "story", "closed"].includes(state.phase),
    stories: scenario && ["story", "closed"].includes(state.phase),
    path: state.method === "backcast" && ["path", "closed"].includes(state.phase),
  };
  for (const id of ["rate", "plot", "stories", "path"]) $(`#${id}`).hidden = !shown[id];
  const closed = { scenario: ["stories"], backcast: ["path"], free: ["notes"] }[state.method];
  const task = state.phase === "closed" ? closed : TASKS[state.phase] || ["notes"];
  const taskBox = $("#task"), more = $("#more-body");
  for (const id of SECTIONS) {
    const el = $(`#${id}`);
    const home = task.includes(id) ? taskBox : more;
    if (el.parentElement === home) continue;
    // Someone typing in a part that is folded away keeps it open in front of them.
    if (home === more && el.contains(document.activeElement) && isTyping()) $("#more").open = true;
    home.append(el);
  }
  // The task's own order; moving a node that holds focus would drop the focus, so only if needed.
  // Each part is put before the one that should follow it, so one in use stays where it is.
  task.forEach((id, i) => {
    const el = $(`#${id}`);
    if (taskBox.children[i] !== el) taskBox.insertBefore(el, taskBox.children[i] || null);
  });
  $("#more").hidden = ![...more.children].some((el) => !el.hidden);
}

// Opening or closing an editor redraws the notes (and the path) at once.
function renderEditing() {
  renderNotes(state, ctx);
  if (!$("#path").hidden) renderPath(state, ctx);
  if (ctx.refocus) { document.querySelector(`[data-focus="${CSS.escape(ctx.refocus)}"]`)?.focus(); ctx.refocus = null; }
}

let shownTimer;
function render() {
  if (!state.loaded) return;
  renderHeader(state);
  if (shownTimer !== state.timerEndsAt) {
    shownTimer = state.timerEndsAt;
    countdown($("#timer"), state.timerEndsAt, { format: (left) => t("timer_left", left), sound: true });
  }
  renderForm(state, ctx);
  renderPrevious(state);
  renderClusterCount();
  layout();
  if (!ctx.editing && !ctx.renaming && !ctx.confirming) renderNotes(state, ctx);
  if (!$("#rate").hidden) renderVotes(state, ctx);
  if (!$("#plot").hidden) renderPlot(state, ctx);
  if (!$("#stories").hidden) renderStories(state, ctx);
  if (!$("#path").hidden) renderPath(state, ctx);
  renderPoll(state, ctx);
}
onLanguage(() => { if (state.loaded) { shownTimer = undefined; render(); } });
$("#timer").addEventListener("timerend", () => { announce(t("time_up")); jump = "time"; jumpToTask(); });

limitCounter($("#note-text"));
limitCounter($("#step-text"));
$("#add-form").addEventListener("submit", (e) => { e.preventDefault(); addNote(); });
$("#note-text").addEventListener("keydown", (e) => {
  if (e.key === "Enter" && !e.shiftKey) { e.preventDefault(); addNote(); }
});
// Words typed but not sent survive a reload (or a phone that dropped the tab), per room.
const DRAFT_KEY = `plenary.draft.${workshopId}.${roomId}`;
$("#note-text").value = sessionStorage.getItem(DRAFT_KEY) ?? "";
$("#note-text")._limit?.();
$("#note-text").addEventListener("input", () => {
  const text = $("#note-text").value;
  if (text.trim()) sessionStorage.setItem(DRAFT_KEY, text); else sessionStorage.removeItem(DRAFT_KEY);
  if (text.trim()) tr($("#add-error"), null);  // the word about an empty note is over (tenth trial)
});
$("#note-lane").addEventListener("change", () => sessionStorage.setItem(ctx.laneKey, $("#note-lane").value));

function addNote() {
  const input = $("#note-text");
  const text = input.value.trim();
  if (!text) { tr($("#add-error"), "note_empty"); input.focus(); return; }
  tr($("#add-error"), null);  // the word about an empty note is over once one is sent
  const data = { text, color: $("#note-color").value };
  if (!$("#lane-label").hidden) data.lane = $("#note-lane").value;
  input.value = "";
  sessionStorage.removeItem(DRAFT_KEY);
  input._limit?.();
  send("note.add", data);
  if (!ctx.editing && !ctx.confirming) renderNotes(state, ctx);  // shown at once, marked while unconfirmed
}

// The task asks for a top 5: the count is shown, and a sixth is said, not refused (twelfth
// trial: a sixth cluster came without a word).
const CLUSTERS_ASKED = 5;
function renderClusterCount() {
  const n = state.clusters.size;
  const line = $("#cluster-count");
  tr(line, state.method !== "scenario" || !n ? null : n > CLUSTERS_ASKED ? "clusters_too_many" : "clusters_of", n, CLUSTERS_ASKED);
  line.classList.toggle("warn", n > CLUSTERS_ASKED);
}

$("#cluster-form").addEventListener("submit", (e) => {
  e.preventDefault();
  const title = $("#cluster-title").value.trim();
  if (!title) return;
  $("#cluster-title").value = "";
  send("cluster.create", { title, note_ids: [] });
});

$("#path-form").addEventListener("submit", (e) => {
  e.preventDefault();
  const text = $("#step-text").value.trim();
  // An empty step is said, as an empty note is (ninth trial: nothing happened).
  if (!text) { tr($("#step-error"), "step_empty"); $("#step-text").focus(); return; }
  tr($("#step-error"), null);
  const data = { text, lane: "step", x: nextStepX(state.steps()) };
  const when = $("#step-when").value.trim();
  if (when) data.when = when;
  $("#step-text").value = ""; $("#step-when").value = "";
  $("#step-text")._limit?.();
  send("note.add", data);
  renderPath(state, ctx);
  $("#step-text").focus();
});

function vote(target, axis, value) {
  const draft = { ...(state.myVotes.get(target) || {}), ...(ctx.draftVotes.get(target) || {}), [axis]: value };
  ctx.draftVotes.set(target, draft);
  if (draft.impact && draft.uncertainty) {
    send("vote.cast", { target, impact: draft.impact, uncertainty: draft.uncertainty }).then((answer) => {
      if (answer.type === "ack") { state.myVotes.set(target, { target, ...draft }); ctx.draftVotes.delete(target); render(); }
    });
  }
  render();
}

// Only what changed is sent: a bare id keeps an axis's poles, an omitted pole is kept.
function setAxes(name = null, side = null) {
  const target = (n) => $(`#axis-${n}`).value || null;
  const data = { x: target("x"), y: target("y") };
  let input = null;
  if (name && side) {
    input = $(`#pole-${name}-${side}`);
    if (!data[name]) return;
    data[name] = { target: data[name], [side]: input.value.trim() || null };
  }
  const sent = input?.value;
  ctx.axesInFlight += 1;
  send("axes.set", data).then((answer) => {
    if (answer.type === "ack") ctx.axesSeq = Math.max(ctx.axesSeq, answer.seq);
    // Saved, unless typed on meanwhile (the next pause sends that).
    if (answer.type === "ack" && input && input.value === sent) input.dataset.dirty = "";
  }).finally(() => { ctx.axesInFlight -= 1; if (!ctx.axesInFlight) render(); });
}

function editStory(quadrant, field, input) {
  const base = Number(input.dataset.base ?? state.stories.get(quadrant)?.version ?? 0);
  const value = input.value;
  input.dataset.sent = value;
  socket.send("story.edit", { quadrant, [field]: value, version: base }).then((answer) => {
    if (answer.type === "ack") {
      input.dataset.dirty = "";
      input.dataset.sync = "1";  // take the merged words from the event, unless typed on since
      tr($("#board-error"), null);
      return;
    }
    if (answer.code === "conflict" && answer.story) {
      const theirs = answer.story;
      state.stories.set(quadrant, theirs);
      showConflict(quadrant, field, theirs[field],
        () => { input.value = theirs[field] ?? ""; input.dataset.dirty = ""; input.dataset.base = String(theirs.version); render(); },
        () => { input.dataset.base = String(theirs.version); editStory(quadrant, field, input); });
      return;
    }
    if (["locked", "phase_forbids"].includes(answer.code)) input.dataset.refused = "1";
    showError($("#board-error"), answer.code);
  });
}

// A quadrant's traits while this person's edit of them is on its way: a second chip added
// meanwhile builds on the first and follows its ack, instead of racing it and meeting it
// as someone else's change (a conflict with oneself, one chip lost).
const traitsSending = new Map();
// The traits as this person's last acknowledged edit left them, until its event arrives
// (an ack can come before the event that carries the new version).
const traitsAcked = new Map();
const sameList = (a, b) => a.length === b.length && a.every((x, i) => x === b[i]);

function editTraits(quadrant, change) {
  const story = state.stories.get(quadrant);
  const pending = traitsSending.get(quadrant);
  const acked = traitsAcked.get(quadrant);
  const ahead = acked && (story?.version ?? 0) < acked.version ? acked : null;
  const next = change([...(pending?.list ?? ahead?.list ?? story?.traits ?? [])]);
  if (next.length > 8) { tr($("#board-error"), "traits_full"); return; }
  if (pending) { pending.list = next; pending.again = true; return; }
  const entry = { list: next, again: false, sent: null };
  traitsSending.set(quadrant, entry);
  const attempt = (list, version) => {
    entry.sent = list;
    socket.send("story.edit", { quadrant, traits: list, version }).then((answer) => {
      if (answer.type === "ack") {
        tr($("#board-error"), null);
        traitsAcked.set(quadrant, { list, version: version + 1 });
        // Our own edit moved the story one version on; a change of the traits by anyone
        // else since is still a conflict.
        if (entry.again) { entry.again = false; attempt(entry.list, version + 1); return; }
        traitsSending.delete(quadrant);
        return;
      }
      if (answer.code === "conflict" && answer.story) {
        const theirs = answer.story;
        // The stored traits are what this person last sent: not a conflict, only a step.
        if (sameList(theirs.traits || [], entry.sent || []) && !sameList(entry.list, entry.sent)) { attempt(entry.list, theirs.version); return; }
        traitsSending.delete(quadrant);
        state.stories.set(quadrant, theirs);
        render();
        showConflict(quadrant, "traits", theirs.traits, () => {}, () => editTraits(quadrant, () => list));
        return;
      }
      traitsSending.delete(quadrant);
      showError($("#board-error"), answer.code);
    });
  };
  attempt(next, ahead?.version ?? story?.version ?? 0);
}
