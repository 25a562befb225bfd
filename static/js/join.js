// Join with a name (and a room if the moderator allows); the token stays in localStorage.
// Without a code (/join), or with one we do not know, the page asks for the code first.
import { $, api, fieldError, fitLongWords, goToJoin, h, isMember, rememberCode, stored } from "./dom.js";
import { initLanguageSwitch, showError, tr, useWorkshopLanguage } from "./i18n.js";

initLanguageSwitch();
const code = document.body.dataset.code;
const codeForm = $("#code-form");

codeForm.addEventListener("submit", (event) => { event.preventDefault(); goToJoin(codeForm.code); });

// The code as typed was not found: the field, with what was tried, next to the message.
function askForCode(unknown) {
  $("#join-form").hidden = true;
  codeForm.hidden = false;
  if (unknown) fieldError(codeForm.code, "join_unknown");
}

// The form works from the first moment: a submit before the workshop's details arrived
// waits for them (never a native form submission).
let loadError = null;
const loading = code ? api("GET", `/api/join/${encodeURIComponent(code)}`).catch((error) => {
  loadError = error.code;
  if (error.code === "not_found") askForCode(true); else showError($("#join-error"), error.code);
  return null;
}) : Promise.resolve(null);

$("#join-form").addEventListener("submit", async (event) => {
  event.preventDefault();
  const form = event.target;
  tr($("#join-error"), null);
  if (!form.name.value.trim()) { fieldError(form.name, "need_name"); return; }
  const info = await loading;
  if (!info) { if (loadError === "not_found") askForCode(true); else showError($("#join-error"), loadError); return; }
  try {
    const room = info.room_choice ? form.room.value || null : null;
    const joined = await api("POST", "/api/join", null, { code, name: form.name.value, room });
    const member = { ...joined, name: form.name.value.trim() };
    localStorage.setItem(`plenary.member.${joined.workshop_id}`, JSON.stringify(member));
    location.assign(`/w/${joined.workshop_id}/room/${joined.room_id}`);
  } catch (error) {
    if (error.code === "not_found") askForCode(true); else showError($("#join-error"), error.code);
  }
});

const info = await loading;
if (info) {
  rememberCode(info.workshop_id, code);  // to tell a deleted workshop from a wrong key later
  useWorkshopLanguage(info.language);
  $("#w-title").textContent = info.title;
  fitLongWords($("#w-title"));
  $("#w-question").textContent = info.question;
  const choice = $("#room-choice");
  choice.hidden = !info.room_choice;
  if (info.room_choice) choice.querySelector("select").append(...info.rooms.map((r) => h("option", { value: r.id, text: r.name })));
  const saved = stored(`plenary.member.${info.workshop_id}`, null, isMember);
  if (saved) location.replace(`/w/${info.workshop_id}/room/${saved.room_id}`);
  // The name is all that is left to do: the cursor waits there (never taken from elsewhere).
  else if (document.activeElement === document.body) $("#join-form").name.focus();
}
