// What Plenary is, and creating a workshop; then its three links and the QR code.
// A server that asks for a create token answers 401: the form then asks for it and retries.
import { $, api, clearFieldError, copyButton, fieldError, goToJoin, limitCounter } from "./dom.js";
import { initLanguageSwitch, language, showError, t, tr } from "./i18n.js";

initLanguageSwitch();
const form = $("#create-form");
// The horizon is backcasting's; a free break-out never votes, so it has no result to hide.
const syncHorizon = () => {
  $("#horizon-label").hidden = form.method.value !== "backcast";
  $("#hide-tallies-label").hidden = form.method.value === "free";
};
form.language.value = language();  // a new workshop speaks the page's language unless changed
form.method.addEventListener("change", syncHorizon);
syncHorizon();
// The horizon's 40 characters are short for a question: the count shows from the start, and a
// cut paste says so (ninth trial: "…in december 2027?" lost its year without a word).
limitCounter(form.horizon, { near: 40 });
limitCounter(form.title);

// Participants who land here go on with the code from the screen.
const codeForm = $("#code-form");
codeForm.addEventListener("submit", (event) => { event.preventDefault(); goToJoin(codeForm.code); });

// What is missing, said beside its field (the server's own refusals still show below).
function checkForm() {
  for (const input of [form.title, form.question, form.rooms, form.horizon]) clearFieldError(input);
  if (!form.title.value.trim()) return fieldError(form.title, "need_title");
  if (!form.question.value.trim()) return fieldError(form.question, "need_question");
  // Backcasting reasons back from a moment: without one the groups have nothing to stand on.
  if (form.method.value === "backcast" && !form.horizon.value.trim()) return fieldError(form.horizon, "need_horizon");
  const rooms = Number(form.rooms.value);
  if (!Number.isInteger(rooms) || rooms < 1 || rooms > 64) return fieldError(form.rooms, "need_rooms");
  return true;
}

// One workshop per press: the button waits while the request runs (a double-click made
// two, and the page showed the second's links beside the first's copy buttons).
const submit = form.querySelector("button[type=submit]");
let creating = false;

form.addEventListener("submit", async (event) => {
  event.preventDefault();
  if (creating) return;
  tr($("#create-error"), null);
  if (!checkForm()) return;
  const body = {
    title: form.title.value.trim(), question: form.question.value.trim(), method: form.method.value,
    rooms: Number(form.rooms.value), language: form.language.value,
    private_notes: form.private_notes.checked, hide_tallies: form.method.value !== "free" && form.hide_tallies.checked, room_choice: form.room_choice.checked,
  };
  if (body.method === "backcast" && form.horizon.value.trim()) body.horizon = form.horizon.value.trim();
  // Reports are dated by the moderator's clock, not the server's.
  const zone = Intl.DateTimeFormat().resolvedOptions().timeZone;
  if (zone && zone !== "Etc/Unknown") body.timezone = zone;  // ICU's name for "no zone set"
  const createToken = form.create_token.value.trim() || null;
  creating = true;
  submit.disabled = true;
  try {
    const created = await api("POST", "/api/workshops", createToken, body);
    const base = location.origin;
    const links = {
      moderate: `${base}/w/${created.id}/moderate#token=${encodeURIComponent(created.moderator_token)}`,
      plenary: `${base}/w/${created.id}/plenary#token=${encodeURIComponent(created.projector_token)}`,
      join: `${base}/join/${created.join_code}`,
    };
    for (const [key, href] of Object.entries(links)) {
      const a = $(`#link-${key}`);
      a.href = href;
      a.textContent = href;
      if (!a.nextElementSibling?.matches(".copy")) a.after(copyButton(a, key));
    }
    $("#open-console").href = links.moderate;
    $("#join-code").textContent = created.join_code;
    $("#created-title").textContent = body.title;
    $("#qr").src = `/join/${created.join_code}/qr.svg`;
    $("#qr").alt = links.join;
    $("#create").hidden = true;
    $("#about").hidden = true;
    $("#join-box").hidden = true;
    $("#created").hidden = false;
    $("#created-title").setAttribute("tabindex", "-1");
    $("#created-title").focus();
  } catch (error) {
    creating = false;
    submit.disabled = false;
    if (document.activeElement === document.body) submit.focus();  // where the press was
    if (error.code === "unauthorized") {
      const first = $("#token-box").hidden;
      $("#token-box").hidden = false;
      tr($("#create-error"), first ? "create_token_needed" : "create_token_wrong");
      form.create_token.focus();
      return;
    }
    showError($("#create-error"), error.code);
  }
});
