// Rendering of a room's board: header, the note form and the notes. Every text goes
// through textContent (see dom.js).
import { $, actingSelect, confirmHere, h } from "./dom.js";
import { previousFacts, t, tr } from "./i18n.js";

const REVEALED_SEEN = `plenary.revealed-seen.${document.body.dataset.room}`;
$("#private-close")?.addEventListener("click", () => {
  sessionStorage.setItem(REVEALED_SEEN, "1");
  $("#private-note").hidden = true;
  $("#note-text")?.focus();  // the closed notice's place goes to the task
});

const COLORS = ["yellow", "pink", "blue", "green", "orange", "purple"];

// Re-render a container without losing the person's place: the focused control (by its
// data-focus key) gets focus back, with what was typed in it and where the cursor was.
export function keepFocus(container, build) {
  const active = document.activeElement;
  const key = active && container.contains(active) ? active.dataset.focus : null;
  const typed = active && "value" in active && active.dataset.dirty === "1" ? active.value : null;
  let start = null, end = null;
  try { start = active?.selectionStart; end = active?.selectionEnd; } catch { /* not a text field */ }
  build();
  if (!key) return;
  const again = container.querySelector(`[data-focus="${CSS.escape(key)}"]`);
  if (!again) return;
  if (typed !== null) { again.value = typed; again.dataset.dirty = "1"; }
  again.focus();
  try { if (start !== null) again.setSelectionRange(start, end); } catch { /* not a text field */ }
}

export function markDirty(input) { input.addEventListener("input", () => { input.dataset.dirty = "1"; }); return input; }

// A follow-up session: what the session before concluded, in the lobby first, later folded.
export function renderPrevious(s) {
  const card = $("#previous");
  card.hidden = !s.previous;
  if (!s.previous) return;
  card.replaceChildren(
    h("h2", { id: "previous-h", text: t("previous_session", s.previous.title) }),
    h("p", { class: "hint", text: t("previous_top", s.previous.question) }),
    h("ol", { class: "previous-items" }, ...s.previous.items.map((item) => h("li", {},
      h("strong", { text: item.title }), h("span", { class: "hint", text: ` · ${previousFacts(item, item.rooms)}` })))));
}

export function renderHeader(s) {
  $("#room-name").textContent = s.name;
  $("#question").textContent = s.question;
  $("#phase-name").textContent = t(`phase_${s.phase}`);
  const texts = s.instructions?.[s.phase];
  $("#instruction").textContent = texts ? (texts[document.documentElement.lang] || texts.en) : "";
  $("#locked").hidden = !s.locked;
  // Locked: say why nothing can be changed, instead of fields that just do not respond.
  tr($("#locked-note"), s.locked ? "locked_note" : null);
  $("#locked-note").hidden = !s.locked;
  $("#timer").hidden = s.phase === "closed";  // a round that is over has no time left to show
  const priv = $("#private-text");
  const writing = ["lobby", "collect", "open"].includes(s.phase);
  // "Revealed" is news once: it can be closed (on a phone in landscape it pushed the
  // note field off the screen for the rest of the session); "private" is a standing rule.
  const revealedSeen = sessionStorage.getItem(REVEALED_SEEN) === "1";
  if (s.private && !s.revealed && writing) tr(priv, "private_on");
  else if (s.private && s.revealed && writing && !revealedSeen) tr(priv, "private_revealed");
  else tr(priv, null);
  $("#private-close").hidden = !(s.private && s.revealed);
  $("#private-note").hidden = !priv.textContent;
}

// Lanes a person can write in now: never a one-option selector, never a step outside the path.
export function writableLanes(s) {
  if (s.phase === "path") return ["step"];
  return s.lanes.filter((l) => l !== "step");
}

export function renderForm(s, ctx) {
  const canAdd = s.can("note.add", ctx.role) && ["collect", "open"].includes(s.phase);
  $("#add").hidden = !canAdd;
  const lanes = writableLanes(s);
  const lane = $("#note-lane");
  if ([...lane.options].map((o) => o.value).join() !== lanes.join()) {
    lane.replaceChildren(...lanes.map((l) => h("option", { value: l, text: t(`lane_${l}`) })));
    const kept = sessionStorage.getItem(ctx.laneKey);
    if (lanes.includes(kept)) lane.value = kept;
  }
  for (const option of lane.options) option.textContent = t(`lane_${option.value}`);
  $("#lane-label").hidden = lanes.length < 2;
  const color = $("#note-color");
  if (!color.options.length) color.replaceChildren(...COLORS.map((c) => h("option", { value: c, text: t(`c_${c}`) })));
  for (const option of color.options) option.textContent = t(`c_${option.value}`);
  $("#cluster-tools").hidden = !(s.can("cluster.create", ctx.role) && s.method === "scenario" && ["cluster", "open"].includes(s.phase));
}

// The inline editor of a note's words: Enter saves, Escape cancels; focus returns to the note.
export function noteEditor(note, ctx) {
  const input = h("textarea", { rows: 2, maxlength: 280, "aria-label": t("edit"), dataset: { focus: `editor-${note.id}` } });
  input.value = note.text ?? "";
  const save = () => {
    const text = input.value.trim();
    ctx.stopEdit(note.id);
    if (text && text !== note.text) ctx.send("note.edit", { id: note.id, text, version: note.version });
  };
  input.addEventListener("keydown", (e) => {
    if (e.key === "Enter" && !e.shiftKey) { e.preventDefault(); save(); }
    if (e.key === "Escape") { e.preventDefault(); ctx.stopEdit(note.id); }
  });
  queueMicrotask(() => input.focus());
  return [input, h("div", { class: "meta" },
    h("button", { type: "button", text: t("save"), onclick: save }),
    h("button", { type: "button", text: t("cancel"), onclick: () => ctx.stopEdit(note.id) }))];
}

function noteCard(s, note, ctx) {
  const mine = note.author === ctx.me;
  const moderator = ctx.role === "moderator";
  const layout = s.can("note.edit", ctx.role) && (s.phase !== "collect" || mine || moderator);
  const step = note.lane === "step";
  const rewriting = ["collect", "open"].includes(s.phase) || (step && s.phase === "path") || moderator;
  const rewrite = rewriting && (mine || moderator) && s.can("note.edit", ctx.role);
  const card = h("li", { class: "note", tabindex: "-1", dataset: { id: note.id, color: note.color, focus: `note-${note.id}` }, draggable: layout && s.clusters.size ? "true" : null });
  if (note.text === null) card.append(h("p", { class: "text hidden-text", text: t("hidden_note") }));
  else card.append(h("p", { class: "text", text: note.text }));
  if (step && note.when) card.append(h("p", { class: "when", text: note.when }));
  const meta = h("div", { class: "meta" });
  if (mine) meta.append(h("span", { text: `(${t("you")})` }));
  if (rewrite && ctx.editing !== note.id) meta.append(h("button", { type: "button", text: t("edit"), "aria-label": `${t("edit")}: ${note.text ?? ""}`, dataset: { focus: `edit-${note.id}` }, onclick: () => ctx.startEdit(note.id) }));
  if (rewrite && s.can("note.delete", ctx.role)) meta.append(h("button", { type: "button", text: t("delete"), "aria-label": `${t("delete")}: ${note.text ?? ""}`, dataset: { focus: `delete-${note.id}` }, onclick: (e) => ctx.confirmDelete(note.id, e.currentTarget) }));
  if (layout && s.clusters.size && s.method === "scenario") {
    const select = actingSelect(h("select", { "aria-label": `${t("move_to")}: ${note.text ?? ""}`, dataset: { focus: `move-${note.id}` } },
      // Loose, the menu says what it is for; in a cluster, its empty choice takes the note out.
      h("option", { value: "", text: note.cluster_id ? t("take_out") : `${t("move_to")}…` }),
      ...[...s.clusters.values()].map((c) => h("option", { value: c.id, text: c.title, selected: note.cluster_id === c.id }))),
    (value) => ctx.send("note.edit", { id: note.id, cluster_id: value || null }));
    meta.append(select);
  }
  card.append(meta);
  if (ctx.editing === note.id) card.append(...noteEditor(note, ctx));
  card.addEventListener("dragstart", (e) => e.dataTransfer.setData("text/plain", note.id));
  return card;
}

function pendingCard(command) {
  const data = command.data;
  return h("li", { class: "note pending", dataset: { color: data.color || "yellow", ref: command.ref } },
    h("p", { class: "text", text: data.text }),
    h("div", { class: "meta" }, h("span", { class: "pending-badge", text: t("pending_note") })));
}

function clusterTools(s, c, ctx) {
  if (!s.can("cluster.update", ctx.role)) return null;
  if (ctx.renaming === c.id) {
    const input = h("input", { value: c.title, maxlength: 120, "aria-label": `${t("rename")}: ${c.title}`, dataset: { focus: `rename-input-${c.id}` } });
    const save = () => {
      const title = input.value.trim();
      ctx.stopRename(c.id);
      if (title && title !== c.title) ctx.send("cluster.update", { id: c.id, title });
    };
    input.addEventListener("keydown", (e) => {
      if (e.key === "Enter") { e.preventDefault(); save(); }
      if (e.key === "Escape") { e.preventDefault(); ctx.stopRename(c.id); }
    });
    queueMicrotask(() => { input.focus(); input.select(); });
    return h("span", { class: "cluster-tools" }, input,
      h("button", { type: "button", text: t("save"), onclick: save }),
      h("button", { type: "button", text: t("cancel"), onclick: () => ctx.stopRename(c.id) }));
  }
  const remove = h("button", { type: "button", class: "danger-soft", text: t("delete"), "aria-label": `${t("delete_cluster")}: ${c.title}`, dataset: { focus: `delcluster-${c.id}` } });
  remove.addEventListener("click", async () => {
    if (await confirmHere(remove.closest("h3"), t("confirm_delete_cluster", c.title))) ctx.send("cluster.delete", { id: c.id });
  });
  return h("span", { class: "cluster-tools" },
    h("button", { type: "button", text: t("rename"), "aria-label": `${t("rename")}: ${c.title}`, dataset: { focus: `rename-${c.id}` }, onclick: () => ctx.startRename(c.id) }),
    remove);
}

function column(s, title, notes, ctx, { clusterId, tools = null, pending = [] } = {}) {
  const heading = h("h3", {}, h("span", { class: "col-title", text: `${title} (${notes.length})` }), tools);
  const col = h("section", { class: "column", "aria-label": title }, heading);
  col.append(h("ul", { class: "notes" }, ...notes.map((n) => noteCard(s, n, ctx)), ...pending.map(pendingCard)));
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
  const waiting = ctx.pendingNotes();
  const pendingIn = (lane) => waiting.filter((c) => (c.data.lane || writableLanes(s)[0]) === lane);
  const columns = [];
  if (s.method === "backcast") {
    const lanes = s.lanes.filter((l) => l !== "step" || notes.some((n) => n.lane === "step"));
    for (const lane of lanes) columns.push(column(s, t(`lane_${lane}`), lane === "step" ? s.steps() : notes.filter((n) => n.lane === lane), ctx, { pending: pendingIn(lane) }));
  } else if (s.clusters.size || s.phase === "cluster") {
    const loose = notes.filter((n) => !n.cluster_id);
    // The loose column is a drop target while clustering; later, empty, it is only noise.
    if (loose.length || waiting.length || s.phase === "cluster") columns.push(column(s, t("unclustered"), loose, ctx, { clusterId: null, pending: waiting }));
    for (const c of s.clusters.values()) {
      columns.push(column(s, c.title, notes.filter((n) => n.cluster_id === c.id), ctx, { clusterId: c.id, tools: clusterTools(s, c, ctx) }));
    }
  } else {
    columns.push(column(s, t(`lane_${s.lanes[0]}`), notes, ctx, { pending: waiting }));
  }
  keepFocus($("#notes"), () => $("#notes").replaceChildren(...columns));
  if (ctx.refocus) {
    const target = document.querySelector(`[data-focus="${CSS.escape(ctx.refocus)}"]`);
    ctx.refocus = null;
    target?.focus();
  }
}
