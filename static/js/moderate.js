// The moderator's console: every room live, the controls, the synthesis and its edits.
import { $, api, countdown, fragmentToken, h } from "./dom.js";
import { initLanguageSwitch, onLanguage, t, useWorkshopLanguage } from "./i18n.js";
import { PlenarySocket } from "./socket.js";
import { SynthesisState, tallyLine } from "./synthesis_state.js";

const workshopId = document.body.dataset.workshop;
const token = fragmentToken(`plenary.mod.${workshopId}`);
const base = `/api/workshops/${workshopId}`;
const STUCK_MS = 3 * 60 * 1000;
const WRITING = ["collect", "cluster", "rate", "plot", "story", "open"];
let overview = null;
const rooms = new Map();  // id -> live facts
const synthesis = new SynthesisState();
let synthesisSocket = null;
initLanguageSwitch();

async function loadOverview() {
  overview = await api("GET", base, token);
  useWorkshopLanguage(overview.language);
  $("#w-title").textContent = overview.title;
  $("#w-question").textContent = overview.question;
  $("#join-code").textContent = overview.join_code;
  const join = `${location.origin}/join/${overview.join_code}`;
  $("#join-link").href = join; $("#join-link").textContent = join;
  $("#qr").src = `/join/${overview.join_code}/qr.svg`; $("#qr").alt = join;
  $("#plenary-link").href = `/w/${workshopId}/plenary`;
  $("#phase-select").replaceChildren(...overview.phases.map((p) => h("option", { value: p, text: t(`phase_${p}`) })));
  for (const r of overview.rooms) {
    const known = rooms.get(r.id) || {};
    rooms.set(r.id, { ...r, online: known.online ?? r.online, notes: r.notes, lastActivity: known.lastActivity ?? r.last_activity });
  }
  renderRooms();
}

function targets() {
  const ticked = [...document.querySelectorAll(".tile input[type=checkbox]:checked")].map((c) => c.value);
  return ticked.length ? ticked : undefined;
}

function renderRooms() {
  const now = Date.now();
  $("#rooms").replaceChildren(...[...rooms.values()].map((r) => {
    const quiet = r.lastActivity ? now - Date.parse(r.lastActivity) : Infinity;
    const stuck = WRITING.includes(r.phase) && quiet > STUCK_MS;
    const timer = h("span", { class: "timer" });
    countdown(timer, r.timer_ends_at, (left) => left);
    const moveSelect = (p) => h("select", { "aria-label": `${t("move")}: ${p.name}`, onchange: (e) => e.target.value && control(`/participants/${p.participant_id}/move`, { room: e.target.value }).then(loadOverview) },
      h("option", { value: "", text: t("move") }), ...overview.rooms.filter((o) => o.id !== r.id).map((o) => h("option", { value: o.id, text: o.name })));
    return h("article", { class: `tile${stuck ? " stuck" : ""}`, dataset: { room: r.id } },
      h("h3", {}, h("label", { class: "check" }, h("input", { type: "checkbox", value: r.id }), r.name), r.locked ? h("span", { class: "badge", text: t("locked") }) : null),
      h("dl", { class: "facts" },
        h("dt", { text: t("phase") }), h("dd", { text: t(`phase_${r.phase}`) }),
        h("dt", { text: t("online") }), h("dd", { text: String(r.online) }),
        h("dt", { text: t("notes") }), h("dd", { text: String(r.notes) }),
        h("dt", { text: t("timer") }), h("dd", {}, timer),
        h("dt", { text: t("last_activity") }), h("dd", { text: r.lastActivity ? `${new Date(r.lastActivity).toLocaleTimeString()}${stuck ? ` (${t("stuck")})` : ""}` : "—" })),
      h("div", { class: "row" },
        h("button", { type: "button", text: r.locked ? t("unlock") : t("lock"), onclick: () => control(`/rooms/${r.id}/lock`, { locked: !r.locked }) }),
        h("a", { href: `/w/${workshopId}/room/${r.id}#token=${encodeURIComponent(token)}`, target: "_blank", text: t("open_board") })),
      h("ul", {}, ...(r.participants || []).map((p) => h("li", {}, `${p.name} `, moveSelect(p)))));
  }));
}
setInterval(renderRooms, 15000);

async function control(path, body) {
  try {
    $("#control-error").textContent = "";
    return await api("POST", `${base}${path}`, token, body);
  } catch (error) {
    $("#control-error").textContent = error.message;
    return null;
  }
}

$("#phase-set").addEventListener("click", () => control("/phase", { phase: $("#phase-select").value, rooms: targets() }));
$("#phase-next").addEventListener("click", () => control("/phase", { phase: "next", rooms: targets() }));
$("#phase-prev").addEventListener("click", () => control("/phase", { phase: "previous", rooms: targets() }));
$("#timer-start").addEventListener("click", () => control("/timer", { seconds: Math.round(Number($("#timer-min").value) * 60), rooms: targets() }));
$("#timer-stop").addEventListener("click", () => control("/timer", { seconds: 0, rooms: targets() }));
$("#reveal").addEventListener("click", () => control("/reveal", { rooms: targets() }));
$("#broadcast-send").addEventListener("click", async () => {
  if (await control("/broadcast", { message: $("#broadcast-text").value, rooms: targets() })) $("#broadcast-text").value = "";
});

function onRoomEvent(event) {
  const r = rooms.get(event.room);
  if (!r) return;
  r.lastActivity = event.at;
  const d = event.data;
  if (event.op === "phase.changed") r.phase = d.phase;
  if (event.op === "timer.set") r.timer_ends_at = d.ends_at;
  if (event.op === "room.locked") r.locked = d.locked;
  if (event.op === "note.added") r.notes += 1;
  if (event.op === "note.deleted") r.notes -= 1;
}

// --- synthesis ---
function renderItems() {
  const others = (item) => synthesis.items.filter((i) => i.id !== item.id && i.lane === item.lane);
  $("#items").replaceChildren(...synthesis.items.map((item) => {
    const title = h("input", { value: item.title, "aria-label": t("rename"), maxlength: 280 });
    return h("li", { dataset: { id: item.id } },
      h("div", { class: "title-edit" },
        h("input", { type: "checkbox", class: "merge-pick", value: item.id, "aria-label": `${t("merge_selected")}: ${item.title}` }),
        title, h("button", { type: "button", text: t("rename"), onclick: () => edit("item.rename", { id: item.id, title: title.value }) })),
      h("div", { class: "hint" }, ...synthesis.roomsOf(item).map((r) => h("span", { class: "room-badge", text: synthesis.roomName(r) })), " ", tallyLine(item, t)),
      h("ul", {}, ...item.notes.map((n) => h("li", {},
        h("label", { class: "check" }, h("input", { type: "checkbox", class: "split-pick", value: n.note_id }), `${n.text} (${synthesis.roomName(n.room)})`),
        h("select", { "aria-label": `${t("move")}: ${n.text}`, onchange: (e) => e.target.value && edit("item.move_note", { note_id: n.note_id, to: e.target.value }) },
          h("option", { value: "", text: t("move") }), ...others(item).map((o) => h("option", { value: o.id, text: o.title })))))),
      item.notes.length > 1 ? h("button", { type: "button", text: t("split"), onclick: (e) => {
        const picked = [...e.target.closest("li").querySelectorAll(".split-pick:checked")].map((c) => c.value);
        if (picked.length) edit("item.split", { id: item.id, note_ids: picked });
      } }) : null);
  }));
}

async function edit(op, data) {
  const answer = await synthesisSocket.send(op, data);
  $("#syn-error").textContent = answer.type === "error" ? answer.message : "";
}

$("#build").addEventListener("click", async () => {
  try { await api("POST", `${base}/synthesis`, token, {}); $("#syn-error").textContent = ""; }
  catch (error) { $("#syn-error").textContent = error.message; }
});
$("#merge").addEventListener("click", () => {
  const ids = [...document.querySelectorAll(".merge-pick:checked")].map((c) => c.value);
  if (ids.length >= 2) edit("item.merge", { ids });
});
for (const kind of ["md", "json", "csv"]) {
  $(`#dl-${kind}`).addEventListener("click", async () => {
    const response = await fetch(`${base}/export.${kind}`, { headers: { authorization: `Bearer ${token}` } });
    const url = URL.createObjectURL(await response.blob());
    const a = h("a", { href: url, download: `plenary-${workshopId}.${kind}` });
    document.body.append(a); a.click(); a.remove();
    setTimeout(() => URL.revokeObjectURL(url), 5000);
  });
}

onLanguage(() => { if (overview) { renderRooms(); renderItems(); } });

if (!token) {
  $("#status").textContent = t("bad_token");
} else {
  await loadOverview();
  const status = (s) => { $("#status").textContent = s === "open" ? t("connected") : t(s); $("#status").classList.toggle("offline", s !== "open"); };
  const all = new PlenarySocket({
    workshopId, token, room: "*",
    handlers: {
      snapshot: (room, snap) => { const r = rooms.get(room); if (r) Object.assign(r, { phase: snap.phase, locked: snap.locked, timer_ends_at: snap.timer_ends_at, notes: snap.notes.length }); renderRooms(); },
      events: (events) => { for (const e of events) onRoomEvent(e); renderRooms(); },
      presence: (frame) => {
        const r = rooms.get(frame.room);
        if (r) { r.online = frame.online.length; loadOverview().catch(() => renderRooms()); }
      },
      status,
      fatal: () => { $("#status").textContent = t("bad_token"); },
    },
  });
  all.connect();
  synthesisSocket = new PlenarySocket({
    workshopId, token, room: "synthesis",
    handlers: {
      snapshot: (_room, board) => { synthesis.load(board); renderItems(); },
      events: (events) => { for (const e of events) synthesis.apply(e); renderItems(); },
    },
  });
  synthesisSocket.connect();
}
