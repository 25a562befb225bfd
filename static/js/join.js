// Join with a name (and a room if the moderator allows); the token stays in localStorage.
import { $, api, h } from "./dom.js";
import { initLanguageSwitch, useWorkshopLanguage } from "./i18n.js";

initLanguageSwitch();
const code = document.body.dataset.code;
const info = await api("GET", `/api/join/${encodeURIComponent(code)}`).catch((error) => {
  $("#join-error").textContent = error.message;
  return null;
});
if (info) {
  useWorkshopLanguage(info.language);
  $("#w-title").textContent = info.title;
  $("#w-question").textContent = info.question;
  if (info.room_choice) {
    $("#room-choice").hidden = false;
    $("#room-choice select").append(...info.rooms.map((r) => h("option", { value: r.id, text: r.name })));
  }
  const saved = JSON.parse(localStorage.getItem(`plenary.member.${info.workshop_id}`) || "null");
  if (saved) location.replace(`/w/${info.workshop_id}/room/${saved.room_id}`);
}

$("#join-form").addEventListener("submit", async (event) => {
  event.preventDefault();
  const form = event.target;
  try {
    const joined = await api("POST", "/api/join", null, { code, name: form.name.value, room: form.room.value || null });
    const member = { ...joined, name: form.name.value.trim() };
    localStorage.setItem(`plenary.member.${joined.workshop_id}`, JSON.stringify(member));
    location.assign(`/w/${joined.workshop_id}/room/${joined.room_id}`);
  } catch (error) {
    $("#join-error").textContent = error.message;
  }
});
