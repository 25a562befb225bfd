// A room's board: connects, keeps the state, sends what the person does.
import { $, announce, countdown, fragmentToken, h } from "./dom.js";
import { initLanguageSwitch, onLanguage, t, useWorkshopLanguage } from "./i18n.js";
import { PlenarySocket } from "./socket.js";
import { BoardState } from "./board_state.js";
import { renderForm, renderHeader, renderNotes, renderPlot, renderStories, renderVotes } from "./board_view.js";

const workshopId = document.body.dataset.workshop;
const roomId = document.body.dataset.room;
const moderatorToken = fragmentToken(`plenary.mod.${workshopId}`);
const member = JSON.parse(localStorage.getItem(`plenary.member.${workshopId}`) || "null");
const token = moderatorToken || member?.token;
const state = new BoardState();
let socket = null;
let loaded = false;
const ctx = {
  role: moderatorToken ? "moderator" : "participant",
  me: moderatorToken ? "moderator" : member?.participant_id,
  editing: null,
  draftVotes: new Map(),
  send: (op, data) => send(op, data),
  startEdit: (id) => { ctx.editing = id; renderNotes(state, ctx); },
  stopEdit: () => { ctx.editing = null; renderNotes(state, ctx); },
  vote: (target, axis, value) => vote(target, axis, value),
  editStory: (quadrant, field, input) => editStory(quadrant, field, input),
};

initLanguageSwitch();
if (!token) {
  $("#main").replaceChildren(h("p", { class: "card", text: t("bad_token") }));
} else {
  socket = new PlenarySocket({
    workshopId, token, room: roomId,
    pendingKey: `plenary.pending.${workshopId}.${ctx.me}`,
    handlers: {
      snapshot: (_room, snapshot) => { state.load(snapshot); loaded = true; useWorkshopLanguage(snapshot.language); render(); },
      events: (events) => { for (const event of events) onEvent(event); render(); },
      presence: (frame) => { $("#online").textContent = frame.online.map((p) => p.name).join(", "); },
      status: (status, pending) => {
        const el = $("#status");
        el.textContent = status === "open" ? t("connected") : `${t(status)}${pending ? ` (${pending} ${t("pending")})` : ""}`;
        el.classList.toggle("offline", status !== "open");
      },
      moved: (room) => {
        if (member) localStorage.setItem(`plenary.member.${workshopId}`, JSON.stringify({ ...member, room_id: room }));
        announce(t("moved"));
        location.assign(`/w/${workshopId}/room/${room}`);
      },
      fatal: () => { $("#status").textContent = t("bad_token"); },
    },
  });
  window.plenarySocket = socket;  // the browser tests cut the connection through this
  socket.connect();
}

async function send(op, data) {
  const answer = await socket.send(op, data);
  if (answer.type === "error") {
    $("#add-error").textContent = answer.message;
    if (answer.code === "conflict" && answer.story) onStoryConflict(answer.story, data);
  } else {
    $("#add-error").textContent = "";
  }
  return answer;
}

function onEvent(event) {
  state.apply(event);
  if (event.op === "message") {
    const banner = $("#message");
    banner.textContent = event.data.text;
    banner.hidden = false;
  }
  if (event.op === "note.added" && event.data.note.author !== ctx.me && event.data.note.text) {
    announce(t("new_note_announce", event.data.note.text));
  }
}

function render() {
  if (!loaded) return;
  renderHeader(state);
  countdown($("#timer"), state.timerEndsAt, (left) => t("timer_left", left));
  renderForm(state, ctx);
  if (!ctx.editing) renderNotes(state, ctx);
  renderVotes(state, ctx);
  renderPlot(state, ctx);
  renderStories(state, ctx);
}
onLanguage(() => render());

$("#add-form").addEventListener("submit", (e) => { e.preventDefault(); addNote(); });
$("#note-text").addEventListener("keydown", (e) => {
  if (e.key === "Enter" && !e.shiftKey) { e.preventDefault(); addNote(); }
});
function addNote() {
  const input = $("#note-text");
  const text = input.value.trim();
  if (!text) return;
  const data = { text, color: $("#note-color").value };
  if (state.lanes.length > 1) data.lane = $("#note-lane").value;
  input.value = "";
  send("note.add", data);
}

$("#cluster-form").addEventListener("submit", (e) => {
  e.preventDefault();
  const title = $("#cluster-title").value.trim();
  if (!title) return;
  $("#cluster-title").value = "";
  send("cluster.create", { title, note_ids: [] });
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

function editStory(quadrant, field, input) {
  send("story.edit", { quadrant, [field]: input.value, version: Number(input.dataset.base || 0) });
  input.dataset.base = String((state.stories.get(quadrant)?.version ?? 0) + 1);
}

function onStoryConflict(story, data) {
  // Keep both texts: theirs first, then ours, and send that (no text is lost).
  for (const field of ["title", "metaphor", "text"]) {
    if (!(field in data) || story[field].includes(data[field])) continue;
    const merged = story[field] ? `${story[field]}\n${data[field]}` : data[field];
    state.stories.set(story.quadrant, story);
    send("story.edit", { quadrant: story.quadrant, [field]: merged, version: story.version });
    $("#add-error").textContent = t("conflict");
  }
}
