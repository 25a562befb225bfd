// Tiny DOM helpers. Text is always set with textContent: note text never becomes markup.

export const $ = (sel, root = document) => root.querySelector(sel);

export function h(tag, attrs = {}, ...children) {
  const el = document.createElement(tag);
  for (const [key, value] of Object.entries(attrs)) {
    if (value === null || value === undefined || value === false) continue;
    if (key === "text") el.textContent = value;
    else if (key.startsWith("on")) el.addEventListener(key.slice(2), value);
    else if (key === "dataset") Object.assign(el.dataset, value);
    else el.setAttribute(key, value === true ? "" : String(value));
  }
  for (const child of children.flat()) {
    if (child === null || child === undefined || child === false) continue;
    el.append(child instanceof Node ? child : document.createTextNode(String(child)));
  }
  return el;
}

export function announce(text) {
  const region = $("#announce");
  if (region) { region.textContent = ""; setTimeout(() => { region.textContent = text; }, 30); }
}

export function countdown(el, endsAt, format) {
  clearInterval(el._timer);
  if (!endsAt) { el.textContent = ""; return; }
  const end = Date.parse(endsAt);
  const tick = () => {
    const left = Math.max(0, Math.round((end - Date.now()) / 1000));
    el.textContent = format(`${Math.floor(left / 60)}:${String(left % 60).padStart(2, "0")}`);
    if (left === 0) clearInterval(el._timer);
  };
  tick();
  el._timer = setInterval(tick, 1000);
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

export async function api(method, path, token, body) {
  const headers = { "content-type": "application/json" };
  if (token) headers.authorization = `Bearer ${token}`;
  const response = await fetch(path, { method, headers, body: body === undefined ? undefined : JSON.stringify(body) });
  const data = response.headers.get("content-type")?.includes("json") ? await response.json() : await response.text();
  if (!response.ok) {
    const error = new Error(data?.error?.message || response.statusText);
    error.code = data?.error?.code;
    throw error;
  }
  return data;
}
