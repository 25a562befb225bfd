// The one reconnecting client: hello with since/epoch, events applied in seq order,
// commands kept until acknowledged and resent with their original ref after a reconnect.
// A heartbeat of its own: a ping every few seconds; no pong in time means a dead
// connection (a phone in a tunnel keeps a socket "open" for minutes): show offline, reconnect.

import { stored } from "./dom.js";

const BACKOFF_MAX_MS = 5000;
const PING_AFTER_MS = 3000;
const PONG_WITHIN_MS = 4000;

export class PlenarySocket {
  constructor({ workshopId, token, room, pendingKey = null, handlers }) {
    this.workshopId = workshopId;
    this.token = token;
    this.room = room;
    this.handlers = handlers;
    this.pendingKey = pendingKey;
    this.seq = {};
    this.epoch = {};
    this.waiters = new Map();
    this.acked = new Map();  // ref -> seq of a recent ack (a pending note shows until its event)
    this.pending = pendingKey ? stored(pendingKey, [], Array.isArray) : [];
    this.counter = 0;
    this.clientId = Math.random().toString(36).slice(2, 8);
    this.backoff = 300;
    this.stopped = false;
    this.open = false;
    window.addEventListener("offline", () => this.dead());
    window.addEventListener("online", () => { if (!this.open && !this.stopped) { this.backoff = 300; this.reconnectSoon(0); } });
  }

  connect() {
    clearTimeout(this.retry);
    const scheme = location.protocol === "https:" ? "wss" : "ws";
    let ws;
    try { ws = new WebSocket(`${scheme}://${location.host}/ws/${this.workshopId}`); } catch { this.reconnectSoon(); return; }
    this.ws = ws;
    this.status(this.everOpen ? "reconnecting" : "connecting");
    ws.onopen = () => {
      const many = this.room === "*";
      const since = many ? this.seq : (this.seq[this.room] ?? null);
      const epoch = many ? this.epoch : (this.epoch[this.room] ?? undefined);
      ws.send(JSON.stringify({ type: "hello", token: this.token, room: this.room, since, epoch }));
    };
    ws.onmessage = (message) => { this.lastHeard = Date.now(); this.receive(JSON.parse(message.data)); };
    ws.onclose = (event) => { if (this.ws === ws) this.closed(event); };
  }

  status(state) { this.handlers.status?.(state, this.pending.length); }

  receive(frame) {
    switch (frame.type) {
      case "welcome": return this.welcome(frame);
      case "event": return this.apply([frame]);
      case "events": return this.apply(frame.events);
      case "ack": case "error": return this.answer(frame);
      case "presence": return this.handlers.presence?.(frame);
      case "moved": return this.handlers.moved?.(frame.room);
      case "ping": return this.ws.send('{"type":"pong"}');
      case "pong": return undefined;  // lastHeard is set for every frame
      default: return undefined;
    }
  }

  welcome(frame) {
    const many = this.room === "*";
    const rooms = many ? Object.keys(frame.seq) : [this.room];
    for (const room of rooms) {
      const snapshot = many ? frame.snapshot?.[room] : frame.snapshot;
      this.epoch[room] = many ? frame.epoch[room] : frame.epoch;
      if (snapshot) {
        this.seq[room] = many ? frame.seq[room] : frame.seq;
        this.handlers.snapshot?.(room, snapshot, frame);
      }
    }
    this.open = true;
    this.everOpen = true;
    this.backoff = 300;
    this.heartbeat();
    this.status("open");
    this.handlers.welcome?.(frame);
    for (const command of this.pending) this.ws.send(JSON.stringify(command));
  }

  // Quiet for PING_AFTER_MS: ping. No answer (nor any other frame) within PONG_WITHIN_MS:
  // the connection is dead, whatever the browser thinks.
  heartbeat() {
    clearInterval(this.beat);
    this.lastHeard = Date.now();
    this.pingSentAt = null;
    this.beat = setInterval(() => {
      if (!this.open) return;
      const now = Date.now();
      if (this.pingSentAt && this.lastHeard < this.pingSentAt && now - this.pingSentAt > PONG_WITHIN_MS) { this.dead(); return; }
      if (now - this.lastHeard > PING_AFTER_MS && (!this.pingSentAt || this.lastHeard >= this.pingSentAt)) {
        this.pingSentAt = now;
        try { this.ws.send('{"type":"ping"}'); } catch { this.dead(); }
      }
    }, 1000);
  }

  // The connection is gone even if the browser has not noticed: drop it and reconnect.
  dead() {
    if (this.stopped || !this.ws) return;
    const ws = this.ws;
    this.ws = null;
    ws.onclose = null; ws.onmessage = null;
    try { ws.close(); } catch { /* already closed */ }
    this.closed({ code: 1006 });
  }

  apply(events) {
    const fresh = [];
    for (const event of events) {
      const key = event.room;
      const last = this.seq[key] ?? 0;
      if (event.seq <= last) continue;
      if (event.seq !== last + 1) { this.dead(); return; }
      this.seq[key] = event.seq;
      fresh.push(event);
    }
    for (const [ref, { seq }] of this.acked) if ((this.seq[this.room] ?? 0) >= seq) this.acked.delete(ref);
    if (fresh.length) this.handlers.events?.(fresh);
  }

  send(op, data, room = undefined) {
    const command = { type: "cmd", ref: `${this.clientId}-${Date.now().toString(36)}-${this.counter++}`, op, data };
    if (room) command.room = room;
    this.pending.push(command);
    this.save();
    if (this.open) this.ws.send(JSON.stringify(command));
    else this.status("reconnecting");
    return new Promise((resolve) => this.waiters.set(command.ref, resolve));
  }

  // Commands sent but not yet shown as events: the page marks them "waiting for connection".
  unconfirmed(op) {
    const acked = [...this.acked.values()].map((a) => a.command);
    return [...this.pending, ...acked].filter((c) => c.op === op);
  }

  answer(frame) {
    const index = this.pending.findIndex((c) => c.ref === frame.ref);
    if (index >= 0) {
      const [command] = this.pending.splice(index, 1);
      this.save();
      if (frame.type === "ack" && frame.seq && frame.room === this.room && (this.seq[this.room] ?? 0) < frame.seq) {
        this.acked.set(frame.ref, { seq: frame.seq, command });
      }
    }
    this.waiters.get(frame.ref)?.(frame);
    this.waiters.delete(frame.ref);
    this.status(this.open ? "open" : "reconnecting");
  }

  save() { if (this.pendingKey) localStorage.setItem(this.pendingKey, JSON.stringify(this.pending)); }

  reconnectSoon(delay = this.backoff) {
    clearTimeout(this.retry);
    this.retry = setTimeout(() => this.connect(), delay);
    this.backoff = Math.min(BACKOFF_MAX_MS, this.backoff * 2);
  }

  closed(event) {
    this.open = false;
    clearInterval(this.beat);
    if (this.stopped) return;
    if (event.code === 4409) return;  // `moved` already told us where to go
    if (event.code === 4401 || event.code === 4403) { this.handlers.fatal?.(event.code, event.reason); return; }
    this.status("reconnecting");
    this.reconnectSoon();
  }

  // For tests: drop the connection as a train tunnel would.
  stop() { this.stopped = true; this.ws?.close(); }
}
