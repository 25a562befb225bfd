// Rendering of a room's board. Every text goes through textContent (see dom.js).
import { h, $ } from "./dom.js";
import { t } from "./i18n.js";
import { drawMatrix } from "./matrix.js";

const COLORS = ["yellow", "pink", "blue", "green", "orange", "purple"];

export function renderHeader(s) {
  $("#room-name").textContent = s.name;
  $("#question").textContent = s.question;
  $("#phase-name").textContent = t(`phase_${s.phase}`);
  const texts = s.instructions?.[s.phase];
  $("#instruction").textContent = texts ? (texts[document.documentElement.lang] || texts.en) : "";
  $("#locked").hidden = !s.locked;
}

export function renderForm(s, ctx) {
  const canAdd = s.can("note.add", ctx.role);
  $("#add").hidden = !canAdd;
  const lane = $("#note-lane");
  if (lane.options.length !== s.lanes.length) {
    lane.replaceChildren(...s.lanes.map((l) => h("option", { value: l, text: t(`lane_${l}`) })));
  }
  for (const option of lane.options) option.textContent = t(`lane_${option.value}`);
  $("#lane-label").hidden = s.lanes.length < 2;
  const color = $("#note-color");
  if (!color.options.length) color.replaceChildren(...COLORS.map((c) => h("option", { value: c, text: t(`c_${c}`) })));
  for (const option of color.options) option.textContent = t(`c_${option.value}`);
  $("#cluster-tools").hidden = !(s.can("cluster.create", ctx.role) && s.method !== "backcast");
}

function noteCard(s, note, ctx) {
  const mine = note.author === ctx.me;
  const layout = s.can("note.edit", ctx.role) && (s.phase !== "collect" || mine || ctx.role === "moderator");
  const rewrite = (s.phase === "collect" || s.phase === "open" || ctx.role === "moderator") && (mine || ctx.role === "moderator") && s.can("note.edit", ctx.role);
  const card = h("li", { class: "note", dataset: { id: note.id, color: note.color }, draggable: layout && s.clusters.size ? "true" : null });
  if (note.text === null) card.append(h("p", { class: "text hidden-text", text: t("hidden_note") }));
  else card.append(h("p", { class: "text", text: note.text }));
  const meta = h("div", { class: "meta" });
  if (mine) meta.append(h("span", { text: `(${t("you")})` }));
  if (rewrite && ctx.editing !== note.id) meta.append(h("button", { type: "button", text: t("edit"), dataset: { focus: `edit-${note.id}` }, onclick: () => ctx.startEdit(note.id) }));
  if (rewrite && s.can("note.delete", ctx.role)) meta.append(h("button", { type: "button", text: t("delete"), dataset: { focus: `delete-${note.id}` }, onclick: () => ctx.send("note.delete", { id: note.id }) }));
  if (layout && s.clusters.size) {
    const select = h("select", { "aria-label": `${t("move_to")}: ${note.text ?? ""}`, dataset: { focus: `move-${note.id}` }, onchange: (e) => ctx.send("note.edit", { id: note.id, cluster_id: e.target.value || null }) },
      h("option", { value: "", text: t("unclustered") }),
      ...[...s.clusters.values()].map((c) => h("option", { value: c.id, text: c.title, selected: note.cluster_id === c.id })));
    meta.append(select);
  }
  card.append(meta);
  if (ctx.editing === note.id) {
    const input = h("textarea", { rows: 2, maxlength: 280, "aria-label": t("edit") });
    input.value = note.text ?? "";
    const save = () => { ctx.stopEdit(); ctx.send("note.edit", { id: note.id, text: input.value, version: note.version }); };
    input.addEventListener("keydown", (e) => {
      if (e.key === "Enter" && !e.shiftKey) { e.preventDefault(); save(); }
      if (e.key === "Escape") ctx.stopEdit();
    });
    card.append(input, h("div", { class: "meta" }, h("button", { type: "button", text: t("save"), onclick: save }), h("button", { type: "button", text: t("cancel"), onclick: () => ctx.stopEdit() })));
    queueMicrotask(() => input.focus());
  }
  card.addEventListener("dragstart", (e) => e.dataTransfer.setData("text/plain", note.id));
  return card;
}

function column(s, title, notes, ctx, clusterId = undefined, tools = null) {
  const col = h("section", { class: "column", "aria-label": title }, h("h3", {}, h("span", { text: `${title} (${notes.length})` }), tools));
  col.append(h("ul", { class: "notes" }, ...notes.map((n) => noteCard(s, n, ctx))));
  if (clusterId !== undefined) {
    col.addEventListener("dragover", (e) => { e.preventDefault(); col.classList.add("drop"); });
    col.addEventListener("dragleave", () => col.classList.remove("drop"));
    col.addEventListener("drop", (e) => {
      e.preventDefault(); col.classList.remove("drop");
      const id = e.dataTransfer.getData("text/plain");
      if (id && s.notes.get(id)?.cluster_id !== clusterId) ctx.send("note.edit", { id, cluster_id: clusterId });
    });
  }
  return col;
}

export function renderNotes(s, ctx) {
  const notes = [...s.notes.values()];
  const columns = [];
  if (s.method === "backcast") {
    for (const lane of s.lanes) columns.push(column(s, t(`lane_${lane}`), notes.filter((n) => n.lane === lane), ctx));
  } else if (s.clusters.size || s.phase === "cluster") {
    columns.push(column(s, t("unclustered"), notes.filter((n) => !n.cluster_id), ctx, null));
    for (const c of s.clusters.values()) {
      const tools = s.can("cluster.delete", ctx.role)
        ? h("button", { type: "button", text: t("delete_cluster"), "aria-label": `${t("delete_cluster")}: ${c.title}`, onclick: () => ctx.send("cluster.delete", { id: c.id }) })
        : null;
      columns.push(column(s, c.title, notes.filter((n) => n.cluster_id === c.id), ctx, c.id, tools));
    }
  } else {
    columns.push(column(s, t(`lane_${s.lanes[0]}`), notes, ctx));
  }
  // Re-rendering replaces the elements: keep keyboard focus on the same control.
  const focused = document.activeElement?.dataset?.focus;
  $("#notes").replaceChildren(...columns);
  if (focused) document.querySelector(`[data-focus="${focused}"]`)?.focus();
}

function tallyText(tally) {
  if (!tally) return "";
  if (tally.hidden) return t("tally_hidden", tally.n);
  if (tally.impact?.mean == null) return "";
  return `${t("impact")}: ${t("tally", tally.impact.mean.toFixed(1), tally.impact.n)} · ${t("uncertainty")}: ${t("tally", tally.uncertainty.mean.toFixed(1), tally.uncertainty.n)}`;
}

export function renderVotes(s, ctx) {
  const show = s.can("vote.cast", ctx.role) && (s.phase === "rate" || s.phase === "open");
  $("#rate").hidden = !show;
  if (!show) return;
  const rows = s.targets().map((target) => {
    const mine = { ...(s.myVotes.get(target.id) || {}), ...(ctx.draftVotes.get(target.id) || {}) };
    const scale = (axis) => h("div", { class: "scale", role: "group", "aria-label": `${t(axis)}: ${target.text}` },
      h("span", { class: "label", text: t(axis) }),
      ...[1, 2, 3, 4, 5].map((n) => h("button", { type: "button", text: n, "aria-pressed": String(mine[axis] === n), onclick: () => ctx.vote(target.id, axis, n) })));
    return h("div", { class: "vote", dataset: { target: target.id } },
      h("p", { class: "target", text: target.text }), scale("impact"), scale("uncertainty"),
      h("p", { class: "tally", text: tallyText(s.tallies.get(target.id)) }));
  });
  $("#vote-list").replaceChildren(...rows);
}

export function renderPlot(s, ctx) {
  const show = (s.method === "scenario" && ["plot", "story", "closed"].includes(s.phase)) || (s.phase === "open" && s.tallies.size > 0);
  $("#plot").hidden = !show;
  if (!show) return;
  const targets = s.targets();
  for (const [sel, axis] of [["#axis-x", "x"], ["#axis-y", "y"]]) {
    const select = $(sel);
    select.disabled = !s.can("axes.set", ctx.role);
    select.replaceChildren(h("option", { value: "", text: t("none") }), ...targets.map((tg) => h("option", { value: tg.id, text: tg.text, selected: s.axes[axis] === tg.id })));
    select.onchange = () => ctx.send("axes.set", { x: $("#axis-x").value || null, y: $("#axis-y").value || null });
  }
  const suggested = s.suggestedAxes();
  $("#axes-hint").textContent = suggested ? t("suggested", s.label(suggested.x), s.label(suggested.y)) : "";
  const points = targets.map((tg) => {
    const tally = s.tallies.get(tg.id);
    return { label: tg.text, impact: tally?.impact?.mean, uncertainty: tally?.uncertainty?.mean, highlight: tg.id === s.axes.x || tg.id === s.axes.y };
  }).filter((p) => p.impact != null);
  $("#matrix").replaceChildren(drawMatrix(points, { impact: t("impact"), uncertainty: t("uncertainty") }));
}

export function renderStories(s, ctx) {
  const show = s.method === "scenario" && (s.phase === "story" || s.phase === "closed") || (s.phase === "open" && s.can("story.edit", ctx.role) && s.axes.x && s.axes.y);
  $("#stories").hidden = !show;
  if (!show) return;
  const list = $("#story-list");
  for (const quadrant of ["hh", "hl", "lh", "ll"]) {
    const story = s.stories.get(quadrant);
    let card = list.querySelector(`[data-quadrant=${quadrant}]`);
    if (!card) {
      card = h("article", { class: "story", dataset: { quadrant } }, h("h3", { text: t(`q_${quadrant}`) }));
      for (const [field, tag] of [["title", "input"], ["metaphor", "input"], ["text", "textarea"]]) {
        const input = h(tag, { name: field, maxlength: field === "text" ? 4000 : field === "title" ? 120 : 200, rows: tag === "textarea" ? 4 : null });
        input.addEventListener("focus", () => { input.dataset.base = String(s.stories.get(quadrant)?.version ?? 0); });
        input.addEventListener("change", () => ctx.editStory(quadrant, field, input));
        card.append(h("label", {}, h("span", { text: t(field === "text" ? "story_text" : field) }), input));
      }
      list.append(card);
    }
    card.querySelector("h3").textContent = t(`q_${quadrant}`);
    for (const field of ["title", "metaphor", "text"]) {
      const input = card.querySelector(`[name=${field}]`);
      input.disabled = !s.can("story.edit", ctx.role);
      if (document.activeElement !== input) input.value = story?.[field] ?? "";
    }
  }
}
