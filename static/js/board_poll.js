// A plenary poll on a room's board: shown first while open; answering again replaces;
// after closing, the final ranking shows right below the phase's task.
import { $, h, limitCounter } from "./dom.js";
import { showError, t, tr } from "./i18n.js";
import { keepFocus, markDirty } from "./board_view.js";
import { pollPlaces } from "./synthesis_state.js";

export function resultsList(poll) {
  const places = pollPlaces(poll.results || [], poll.kind);  // equal results share a place
  return h("ol", { class: "poll-results" }, ...(poll.results || []).map((r, i) => h("li", { value: places[i] },
    h("strong", { text: r.text }),
    h("span", { class: "hint", text: poll.kind === "rank" ? ` — ${t("points", r.points)}, ${t("first_places", r.first)}` : ` (${r.count}×)` }))));
}

export function renderPoll(s, ctx) {
  const card = $("#poll");
  const poll = s.currentPoll();
  if (!poll || (!poll.open && ctx.dismissedPoll === poll.id)) { card.hidden = true; return; }
  card.hidden = false;
  // An open poll is everyone's task: first. A closed one's ranking is news, not a task:
  // it follows the phase's task (still in view, not folded away).
  const task = $("#task");
  if (poll.open && card.nextElementSibling !== task) task.before(card);
  if (!poll.open && task.nextElementSibling !== card) task.after(card);
  const body = [h("h2", { id: "poll-h" }, h("span", { class: "poll-kicker", text: `${t("poll")}: ` }), poll.question)];
  if (!poll.open) {
    body.push(h("p", { text: `${t("poll_closed")} ${t("answers", poll.answers)}` }), resultsList(poll),
      h("button", { type: "button", text: t("dismiss"), onclick: () => { ctx.dismissedPoll = poll.id; renderPoll(s, ctx); } }));
    keepFocus(card, () => card.replaceChildren(...body));
    return;
  }
  const status = h("p", { class: "poll-status", role: "status" });
  const error = h("p", { class: "error", role: "alert" });
  const sent = ctx.pollSent.get(poll.id) || poll.mine;
  if (sent) tr(status, "poll_sent");
  // A locked room refuses every participant's write, a poll answer too: say so up front,
  // not after a form that looked open (seventh trial).
  const locked = s.locked && ctx.role === "participant";
  if (locked) { tr(status, "poll_locked"); status.classList.add("pending"); }  // not green: a refusal
  const submit = async (data) => {
    tr(error, null);
    const answer = await ctx.sendRaw("poll.answer", { poll: poll.id, ...data });
    if (answer.type === "ack") { ctx.pollSent.set(poll.id, data); tr(status, "poll_sent"); } else showError(error, answer.code);
  };
  if (poll.kind === "open") {
    const input = markDirty(h("textarea", { rows: 2, maxlength: 280, disabled: locked, "aria-label": t("poll_open_q"), dataset: { focus: `poll-text-${poll.id}` } }));
    input.value = ctx.pollDraft.get(poll.id) ?? sent?.text ?? "";
    // What is in the box is not what was sent: say so, not "your answer is in".
    const unsent = () => input.value.trim() && input.value.trim() !== (ctx.pollSent.get(poll.id) || poll.mine)?.text;
    if (!locked && sent && unsent()) { tr(status, "poll_unsent"); status.classList.add("pending"); }
    input.addEventListener("input", () => {
      ctx.pollDraft.set(poll.id, input.value);
      tr(error, null);
      if (ctx.pollSent.get(poll.id) || poll.mine) tr(status, unsent() ? "poll_unsent" : "poll_sent");
      status.classList.toggle("pending", Boolean(unsent()));
    });
    const send = () => {
      const text = input.value.trim();
      if (!text) { tr(error, "poll_need_text"); input.focus(); return; }
      input.dataset.dirty = "";
      submit({ text });
    };
    input.addEventListener("keydown", (e) => { if (e.key === "Enter" && !e.shiftKey) { e.preventDefault(); send(); } });
    const label = h("label", {}, h("span", { text: t("poll_open_q") }), input);
    limitCounter(input);
    body.push(label, h("button", { type: "button", class: "primary", text: t("poll_send"), disabled: locked, onclick: send }));
  } else {
    if (!ctx.pollDraft.has(poll.id)) ctx.pollDraft.set(poll.id, [...(sent?.ranking || [])]);
    const draft = ctx.pollDraft.get(poll.id);
    const text = (id) => poll.options.find((o) => o.id === id)?.text ?? id;
    const redraw = (focus = null) => {
      renderPoll(s, ctx);
      if (focus) (card.querySelector(`[data-focus="${focus}"]:not(:disabled)`) || card.querySelector(`[data-focus="poll-send-${poll.id}"]`))?.focus();
    };
    const rest = poll.options.filter((o) => !draft.includes(o.id));
    const swap = (i, j) => { [draft[i], draft[j]] = [draft[j], draft[i]]; redraw(); };
    body.push(h("p", { class: "hint", text: t("poll_pick", poll.pick) }),
      h("h3", { text: t("poll_my_ranking") }),
      draft.length ? h("ol", { class: "my-ranking" }, ...draft.map((id, i) => h("li", {},
        h("span", { class: "rank-text", text: text(id) }),
        h("span", { class: "rank-tools" },
          h("button", { type: "button", text: "↑", "aria-label": t("poll_up", text(id)), disabled: i === 0, dataset: { focus: `poll-up-${id}` }, onclick: () => swap(i, i - 1) }),
          h("button", { type: "button", text: "↓", "aria-label": t("poll_down", text(id)), disabled: i === draft.length - 1, dataset: { focus: `poll-down-${id}` }, onclick: () => swap(i, i + 1) }),
          h("button", { type: "button", text: "×", "aria-label": t("poll_remove_opt", text(id)), dataset: { focus: `poll-x-${id}` }, onclick: () => { draft.splice(i, 1); redraw(`poll-pick-${id}`); } })))))
        : h("p", { class: "hint", text: t("poll_empty_ranking") }),
      h("ul", { class: "poll-options" }, ...rest.map((o, k) => h("li", {},
        h("button", { type: "button", class: "option", "aria-label": t("poll_choose_opt", o.text), disabled: draft.length >= poll.pick || locked, dataset: { focus: `poll-pick-${o.id}` },
          onclick: () => { draft.push(o.id); redraw(draft.length >= poll.pick ? `poll-send-${poll.id}` : `poll-pick-${(rest[k + 1] || rest[k - 1] || {}).id}`); } }, h("span", { class: "plus", "aria-hidden": "true", text: "+" }), o.text)))),
      h("button", { type: "button", class: "primary", text: t("poll_send"), disabled: !draft.length || locked, dataset: { focus: `poll-send-${poll.id}` }, onclick: () => submit({ ranking: [...draft] }) }));
  }
  body.push(status, error);
  keepFocus(card, () => card.replaceChildren(...body));
}
