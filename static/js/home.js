// Create a workshop, then show its three links and the QR code.
import { $, api } from "./dom.js";
import { initLanguageSwitch } from "./i18n.js";

initLanguageSwitch();
$("#create-form").addEventListener("submit", async (event) => {
  event.preventDefault();
  const form = event.target;
  const body = {
    title: form.title.value, question: form.question.value, method: form.method.value,
    rooms: Number(form.rooms.value), language: form.language.value,
    private_notes: form.private_notes.checked, room_choice: form.room_choice.checked,
  };
  try {
    const created = await api("POST", "/api/workshops", null, body);
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
    }
    $("#join-code").textContent = created.join_code;
    $("#created-title").textContent = body.title;
    $("#qr").src = `/join/${created.join_code}/qr.svg`;
    $("#qr").alt = links.join;
    $("#create").hidden = true;
    $("#created").hidden = false;
    $("#created-title").setAttribute("tabindex", "-1");
    $("#created-title").focus();
  } catch (error) {
    $("#create-error").textContent = error.message;
  }
});
