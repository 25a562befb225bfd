// The tasks of the phases on a room's board: voting, the scenario cross with its poles,
// the four stories, and the backcast path. Text only through textContent.
import { $, actingSelect, h, limitCounter } from "./dom.js";
import { decimal, quadrantName, quadrantPoles, t, tr } from "./i18n.js";
import { drawMatrix } from "./matrix.js";
import { keepFocus, markDirty, noteEditor } from "./board_view.js";

// --- rate ---
function tallyText(s, target, ctx) {
  const tally = s.tallies.get(target);
  if (!tally) return "";
  if (tally.hidden) return t("tally_hidden", tally.n);
  const n = tally.impact?.n ?? 0;
  // No herding: until I voted on it, I see how many voted, not what they said.
  if (ctx.role !== "moderator" && !s.myVotes.has(target)) return n ? t("tally_after_vote", n) : "";
  if (tally.impact?.mean == null) return "";
  return `${t("impact")}: ${t("tally", decimal(tally.impact.mean), tally.impact.n)} · ${t("uncertainty")}: ${t("tally", decimal(tally.uncertainty.mean), tally.uncertainty.n)}`;
}

function scaleKeys(e) {
  const step = { ArrowRight: 1, ArrowDown: 1, ArrowLeft: -1, ArrowUp: -1 }[e.key];
  const buttons = [...e.currentTarget.querySelectorAll("button")];
  const at = buttons.indexOf(document.activeElement);
  if (at < 0) return;
  let next = null;
  if (step) next = buttons[Math.min(buttons.length - 1, Math.max(0, at + step))];
  else if (e.key === "Home") next = buttons[0];
  else if (e.key === "End") next = buttons[buttons.length - 1];
  if (!next) return;
  e.preventDefault();
  for (const b of buttons) b.tabIndex = b === next ? 0 : -1;
  next.focus();
}

export function renderVotes(s, ctx) {
  const targets = s.targets();
  const rows = targets.map((target, k) => {
    const mine = { ...(s.myVotes.get(target.id) || {}), ...(ctx.draftVotes.get(target.id) || {}) };
    // One Tab stop per scale (the chosen number, else 1); the arrow keys move along it and
    // Enter or Space chooses, as in a toolbar.
    const scale = (axis) => h("div", { class: "scale", role: "group", "aria-label": `${t(axis)}: ${target.text}`, onkeydown: scaleKeys },
      h("span", { class: "label", text: t(axis) }),
      ...[1, 2, 3, 4, 5].map((n) => h("button", {
        type: "button", text: n, "aria-pressed": String(mine[axis] === n), "aria-label": `${t(axis)} ${n}: ${target.text}`,
        tabindex: n === (mine[axis] || 1) ? "0" : "-1",
        dataset: { focus: `vote-${target.id}-${axis}-${n}` }, disabled: !s.can("vote.cast", ctx.role),
        onclick: () => ctx.vote(target.id, axis, n),
      })));
    // Backcasting's lanes are different questions: each one's notes under its name.
    const first = target.lane && target.lane !== targets[k - 1]?.lane;
    const lane = s.method === "backcast" && first ? h("h3", { class: "kicker", text: t(`lane_${target.lane}`) }) : null;
    return h("div", { class: "vote", dataset: { target: target.id } },
      lane, h("p", { class: "target", text: target.text }), scale("impact"), scale("uncertainty"),
      h("p", { class: "tally", text: tallyText(s, target.id, ctx) }));
  });
  // What 1 and 5 mean, once above the list: "onzekerheid 5" is otherwise read both ways.
  const key = h("p", { class: "hint scale-key" }, h("strong", { text: `${t("impact")}: ` }), t("impact_scale"), h("br"),
    h("strong", { text: `${t("uncertainty")}: ` }), t("uncertainty_scale"));
  keepFocus($("#vote-list"), () => $("#vote-list").replaceChildren(key, ...rows));
}

// --- the scenario cross ---
// The cross as a grid: poles on the ends of both axes, a quadrant per pole combination.
export function crossView(s, { compact = false } = {}) {
  const { x, y } = s.axes;
  const pole = (axis, side, cls) => h("div", { class: `pole ${cls}` },
    axis ? h("span", { class: "axis-title", text: axis.title }) : null,
    h("span", { class: "pole-name", text: axis?.[side] || t(side === "high" ? "high" : "low") }));
  const cell = (q) => {
    const story = s.stories.get(q);
    return h("div", { class: `quad q-${q}` },
      // The axes' names stand at the poles; in the quadrant the two poles say enough.
      h("span", { class: "quad-name", text: quadrantPoles(q, s.axes), title: quadrantName(q, s.axes) }),
      story?.title ? h("strong", { class: "quad-title", text: story.title }) : null);
  };
  return h("div", { class: `cross${compact ? " compact" : ""}`, role: "group", "aria-label": t("plot_title") },
    pole(y, "high", "top"), pole(x, "low", "left"),
    h("div", { class: "quads" }, cell("lh"), cell("hh"), cell("ll"), cell("hl")),
    pole(x, "high", "right"), pole(y, "low", "bottom"));
}

// Fields saved while typed in: a short one (a pole, a step's moment) a moment after the
// last key, a story after 2 s. One wait per field: each key starts it again.
const SHORT_SAVE_MS = 1200;
const STORY_SAVE_MS = 2000;
const pauses = new Map();
function afterPause(key, ms, action) {
  clearTimeout(pauses.get(key));
  pauses.set(key, setTimeout(() => { pauses.delete(key); action(); }, ms));
}
function cancelPause(key) { clearTimeout(pauses.get(key)); pauses.delete(key); }

export function renderPlot(s, ctx) {
  const targets = s.targets();
  const editable = s.can("axes.set", ctx.role);
  const suggested = s.suggestedAxes();
  const hint = $("#axes-hint");
  hint.textContent = suggested ? t("suggested", s.label(suggested.x), s.label(suggested.y)) : t("axes_hint");
  const use = $("#use-suggestion");
  use.hidden = !(suggested && editable && (s.axes.x?.target !== suggested.x || s.axes.y?.target !== suggested.y));
  use.onclick = () => ctx.send("axes.set", { x: suggested.x, y: suggested.y });
  for (const name of ["x", "y"]) {
    const axis = s.axes[name];
    const select = $(`#axis-${name}`);
    select.disabled = !editable;
    if (document.activeElement !== select && !ctx.axesBusy()) {
      select.replaceChildren(h("option", { value: "", text: t("pick_axis") }),
        ...targets.map((tg) => h("option", { value: tg.id, text: tg.text, selected: axis?.target === tg.id })));
    }
    // Keys only browse the axis menu; Enter, a tap or leaving it on a new choice sets it.
    if (!select.dataset.acting) {
      select.dataset.acting = "1";
      actingSelect(select, () => ctx.setAxes(), () => s.axes[name]?.target || "");
    }
    for (const side of ["low", "high"]) {
      const input = $(`#pole-${name}-${side}`);
      input.disabled = !editable || !axis;
      // Not while typed in, nor while a change is on its way (an older event would undo it).
      if (document.activeElement !== input && !ctx.axesBusy() && !input.dataset.dirty) input.value = axis?.[side] ?? "";
      // Saved a moment after the last key, as stories are, and at once on leaving the field
      // (twelfth trial: names typed and left in the field were lost when the phase moved on).
      input.oninput = () => { input.dataset.dirty = "1"; afterPause(input.id, SHORT_SAVE_MS, () => ctx.setAxes(name, side)); };
      input.onchange = () => { cancelPause(input.id); if (input.dataset.dirty) ctx.setAxes(name, side); };
    }
  }
  // The chart the two are picked from: the room's own votes.
  const points = targets.map((tg, i) => {
    const tally = s.tallies.get(tg.id);
    return { n: i + 1, label: tg.text, impact: tally?.impact?.mean, uncertainty: tally?.uncertainty?.mean,
      highlight: tg.id === s.axes.x?.target || tg.id === s.axes.y?.target || tg.id === suggested?.x || tg.id === suggested?.y };
  }).filter((p) => p.impact != null)
    // Numbered by weight (impact × uncertainty), so 1 is the strongest candidate for an axis.
    .sort((a, b) => b.impact * b.uncertainty - a.impact * a.uncertainty || a.n - b.n)
    .map((p, i) => ({ ...p, n: i + 1 }));
  // Drawn at the width it is shown at, so 13 px in the drawing is 13 px on a phone too.
  const width = Math.min(640, Math.max(280, $("#matrix").clientWidth || 560));
  if (!points.length) {
    $("#matrix").replaceChildren(h("p", { class: "hint chart-empty", text: t("chart_no_votes") }));
  } else {
    const chart = drawMatrix(points, { impact: t("impact"), uncertainty: t("uncertainty"), width, height: Math.round(width * 0.82), font: 13, tick: 12 });
    $("#matrix").replaceChildren(chart, legend(chart.legend, { marked: points.some((p) => p.highlight) }));
  }
  // Poles without a name give scenarios called "laag · hoog": ask for them while it matters.
  const unnamed = s.axes.x && s.axes.y && [s.axes.x, s.axes.y].some((a) => !a.low || !a.high);
  tr($("#poles-missing"), unnamed ? "poles_unnamed" : null);
  $("#poles-missing").hidden = !unnamed;
  $("#cross").replaceChildren(crossView(s));
  fitWords($("#cross"));
}

// A quadrant's name (and its scenario's title) in whole words: a word wider than its box makes the text smaller,
// down to 11 px; only then does a word break, at a syllable and with a hyphen
// ("onderhouds-gevoelig"), never cut off nor split at a random letter.
export function fitWords(root) {
  for (const el of root.querySelectorAll(".quad-name, .quad-title")) {
    el.style.fontSize = "";
    el.textContent = el.textContent.replaceAll("\u00ad", "");
    let size = parseFloat(getComputedStyle(el).fontSize);
    while (el.scrollWidth > el.clientWidth + 1 && size >= 11.5) {
      size -= 0.5;
      el.style.fontSize = `${size}px`;
    }
    if (el.scrollWidth > el.clientWidth + 1) el.textContent = el.textContent.split(" ").map(syllables).join(" ");
  }
}

// Soft hyphens between syllables, by the rule Dutch and English mostly follow: of the
// consonants between two vowels only the last starts the next syllable (ge-voe-lig,
// on-der, houds-ge); "ch" and a consonant with r or l stay whole (la-chen, zelf-spre-kend
// gives zelfs-pre-kend at worst), "ij" counts as a vowel. Never within
// two letters of the start or three of the end.
const VOWEL = /[aeiouyàáâäèéêëìíîïòóôöùúûü]/i;
export function syllables(word) {
  if (word.length < 6) return word;
  const vowel = (i) => VOWEL.test(word[i] || "") || (/j/i.test(word[i] || "") && /i/i.test(word[i - 1] || ""));
  const letter = (i) => /\p{L}/u.test(word[i] || "");
  let out = word[0];
  for (let j = 1; j < word.length; j += 1) {
    let at = j;
    const starts = letter(j) && !vowel(j) && vowel(j + 1) && letter(j - 1);
    if (starts && /h/i.test(word[j]) && /c/i.test(word[j - 1])) at = j - 1;  // "ch" stays whole
    // A consonant with r or l starts a syllable together (spre-kend, ci-troen).
    if (starts && /[rl]/i.test(word[j]) && /[bcdfgkptv]/i.test(word[j - 1])) at = j - 1;
    const before = [...word.slice(0, at)];
    const ok = starts && at >= 2 && word.length - at >= 3 && before.some((_, i) => vowel(i)) && letter(at - 1);
    if (ok && at === j - 1) out = `${out.slice(0, -1)}\u00ad${out.slice(-1)}`;
    out += (ok && at === j ? "\u00ad" : "") + word[j];
  }
  return out;
}

export function legend(entries, { marked = false } = {}) {
  // Orange dots are the axes (or the two the chart suggests for them): the key says so.
  const key = marked ? h("p", { class: "hint chart-key" }, h("span", { class: "legend-n hl", "aria-hidden": "true", text: "\u00a0" }), " ", t("chart_orange")) : null;
  if (!entries.length) return key || h("span");
  const list = h("ol", { class: "legend", "aria-label": t("legend") }, ...entries.map((e) => h("li", {},
    h("span", { class: `legend-n${e.highlight ? " hl" : ""}`, text: String(e.n) }), " ", e.label)));
  return key ? h("div", {}, key, list) : list;
}

// --- stories ---
const FIELDS = [["title", "input", 120], ["metaphor", "input", 200], ["text", "textarea", 4000]];
function storyCard(s, quadrant, ctx) {
  const card = h("article", { class: "story", dataset: { quadrant } }, h("h3", { class: "quad-name" }));
  for (const [field, tag, max] of FIELDS) {
    const input = markDirty(h(tag, { name: field, maxlength: max, rows: tag === "textarea" ? 5 : null, dataset: { focus: `story-${quadrant}-${field}` } }));
    input.addEventListener("focus", () => { if (input.dataset.dirty !== "1") input.dataset.base = String(s.stories.get(quadrant)?.version ?? 0); });
    input.addEventListener("change", () => ctx.editStory(quadrant, field, input));
    // Saved while typing too, 2 s after the last key: a story written for ten minutes is
    // never all at stake when the group is locked or the phase ends (tenth trial: the last
    // sentence, typed and not yet left, was lost).
    input.addEventListener("input", () => afterPause(input.dataset.focus, STORY_SAVE_MS, () => {
      if (s.can("story.edit", ctx.role) && input.value !== input.dataset.sent) ctx.editStory(quadrant, field, input);
    }));
    if (tag === "textarea") input.addEventListener("keydown", (e) => { if (e.key === "Enter" && (e.ctrlKey || e.metaKey)) { e.preventDefault(); ctx.editStory(quadrant, field, input); } });
    card.append(h("label", {}, h("span", { text: t(field === "text" ? "story_text" : field), dataset: { label: field } }), input),
      h("div", { class: "conflict", dataset: { conflict: field }, hidden: true }));
    if (tag === "textarea") limitCounter(input, { near: 200 });
  }
  const traits = h("div", { class: "traits" }, h("span", { class: "traits-label", text: t("traits") }), h("ul", { class: "chips" }));
  const add = h("input", { maxlength: 80, "aria-label": t("add_trait"), dataset: { focus: `trait-new-${quadrant}` } });
  const addButton = h("button", { type: "button", text: t("add_trait"), dataset: { focus: `trait-add-${quadrant}` } });
  const addTrait = () => {
    const value = add.value.trim();
    if (!value) return;
    add.value = "";
    ctx.editTraits(quadrant, (list) => (list.includes(value) ? list : [...list, value]));
  };
  addButton.addEventListener("click", addTrait);
  add.addEventListener("keydown", (e) => { if (e.key === "Enter") { e.preventDefault(); addTrait(); } });
  traits.append(h("div", { class: "trait-add" }, add, addButton), h("div", { class: "conflict", dataset: { conflict: "traits" }, hidden: true }));
  card.append(traits);
  return card;
}

// The story cards in the order the cross reads: top left, top right, bottom left, bottom right.
const READING_ORDER = ["lh", "hh", "ll", "hl"];

export function renderStories(s, ctx) {
  const list = $("#story-list");
  $("#story-cross").replaceChildren(crossView(s, { compact: true }));
  const editable = s.can("story.edit", ctx.role);
  for (const quadrant of READING_ORDER) {
    const story = s.stories.get(quadrant);
    let card = list.querySelector(`[data-quadrant=${quadrant}]`);
    if (!card) { card = storyCard(s, quadrant, ctx); list.append(card); }
    card.querySelector("h3").textContent = quadrantName(quadrant, s.axes);
    for (const [field] of FIELDS) {
      const input = card.querySelector(`[name=${field}]`);
      card.querySelector(`[data-label=${field}]`).textContent = t(field === "text" ? "story_text" : field);
      input.disabled = !editable;
      // Someone else's words never overwrite what a person is typing; the server merges on save.
      const typing = document.activeElement === input || input.dataset.dirty === "1";
      if (input.dataset.sync === "1" && story && input.value === input.dataset.sent) {
        input.value = story[field] ?? ""; input.dataset.base = String(story.version); input.dataset.sync = "";
      } else if (input.dataset.sync === "1" && story && story[field] === input.dataset.sent) {
        // Typed on after a save went through: the next save builds on that version.
        input.dataset.base = String(story.version); input.dataset.sync = "";
      } else if (!typing) {
        input.value = story?.[field] ?? "";
      }
      // Words that could not be saved (the room was locked meanwhile) go once it opens again.
      if (editable && input.dataset.dirty === "1" && input.dataset.refused === "1" && input.value !== (story?.[field] ?? "")) {
        input.dataset.refused = "";
        ctx.editStory(quadrant, field, input);
      }
    }
    const chips = card.querySelector(".chips");
    const traits = story?.traits || [];
    keepFocus(chips, () => chips.replaceChildren(...traits.map((trait, i) => h("li", { class: "chip" },
      h("span", { text: trait }),
      editable ? h("button", { type: "button", class: "chip-x", text: "×", "aria-label": t("remove_trait", trait), dataset: { focus: `trait-x-${quadrant}-${i}` },
        onclick: () => ctx.editTraits(quadrant, (list2) => list2.filter((x) => x !== trait)) }) : null))));
    card.querySelector(".traits-label").textContent = editable ? `${t("traits")} (${traits.length}/8)` : t("traits");
    card.querySelector(".traits").hidden = !editable && !traits.length;
    const full = traits.length >= 8;
    for (const el of card.querySelectorAll(".trait-add input, .trait-add button")) el.disabled = !editable || full;
    card.querySelector(".trait-add").hidden = !editable;
    readOnlyStory(card, story, editable);
  }
}

// What a person typed that the board does not hold: shown in the read-only card, to copy.
function unsaved(card, story) {
  return FIELDS.map(([field]) => card.querySelector(`[name=${field}]`))
    .filter((input) => input.dataset.dirty === "1" && input.value.trim() && input.value !== (story?.[input.name] ?? ""));
}

// A story that can no longer change (closed, locked) reads as text, whole, not as greyed
// fields whose scroll box hides its start.
function readOnlyStory(card, story, editable) {
  card.classList.toggle("readonly", !editable);
  let read = card.querySelector(".story-read");
  if (editable) { read?.remove(); return; }
  if (!read) { read = h("div", { class: "story-read" }); card.querySelector("h3").after(read); }
  const line = (field, cls) => (story?.[field] ? h("p", { class: cls }, h("span", { class: "label", text: `${t(field === "text" ? "story_text" : field)}: ` }), story[field]) : null);
  read.replaceChildren(...[line("title", "r-title"), line("metaphor", "r-metaphor"), line("text", "r-text")].filter(Boolean));
  if (!read.childElementCount) read.append(h("p", { class: "hint", text: t("story_empty") }));
  const lost = unsaved(card, story);
  for (const input of lost) input.dataset.refused = "1";  // sent once the card opens again
  if (lost.length) read.append(h("div", { class: "warn story-unsaved" }, h("p", { text: t("story_unsaved") }), ...lost.map((input) => h("p", { class: "r-text", text: input.value }))));
}

// A conflict shown in place: their text beside mine, and the person chooses.
export function showConflict(quadrant, field, theirs, onTake, onKeep) {
  const card = $(`#story-list [data-quadrant=${quadrant}]`);
  const box = card?.querySelector(`[data-conflict=${field}]`);
  if (!box) return;
  const theirText = Array.isArray(theirs) ? theirs.join(", ") : (theirs || "—");
  // Mine beside theirs, so the two can be compared here (the field itself may be scrolled).
  const mine = field === "traits" ? null : card.querySelector(`[name=${field}]`)?.value;
  const close = () => { box.hidden = true; box.replaceChildren(); };
  box.replaceChildren(
    h("p", { class: "conflict-head", text: t("conflict_story") }),
    h("p", { class: "conflict-label", text: t("conflict_theirs") }),
    h("blockquote", { class: "theirs", text: theirText }),
    h("p", { class: "conflict-label", text: t("conflict_mine") }),
    mine != null ? h("blockquote", { class: "mine", text: mine || "—" }) : null,
    h("div", { class: "row" },
      h("button", { type: "button", text: t("take_theirs"), onclick: () => { close(); onTake(); } }),
      h("button", { type: "button", class: "primary", text: t("keep_mine"), onclick: () => { close(); onKeep(); } })));
  box.hidden = false;
  box.setAttribute("role", "alert");
}

// --- the backcast path ---
function effectiveXs(steps) {
  const xs = [];
  let prev = 0;
  for (const step of steps) { const x = step.x ?? (prev + 1) / 2; xs.push(x); prev = x; }
  return xs;
}

// Move a step one place: its x becomes halfway between its new neighbours.
export function moveStep(steps, index, delta) {
  const xs = effectiveXs(steps);
  const to = index + delta;
  if (to < 0 || to >= steps.length) return null;
  const before = delta < 0 ? (to - 1 >= 0 ? xs[to - 1] : 0) : xs[to];
  const after = delta < 0 ? xs[to] : (to + 1 < steps.length ? xs[to + 1] : 1);
  return (before + after) / 2;
}

export function nextStepX(steps) {
  const xs = effectiveXs(steps);
  const last = xs.length ? xs[xs.length - 1] : 0;
  return (last + 1) / 2;
}

export function renderPath(s, ctx) {
  const steps = s.steps();
  const canEdit = s.can("note.edit", ctx.role);
  $("#path-form").hidden = !s.can("note.add", ctx.role) || s.phase !== "path" && ctx.role !== "moderator";
  const items = steps.map((step, i) => {
    const mine = step.author === ctx.me || ctx.role === "moderator";
    const when = markDirty(h("input", { class: "when-input", value: step.when ?? "", maxlength: 40, placeholder: t("when_placeholder"), "aria-label": t("when_of", step.text ?? ""), dataset: { focus: `when-${step.id}` }, disabled: !canEdit }));
    when.addEventListener("change", () => { when.dataset.dirty = ""; ctx.send("note.edit", { id: step.id, when: when.value.trim() || null }); });
    when.addEventListener("keydown", (e) => { if (e.key === "Enter") { e.preventDefault(); when.dispatchEvent(new Event("change")); } });
    // Saved a moment after the last key, as a pole is (thirteenth trial: another phone still
    // showed the old moment while the writer stayed in the field). The field may have been
    // drawn again meanwhile: the one on the page now is sent.
    when.addEventListener("input", () => afterPause(when.dataset.focus, SHORT_SAVE_MS, () => {
      const now = document.querySelector(`[data-focus="${CSS.escape(when.dataset.focus)}"]`);
      if (now && now.dataset.dirty) now.dispatchEvent(new Event("change"));
    }));
    const move = (delta) => {
      const x = moveStep(steps, i, delta);
      if (x === null) return;
      ctx.refocusPath = `${delta < 0 ? "up" : "down"}-${step.id}`;
      ctx.send("note.edit", { id: step.id, x });
    };
    // A path that can no longer change (closed, locked) reads as a timeline, not a form.
    if (!canEdit) {
      return h("li", { class: "step", dataset: { id: step.id } },
        h("span", { class: "step-n", "aria-hidden": "true", text: String(i + 1) }),
        h("div", { class: "step-body" },
          step.when ? h("p", { class: "step-when", text: step.when }) : null,
          h("p", { class: "step-text", text: step.text ?? t("hidden_note") })));
    }
    const li = h("li", { class: "step", dataset: { id: step.id } },
      h("span", { class: "step-n", "aria-hidden": "true", text: String(i + 1) }),
      h("div", { class: "step-body" },
        ctx.editing === step.id ? noteEditor(step, ctx) : h("p", { class: "step-text", text: step.text ?? t("hidden_note") }),
        h("label", { class: "when-label" }, h("span", { text: t("when") }), when),
        h("div", { class: "row step-tools" },
          h("button", { type: "button", text: `↑ ${t("earlier")}`, "aria-label": t("step_earlier", step.text ?? ""), disabled: !canEdit || i === 0, dataset: { focus: `up-${step.id}` }, onclick: () => move(-1) }),
          h("button", { type: "button", text: `↓ ${t("later")}`, "aria-label": t("step_later", step.text ?? ""), disabled: !canEdit || i === steps.length - 1, dataset: { focus: `down-${step.id}` }, onclick: () => move(1) }),
          mine && canEdit && ctx.editing !== step.id ? h("button", { type: "button", text: t("edit"), "aria-label": `${t("edit")}: ${step.text ?? ""}`, dataset: { focus: `edit-${step.id}` }, onclick: () => ctx.startEdit(step.id) }) : null,
          mine && s.can("note.delete", ctx.role) ? h("button", { type: "button", text: t("delete"), "aria-label": `${t("delete")}: ${step.text ?? ""}`, onclick: () => ctx.send("note.delete", { id: step.id }) }) : null)));
    return li;
  });
  const pending = ctx.pendingNotes().filter((c) => c.data.lane === "step").map((c) => h("li", { class: "step pending" },
    h("span", { class: "step-n", "aria-hidden": "true", text: "…" }),
    h("div", { class: "step-body" }, h("p", { class: "step-text", text: c.data.text }), h("span", { class: "pending-badge", text: t("pending_note") }))));
  const list = $("#path-list");
  keepFocus(list, () => list.replaceChildren(
    h("li", { class: "milestone today" }, h("span", { class: "step-n", "aria-hidden": "true", text: "▶" }), h("strong", { text: t("today") })),
    ...(items.length || pending.length ? [...items, ...pending] : [h("li", { class: "hint", text: t("no_steps") })]),
    h("li", { class: "milestone horizon" }, h("span", { class: "step-n", "aria-hidden": "true", text: "★" }),
      h("strong", { text: `${t("horizon")}: ${s.horizon || "—"}` }))));
  if (ctx.refocusPath) {
    const target = list.querySelector(`[data-focus="${ctx.refocusPath}"]`);
    if (target && !target.disabled) target.focus();
    else list.querySelector(`[data-focus="${ctx.refocusPath.replace(/^(up|down)/, (m) => (m === "up" ? "down" : "up"))}"]`)?.focus();
    ctx.refocusPath = null;
  }
  tr($("#path-horizon"), null);
}
