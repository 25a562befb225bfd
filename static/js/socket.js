// The one reconnecting client: hello with since/epoch, events applied in seq order,
// commands kept until acknowledged and resent with their original ref after a reconnect.

const BACKOFF_MAX_MS = 5000;

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
    this.pending = pendingKey ? JSON.parse(localStorage.getItem(pendingKey) || "[]") : [];
    this.counter = 0;
    this.clientId = Math.random().toString(36).slice(2, 8);
    this.backoff = 300;
    this.stopped = false;
    this.open = false;
  }

  connect() {
    const scheme = location.protocol === "https:" ? "wss" : "ws";
    this.ws = new WebSocket(`${scheme}://${location.host}/ws/${this.workshopId}`);
    this.status(this.everOpen ? "reconnecting" : "connecting");
    this.ws.onopen = () => {
      const many = this.room === "*";
      const since = many ? this.seq : (this.seq[this.room] ?? null);
      const epoch = many ? this.epoch : (this.epoch[this.room] ?? undefined);
      this.ws.send(JSON.stringify({ type: "hello", token: this.token, room: this.room, since, epoch }));
    };
    this.ws.onmessage = (message) => this.receive(JSON.parse(message.data));
    this.ws.onclose = (event) => this.closed(event);
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
    this.status("open");
    this.handlers.welcome?.(frame);
    for (const command of this.pending) this.ws.send(JSON.stringify(command));
  }

  apply(events) {
    const fresh = [];
    for (const event of events) {
      const key = event.room;
      const last = this.seq[key] ?? 0;
      if (event.seq <= last) continue;
      if (event.seq !== last + 1) { this.ws.close(4000, "gap"); return; }
      this.seq[key] = event.seq;
      fresh.push(event);
    }
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

  answer(frame) {
    const index = this.pending.findIndex((c) => c.ref === frame.ref);
    if (index >= 0) { this.pending.splice(index, 1); this.save(); }
    this.waiters.get(frame.ref)?.(frame);
    this.waiters.delete(frame.ref);
    this.status(this.open ? "open" : "reconnecting");
  }

  save() { if (this.pendingKey) localStorage.setItem(this.pendingKey, JSON.stringify(this.pending)); }

  closed(event) {
    this.open = false;
    if (this.stopped) return;
    if (event.code === 4409) return;  // `moved` already told us where to go
    if (event.code === 4401 || event.code === 4403) { this.handlers.fatal?.(event.code); return; }
    this.status("reconnecting");
    setTimeout(() => this.connect(), this.backoff);
    this.backoff = Math.min(BACKOFF_MAX_MS, this.backoff * 2);
  }

  // For tests and the offline state: drop the connection as a train tunnel would.
  stop() { this.stopped = true; this.ws?.close(); }
}
