// Join with a name (and a room if the moderator allows); the token stays in localStorage.
import { $, api, h } from "./dom.js";
import { initLanguageSwitch, showError, tr, useWorkshopLanguage } from "./i18n.js";

initLanguageSwitch();
const code = document.body.dataset.code;

// The form works from the first moment: a submit before the workshop's details arrived
// waits for them (never a native form submission).
const loading = api("GET", `/api/join/${encodeURIComponent(code)}`).catch((error) => {
  if (error.code === "not_found") tr($("#join-error"), "join_unknown"); else showError($("#join-error"), error.code);
  return null;
});

$("#join-form").addEventListener("submit", async (event) => {
  event.preventDefault();
  const form = event.target;
  tr($("#join-error"), null);
  if (!form.name.value.trim()) { showError($("#join-error"), "invalid"); form.name.focus(); return; }
  const info = await loading;
  if (!info) { tr($("#join-error"), "join_unknown"); return; }
  try {
    const room = info.room_choice ? form.room.value || null : null;
    const joined = await api("POST", "/api/join", null, { code, name: form.name.value, room });
    const member = { ...joined, name: form.name.value.trim() };
    localStorage.setItem(`plenary.member.${joined.workshop_id}`, JSON.stringify(member));
    location.assign(`/w/${joined.workshop_id}/room/${joined.room_id}`);
  } catch (error) {
    showError($("#join-error"), error.code);
  }
});

const info = await loading;
if (info) {
  useWorkshopLanguage(info.language);
  $("#w-title").textContent = info.title;
  $("#w-question").textContent = info.question;
  const choice = $("#room-choice");
  choice.hidden = !info.room_choice;
  if (info.room_choice) choice.querySelector("select").append(...info.rooms.map((r) => h("option", { value: r.id, text: r.name })));
  const saved = JSON.parse(localStorage.getItem(`plenary.member.${info.workshop_id}`) || "null");
  if (saved) location.replace(`/w/${info.workshop_id}/room/${saved.room_id}`);
} else {
  $("#join-form").querySelector("button[type=submit]").disabled = true;
}
