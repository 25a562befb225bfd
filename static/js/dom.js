// Tiny DOM helpers. Text is always set with textContent: note text never becomes markup.
import { t, tr } from "./i18n.js";

export const $ = (sel, root = document) => root.querySelector(sel);

export function h(tag, attrs = {}, ...children) {
  const el = document.createElement(tag);
  for (const [key, value] of Object.entries(attrs)) {
    if (value === null || value === undefined || value === false) continue;
    if (key === "text") el.textContent = value;
    else if (key.startsWith("on")) el.addEventListener(key.slice(2), value);
    else if (key === "dataset") Object.assign(el.dataset, value);
    else if (key === "class") el.className = value;
    else el.setAttribute(key, value === true ? "" : String(value));
  }
  for (const child of children.flat()) {
    if (child === null || child === undefined || child === false) continue;
    el.append(child instanceof Node ? child : document.createTextNode(String(child)));
  }
  return el;
}

// Said once by a screen reader, then cleared: a message left in the live region would
// stay in the old language after a switch and be read again out of context.
export function announce(text) {
  const region = $("#announce");
  if (!region) return;
  region.textContent = "";
  clearTimeout(region._clear);
  setTimeout(() => { region.textContent = text; }, 30);
  region._clear = setTimeout(() => { region.textContent = ""; }, 8000);
}

// --- sound: a short beep, once the person has touched the page (browsers allow it then) ---
let audio = null;
function unlockAudio() {
  if (audio) return;
  const Context = window.AudioContext || window.webkitAudioContext;
  if (!Context) return;
  try { audio = new Context(); } catch { audio = null; }
}
for (const kind of ["pointerdown", "keydown"]) window.addEventListener(kind, unlockAudio, { capture: true, passive: true });

export function beep() {
  if (!audio) return false;
  try {
    audio.resume?.();
    const now = audio.currentTime;
    for (const [start, freq] of [[0, 880], [0.25, 660], [0.5, 880]]) {
      const osc = audio.createOscillator();
      const gain = audio.createGain();
      osc.frequency.value = freq;
      gain.gain.setValueAtTime(0.0001, now + start);
      gain.gain.exponentialRampToValueAtTime(0.3, now + start + 0.02);
      gain.gain.exponentialRampToValueAtTime(0.0001, now + start + 0.2);
      osc.connect(gain).connect(audio.destination);
      osc.start(now + start);
      osc.stop(now + start + 0.22);
    }
    return true;
  } catch { return false; }
}

// A countdown: "nog 4:59" … then a visible end ("De tijd is om!"), and a beep if it ended
// while the page watched. `format` turns m:ss into the running text.
export function countdown(el, endsAt, { format = (left) => left, ended = "time_up", sound = false } = {}) {
  clearInterval(el._timer);
  el.classList.remove("ended");
  if (!endsAt) { tr(el, null); return; }
  const end = Date.parse(endsAt);
  let running = end > Date.now();
  const tick = () => {
    const left = Math.max(0, Math.ceil((end - Date.now()) / 1000));
    if (left === 0) {
      clearInterval(el._timer);
      tr(el, ended);
      el.classList.add("ended");
      if (running) {
        running = false;
        el.dispatchEvent(new CustomEvent("timerend", { bubbles: true }));
        if (sound) el.dataset.beeped = String(beep());
      }
      return;
    }
    el._i18n = null;
    el.removeAttribute("data-i18n-dyn");
    el.textContent = format(`${Math.floor(left / 60)}:${String(left % 60).padStart(2, "0")}`);
  };
  tick();
  if (running) el._timer = setInterval(tick, 250);
}

// Tokens for the console and the plenary arrive in the fragment: read, keep for the tab, hide.
export function fragmentToken(key) {
  const match = location.hash.match(/token=([^&]+)/);
  if (match) {
    sessionStorage.setItem(key, decodeURIComponent(match[1]));
    history.replaceState(null, "", location.pathname + location.search);
  }
  return sessionStorage.getItem(key);
}

// HTTP with JSON; a refusal throws an Error with the server's `code` (pages translate it).
export async function api(method, path, token, body) {
  const headers = { "content-type": "application/json" };
  if (token) headers.authorization = `Bearer ${token}`;
  let response;
  try {
    response = await fetch(path, { method, headers, body: body === undefined ? undefined : JSON.stringify(body) });
  } catch {
    const error = new Error("network");
    error.code = "network";
    throw error;
  }
  const data = response.headers.get("content-type")?.includes("json") ? await response.json() : await response.text();
  if (!response.ok) {
    const error = new Error(data?.error?.message || response.statusText);
    error.code = data?.error?.code || (response.status === 401 ? "unauthorized" : "internal");
    error.status = response.status;
    throw error;
  }
  return data;
}

// A question asked in place (no pop-up window): resolves true for yes, false for no.
export function confirmHere(anchor, text) {
  anchor.parentElement.querySelector(":scope > .confirm")?.remove();
  return new Promise((resolve) => {
    const done = (answer) => {
      box.remove();
      // Back to where the question came from (a heading gets a tabindex to take focus).
      if (anchor.tabIndex < 0 && !anchor.hasAttribute("tabindex")) anchor.setAttribute("tabindex", "-1");
      anchor.focus?.();
      resolve(answer);
    };
    const yes = h("button", { type: "button", class: "danger", text: t("yes"), onclick: () => done(true) });
    const no = h("button", { type: "button", text: t("no"), onclick: () => done(false) });
    const box = h("div", { class: "confirm", role: "alertdialog", "aria-label": text },
      h("p", { text }), h("div", { class: "row" }, yes, no));
    box.addEventListener("keydown", (e) => { if (e.key === "Escape") { e.preventDefault(); done(false); } });
    anchor.after(box);
    no.focus();  // the safe answer first: a second Enter keeps things as they are
  });
}

// A menu that acts (move this note, this person, pick an axis): a click or tap acts at
// once, but keys only browse it; Enter, or leaving the menu on a new choice, acts, and
// Escape puts it back. (A closed <select> fires "change" on every arrow key, which would
// act on each option passed.) `current` gives the value the server holds, when it can
// change under the menu.
export function actingSelect(select, act, current = null) {
  let keyed = false, chosen = select.value;
  const before = () => (current ? current() : chosen);
  const commit = () => { keyed = false; if (select.value !== before()) { chosen = select.value; act(select.value); } };
  select.addEventListener("keydown", (e) => {
    if (e.key === "Enter") { e.preventDefault(); commit(); }
    else if (e.key === "Escape") { if (keyed) { e.preventDefault(); select.value = before(); keyed = false; } }
    else if (e.key !== "Tab" && e.key !== "Shift") keyed = true;
  });
  select.addEventListener("change", () => { if (!keyed) commit(); });
  select.addEventListener("blur", () => { if (keyed) commit(); });
  return select;
}

// Download what an API route answers (with the bearer token) as a file.
// A file name people recognise in their downloads: the workshop's title, then the date.
export function exportName(title, ext, extra = "") {
  const slug = String(title || "plenary").normalize("NFKD").replace(/[\u0300-\u036f]/g, "")
    .toLowerCase().replace(/[^a-z0-9]+/g, "-").replace(/^-+|-+$/g, "").slice(0, 60) || "plenary";
  return `${slug}-${new Date().toISOString().slice(0, 10)}${extra}.${ext}`;
}

export async function download(path, token, filename) {
  const response = await fetch(path, { headers: { authorization: `Bearer ${token}` } });
  if (!response.ok) throw Object.assign(new Error("download"), { code: response.status === 401 ? "unauthorized" : "internal" });
  const url = URL.createObjectURL(await response.blob());
  const a = h("a", { href: url, download: filename });
  document.body.append(a); a.click(); a.remove();
  setTimeout(() => URL.revokeObjectURL(url), 5000);
}

// --- forms: what a field still needs, said beside it; the field gets the focus ---
export function fieldError(input, key, ...args) {
  const id = `${input.name || input.id}-error`;
  let note = document.getElementById(id);
  if (!note) {
    note = h("span", { class: "field-error", id });
    input.after(note);
    const described = (input.getAttribute("aria-describedby") || "").split(" ").filter(Boolean);
    input.setAttribute("aria-describedby", [...described, id].join(" "));
    input.addEventListener("input", () => clearFieldError(input), { once: true });
  }
  tr(note, key, ...args);
  input.setAttribute("aria-invalid", "true");
  input.focus();
  return false;
}

export function clearFieldError(input) {
  const id = `${input.name || input.id}-error`;
  document.getElementById(id)?.remove();
  input.removeAttribute("aria-invalid");
  const described = (input.getAttribute("aria-describedby") || "").split(" ").filter((x) => x && x !== id);
  if (described.length) input.setAttribute("aria-describedby", described.join(" ")); else input.removeAttribute("aria-describedby");
}

// A text field with a limit: a counter once it is near ("265/280"), and a word when pasted
// text had to be cut (the browser would cut it without a word).
export function limitCounter(input, { near = 40 } = {}) {
  const max = Number(input.getAttribute("maxlength"));
  const box = h("span", { class: "limit" });
  const count = h("span", { class: "limit-count", "aria-live": "off" });
  const cut = h("span", { class: "limit-cut", role: "status" });
  box.append(count, cut);
  input.after(box);
  const update = () => {
    const n = input.value.length;
    // Full: said in words, not only in red (eleventh trial: typing stopped without a word).
    if (n >= max - near) { count.textContent = n >= max ? t("chars_full", max) : t("chars_used", n, max); count.classList.toggle("full", n >= max); } else count.textContent = "";
    box.hidden = !count.textContent && !cut.textContent;
  };
  // The word about a cut paste is about that paste: typing on (or a new text) ends it.
  input.addEventListener("input", () => { tr(cut, null); update(); });
  input.addEventListener("paste", (e) => {
    const text = e.clipboardData?.getData("text") ?? "";
    const start = input.selectionStart ?? input.value.length, end = input.selectionEnd ?? start;
    const room = max - (input.value.length - (end - start));
    if (text.length <= room) return;
    e.preventDefault();
    let part = text.slice(0, Math.max(0, room));
    if (/[\uD800-\uDBFF]$/.test(part)) part = part.slice(0, -1);  // never half an emoji
    // Cut at the last whole word when one ends near the limit ("…Ik den" reads as a typo).
    const space = part.search(/\s\S*$/);
    if (/\S/.test(text[part.length] ?? " ") && space > part.length - 40 && space > 0) part = part.slice(0, space);
    input.setRangeText(part, start, end, "end");
    input.dispatchEvent(new Event("input", { bubbles: true }));
    tr(cut, "pasted_cut", max);
    update();
  });
  // After the page itself empties the field (a note sent), the word about a paste goes too.
  input._limit = () => { if (!input.value) tr(cut, null); update(); };
  update();
  return input;
}

// A join code as people type it: any case, spaces or dashes, or the whole join link.
export function normalizeCode(value) {
  const text = String(value || "").trim();
  const link = text.match(/\/join\/([^/?#\s]+)/i);
  return (link ? link[1] : text).replace(/[^0-9a-z]+/gi, "").toUpperCase();
}

// Scrolling that respects the person's wish for less motion.
export function motion() {
  return window.matchMedia?.("(prefers-reduced-motion: reduce)").matches ? "auto" : "smooth";
}

// A page opened without its key (or with one no longer valid) says so, instead of showing
// empty controls: which link it needs, in the page's language, and where participants go.
export function linkNeeded(kind, { invalid = false } = {}) {
  const title = h("h1", { tabindex: "-1" });
  tr(title, `link_${kind}_title`);
  const text = h("p");
  tr(text, invalid ? "link_invalid" : `link_${kind}_text`);
  const participant = h("p", { class: "hint" });
  const span = h("span");
  tr(span, "link_participant");
  const go = h("a", { href: "/join" });
  tr(go, "link_participant_go");
  participant.append(span, " ", go);
  const extra = invalid ? h("p") : null;
  if (extra) tr(extra, `link_${kind}_text`);
  showInstead(h("section", { class: "card narrow needs-link", role: "alert" }, title, text, extra, participant), title, kind);
}

// A message in place of the page's parts. They stay (hidden), so its script runs on
// without missing elements; the skip links to them go too.
function showInstead(box, title, kind) {
  const main = document.getElementById("main");
  main.querySelector(".needs-link")?.remove();
  for (const el of main.children) el.hidden = true;
  for (const nav of document.querySelectorAll(".skipnav")) nav.hidden = true;
  main.append(box);
  document.body.dataset.needsLink = kind;
  title.focus();
}

// --- a deleted workshop: one sentence on every page, live and after a reload ---
// Its tokens get 401 like a wrong key, so a page tells the two apart by what it saw (its
// socket closed for the deletion, its moderator deleted it) or by its join code, which
// answers 404 once the workshop is gone. Pages remember the code when they learn it.
const goneKey = (workshopId) => `plenary.gone.${workshopId}`;
const codeKey = (workshopId) => `plenary.code.${workshopId}`;

export function rememberCode(workshopId, code) {
  if (code && !localStorage.getItem(goneKey(workshopId))) localStorage.setItem(codeKey(workshopId), code);
}

export function markGone(workshopId) {
  localStorage.setItem(goneKey(workshopId), "1");
  localStorage.removeItem(codeKey(workshopId));
}

export async function workshopGone(workshopId, reason = "") {
  if (reason === "workshop deleted") markGone(workshopId);  // the server's close reason
  if (localStorage.getItem(goneKey(workshopId))) return true;
  const code = localStorage.getItem(codeKey(workshopId));
  if (!code) return false;
  try {
    await api("GET", `/api/join/${encodeURIComponent(code)}`);
    return false;
  } catch (error) {
    if (error.code !== "not_found") return false;
    markGone(workshopId);
    return true;
  }
}

export function showGone() {
  const title = h("h1", { tabindex: "-1" });
  tr(title, "workshop_gone");
  const home = h("a", { href: "/" });
  tr(home, "workshop_gone_home");
  const status = document.getElementById("status");
  tr(status, null);  // not "link not valid" beside it
  status?.classList.remove("offline");
  showInstead(h("section", { class: "card narrow needs-link gone", role: "alert" }, title, h("p", {}, home)), title, "gone");
}

// A page whose key was refused: the deleted workshop said as such, else the link it needs.
export async function keyRefused(workshopId, kind, { invalid = true, reason = "" } = {}) {
  if (await workshopGone(workshopId, reason)) showGone();
  else linkNeeded(kind, { invalid });
}

// Skip links that land on their part's first control, not on its heading (one more Tab
// away from the work); without this script the browser still scrolls to the heading.
const CONTROLS = "button:not([disabled]), input:not([disabled]), select:not([disabled]), textarea:not([disabled]), a[href], summary";
export function skipLinks(nav) {
  for (const link of nav?.querySelectorAll("a[href^='#']") ?? []) {
    link.addEventListener("click", (e) => {
      const target = document.querySelector(link.getAttribute("href"));
      const part = target?.closest("section");
      if (!part) return;
      e.preventDefault();
      const shown = (el) => el.getClientRects().length && !el.closest("[hidden]");
      let control = [...part.querySelectorAll(CONTROLS)].find(shown);
      if (!control) { target.setAttribute("tabindex", "-1"); control = target; }
      part.scrollIntoView({ block: "start", behavior: motion() });
      control.focus({ preventScroll: true });
    });
  }
}

// The join page of a typed code, once we know the code exists; else the field says so.
export async function goToJoin(input) {
  const code = normalizeCode(input.value);
  if (!code) return fieldError(input, "need_code");
  try {
    await api("GET", `/api/join/${encodeURIComponent(code)}`);
  } catch (error) {
    if (error.code === "not_found") return fieldError(input, "join_unknown");
  }
  location.assign(`/join/${encodeURIComponent(code)}`);
  return true;
}

// When the control in focus goes away under the person (a deleted note, a closed poll, a
// button that became disabled), focus would fall back to the page itself and the next Tab
// start from the top. This puts it on the nearest part still there: its first control,
// or the part itself.
const FOCUSABLE = "button:not([disabled]), input:not([disabled]), select:not([disabled]), textarea:not([disabled]), a[href], summary, [tabindex='-1']";
export function keepFocusNearby() {
  let last = null, around = [];
  document.addEventListener("focusin", (e) => {
    if (e.target === document.body) return;
    last = e.target;
    around = [];
    for (let el = last.parentElement; el && el !== document.body; el = el.parentElement) around.push(el);
  });
  // A tap or click that leaves focus on nothing was meant: nothing to bring back then.
  document.addEventListener("pointerdown", (e) => { if (!e.target.closest?.(FOCUSABLE)) last = null; }, true);
  const check = () => {
    if (!last || (document.activeElement && document.activeElement !== document.body)) return;
    if (last.isConnected && !last.disabled && last.getClientRects().length) return;  // a click elsewhere
    const gone = last;
    last = null;
    for (const part of around) {
      if (!part.isConnected || !part.getClientRects().length) continue;
      // Never a text field: on a phone that would open the keyboard unasked.
      const control = [...part.querySelectorAll(FOCUSABLE)].find((el) => el !== gone && el.getClientRects().length
        && !el.closest("[hidden]") && !el.matches("input:not([type=checkbox]):not([type=radio]), textarea"));
      // Without scrolling: a control that went away must not move the page under someone.
      if (control) { control.focus({ preventScroll: true }); return; }
      if (part.matches("section, article, li, main, [role=group]")) {
        if (!part.hasAttribute("tabindex")) part.setAttribute("tabindex", "-1");
        part.focus({ preventScroll: true });
        return;
      }
    }
  };
  // A removed or disabled element loses focus without an event: look after each change.
  let pending = false;
  new MutationObserver(() => {
    if (pending) return;
    pending = true;
    setTimeout(() => { pending = false; check(); }, 0);
  }).observe(document.body, { childList: true, subtree: true, attributes: true, attributeFilter: ["disabled", "hidden"] });
}

// A value this browser kept (a login, unsent notes), or `fallback` when it is missing or
// damaged (edited by hand, cut off by a full disk): a damaged one is dropped, never thrown.
export function stored(key, fallback, valid = () => true) {
  try {
    const value = JSON.parse(localStorage.getItem(key) ?? "null");
    if (value !== null && valid(value)) return value;
  } catch { /* damaged: dropped below */ }
  if (localStorage.getItem(key) !== null) localStorage.removeItem(key);
  return fallback;
}

// A participant's kept login: its token and room, as /api/join gave them.
export const isMember = (m) => typeof m === "object" && typeof m.token === "string" && typeof m.room_id === "string";

// A heading whose longest word is wider than its box gets a smaller type, down to `min` of
// its size, rather than a word broken in two ("managementassistente / n" on a phone).
export function fitLongWords(el, { min = 0.6 } = {}) {
  el.style.fontSize = "";
  const style = getComputedStyle(el);
  const size = parseFloat(style.fontSize);
  const room = el.clientWidth - parseFloat(style.paddingLeft) - parseFloat(style.paddingRight);
  const context = document.createElement("canvas").getContext("2d");
  if (!context || room <= 0) return;
  context.font = `${style.fontWeight} ${size}px ${style.fontFamily}`;
  const widest = Math.max(0, ...el.textContent.split(/\s+/).map((word) => context.measureText(word).width));
  if (widest > room) el.style.fontSize = `${Math.max(min * size, Math.floor((size * room) / widest))}px`;
}

// Links shown once (their keys are kept nowhere): a copy button beside each, copying what
// its link shows when pressed. `key` names the link (link_moderate, link_plenary, ...).
export function copyButton(link, key) {
  const button = h("button", { type: "button", class: "copy", "aria-label": t("copy_link", t(`link_${key}`)) });
  tr(button, "copy");
  button.addEventListener("click", async () => {
    try { await navigator.clipboard.writeText(link.href); tr(button, "copied"); } catch { tr(button, "copy_failed"); }
    setTimeout(() => tr(button, "copy"), 2500);
  });
  return button;
}
