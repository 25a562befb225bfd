// The projection: the ranked synthesis, the axis cross and the stories, live, without reloads.
import { $, api, fragmentToken, h } from "./dom.js";
import { initLanguageSwitch, onLanguage, t, useWorkshopLanguage } from "./i18n.js";
import { PlenarySocket } from "./socket.js";
import { SynthesisState, tallyLine } from "./synthesis_state.js";
import { drawMatrix } from "./matrix.js";

const workshopId = document.body.dataset.workshop;
const token = fragmentToken(`plenary.proj.${workshopId}`);
const state = new SynthesisState();
initLanguageSwitch();

function render() {
  if (!state.loaded) return;
  $("#p-title").textContent = state.title;
  $("#p-question").textContent = state.question;
  $("#p-empty").hidden = state.items.length > 0;
  $("#p-items").replaceChildren(...state.items.map((item) => h("li", { dataset: { id: item.id } },
    h("div", { class: "p-title", text: item.title }),
    h("div", { class: "p-meta" }, ...state.roomsOf(item).map((r) => h("span", { class: "room-badge", text: state.roomName(r) })), " ", tallyLine(item, t)))));
  const points = state.items.map((i) => ({ label: i.title, impact: i.impact.mean, uncertainty: i.uncertainty.mean }));
  $("#p-matrix").replaceChildren(drawMatrix(points, { impact: t("impact"), uncertainty: t("uncertainty"), dark: true }));
  $("#p-stories").replaceChildren(...state.stories.map((s) => h("article", {},
    h("h3", { text: `${state.roomName(s.room)} · ${t(`q_${s.quadrant}`)}: ${s.title}` }),
    s.metaphor ? h("p", { text: `${t("metaphor")}: ${s.metaphor}` }) : null,
    h("p", { text: s.text }))));
}
onLanguage(render);

if (token) {
  api("GET", `/api/workshops/${workshopId}`, token).then((overview) => useWorkshopLanguage(overview.language)).catch(() => {});
  const socket = new PlenarySocket({
    workshopId, token, room: "synthesis",
    handlers: {
      snapshot: (_room, board) => { state.load(board); render(); },
      events: (events) => { for (const e of events) state.apply(e); render(); },
      status: (status) => { $("#status").textContent = status === "open" ? "" : t(status); $("#status").classList.toggle("offline", status !== "open"); },
      fatal: () => { $("#status").textContent = t("bad_token"); },
    },
  });
  socket.connect();
} else {
  $("#status").textContent = t("bad_token");
}
