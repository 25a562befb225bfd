// A board's state, and how each event changes it (the same rules as the server, see docs/protocol.md).

export const PHASE_OPS = {
  lobby: [], closed: [],
  collect: ["note.add", "note.edit", "note.delete"],
  cluster: ["cluster.create", "cluster.update", "cluster.delete", "note.edit"],
  rate: ["vote.cast", "vote.clear"],
  plot: ["axes.set"],
  story: ["story.edit"],
  path: ["note.add", "note.edit", "note.delete"],
};
PHASE_OPS.open = [...new Set(Object.values(PHASE_OPS).flat())];

export const QUADRANTS = ["hh", "hl", "lh", "ll"];

export class BoardState {
  constructor() {
    this.notes = new Map(); this.clusters = new Map(); this.tallies = new Map(); this.myVotes = new Map();
    this.stories = new Map(); this.polls = []; this.axes = { x: null, y: null };
  }

  load(snapshot) {
    Object.assign(this, {
      room: snapshot.room, name: snapshot.name, title: snapshot.title, question: snapshot.question,
      method: snapshot.method, language: snapshot.language, lanes: snapshot.lanes, phase: snapshot.phase,
      instructions: snapshot.instructions, locked: snapshot.locked, timerEndsAt: snapshot.timer_ends_at,
      horizon: snapshot.horizon, private: snapshot.private, revealed: snapshot.revealed,
      axes: { x: snapshot.axes.x, y: snapshot.axes.y }, suggested: snapshot.axes.suggested,
      polls: snapshot.polls || [], previous: snapshot.previous || null,
    });
    this.notes = new Map(snapshot.notes.map((n) => [n.id, n]));
    this.clusters = new Map(snapshot.clusters.map((c) => [c.id, c]));
    this.tallies = new Map(snapshot.tallies.map((t) => [t.target, t]));
    this.myVotes = new Map((snapshot.my_votes || []).map((v) => [v.target, v]));
    this.stories = new Map(snapshot.stories.map((s) => [s.quadrant, s]));
    this.loaded = true;
  }

  can(op, role) { return role === "moderator" || (!this.locked && (PHASE_OPS[this.phase] || []).includes(op)); }

  forget(target) {
    this.tallies.delete(target);
    this.myVotes.delete(target);
    if (this.axes.x?.target === target) this.axes.x = null;
    if (this.axes.y?.target === target) this.axes.y = null;
  }

  setMembers(cluster) {
    for (const note of this.notes.values()) {
      if (cluster.note_ids.includes(note.id)) note.cluster_id = cluster.id;
      else if (note.cluster_id === cluster.id) note.cluster_id = null;
    }
  }

  putPoll(poll) {
    const index = this.polls.findIndex((p) => p.id === poll.id);
    if (index >= 0) this.polls[index] = { ...this.polls[index], ...poll };
    else this.polls.push(poll);
  }

  apply(event) {
    const d = event.data;
    switch (event.op) {
      case "note.added": case "note.edited": this.notes.set(d.note.id, d.note); break;
      case "note.deleted": this.notes.delete(d.id); this.forget(d.id); break;
      case "notes.revealed": for (const note of d.notes) this.notes.set(note.id, note); this.revealed = true; break;
      case "cluster.created": case "cluster.updated": this.clusters.set(d.cluster.id, d.cluster); this.setMembers(d.cluster); break;
      case "cluster.deleted":
        this.clusters.delete(d.id); this.forget(d.id);
        for (const note of this.notes.values()) if (note.cluster_id === d.id) note.cluster_id = null;
        break;
      case "vote.tally": this.tallies.set(d.tally.target, d.tally); break;
      case "axes.set": this.axes = { x: d.x, y: d.y }; break;
      case "story.edited": this.stories.set(d.story.quadrant, d.story); break;
      case "phase.changed": this.phase = d.phase; break;
      case "timer.set": this.timerEndsAt = d.ends_at; break;
      case "room.locked": this.locked = d.locked; break;
      case "poll.opened": case "poll.closed": case "poll.results": this.putPoll(d.poll); break;
      default: break;
    }
  }

  // What people vote on: clusters once there are any (the group's top 5), else the notes
  // (never the backcast path's steps).
  targets() {
    if (this.clusters.size) return [...this.clusters.values()].map((c) => ({ id: c.id, text: c.title }));
    // Lane by lane, in the method's order (ninth trial: the lanes were mixed in writing order).
    const order = (lane) => this.lanes.indexOf(lane);
    return [...this.notes.values()].filter((n) => n.text !== null && n.lane !== "step")
      .map((n, k) => ({ id: n.id, text: n.text, lane: n.lane, k }))
      .sort((a, b) => order(a.lane) - order(b.lane) || a.k - b.k);
  }

  label(target) { return this.clusters.get(target)?.title ?? this.notes.get(target)?.text ?? target; }

  suggestedAxes() {
    const scored = [...this.tallies.values()]
      .filter((t) => t.impact?.mean != null && t.uncertainty?.mean != null)
      .map((t) => [t.impact.mean * t.uncertainty.mean, t.target])
      .sort((a, b) => b[0] - a[0] || (a[1] < b[1] ? -1 : 1));
    return scored.length >= 2 ? { x: scored[0][1], y: scored[1][1] } : (this.suggested || null);
  }

  // The backcast path: steps by `x` (unplaced last), then by when they were written.
  steps() {
    return [...this.notes.values()].filter((n) => n.lane === "step").sort((a, b) =>
      (a.x === null) - (b.x === null) || (a.x ?? 0) - (b.x ?? 0) || (a.created_at < b.created_at ? -1 : 1));
  }

  currentPoll() {
    const open = this.polls.filter((p) => p.open);
    return open.length ? open[open.length - 1] : this.polls[this.polls.length - 1] || null;
  }
}
