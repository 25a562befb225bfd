// The merged board on the client: a snapshot, then item, poll and view events
// (docs/protocol.md, Synthesis and Polls). The moderator's board also carries the open
// suggestions and whether the subject lexicon is on; the projector's carries neither.
import { decimal, scoreText } from "./i18n.js";

// Lanes in the order the methods ask them; a synthesis never mixes them.
const LANE_ORDER = ["trend", "keep", "new", "drop", "note", "step"];
const laneRank = (lane) => { const i = LANE_ORDER.indexOf(lane); return i < 0 ? LANE_ORDER.length : i; };

// Each poll result's place: equal results share one (1, 1, 3), on the wall, the phones and
// in the reports alike.
export function pollPlaces(results, kind) {
  const same = (a, b) => (kind === "rank" ? a.points === b.points && a.first === b.first : a.count === b.count);
  let place = 0;
  return results.map((r, i) => { if (i === 0 || !same(r, results[i - 1])) place = i + 1; return place; });
}

// What the order stands on: the score, or how many groups raised an item. A free break-out
// never votes, so "nobody voted" would read as if nobody took part (eleventh trial).
export function rankingNote(synthesis, method) {
  if (synthesis.voted()) return "score_explain";
  return method === "free" ? "score_explain_free" : "score_explain_rooms";
}

export class SynthesisState {
  constructor() {
    this.items = []; this.rooms = []; this.stories = []; this.scenarios = []; this.polls = [];
    this.suggestions = []; this.lexicon = null; this.view = "auto"; this.loaded = false;
  }

  load(board) {
    Object.assign(this, {
      items: board.items, rooms: board.rooms, stories: board.stories || [], scenarios: board.scenarios || [],
      title: board.title, question: board.question, method: board.method, language: board.language,
      horizon: board.horizon, view: board.view || this.view || "auto", loaded: true,
    });
    if (board.polls) this.polls = board.polls;
    // A build replaces the whole list of suggestions.
    this.suggestions = (board.suggestions || []).slice().sort((a, b) => b.strength - a.strength);
    if (typeof board.lexicon === "boolean") this.lexicon = board.lexicon;
    this.pruneSuggestions();
  }

  item(id) { return this.items.find((i) => i.id === id) || null; }

  // The items lane by lane (what stays, what is new, ...), by rank within each lane; the
  // steps of the paths from today to the horizon, by their place on the rooms' paths.
  byLane() {
    const place = (item) => (item.lane === "step" && item.place != null ? item.place : 2);
    return this.items.map((item, k) => [item, k])
      .sort((a, b) => laneRank(a[0].lane) - laneRank(b[0].lane) || place(a[0]) - place(b[0]) || a[1] - b[1])
      .map(([item]) => item);
  }

  // Whether lists need a heading per lane: backcasting's lanes are different questions.
  headedLanes() { return this.method === "backcast" || new Set(this.items.map((i) => i.lane)).size > 1; }

  // A suggestion is open while both its items exist and differ and, for a move, the note
  // is still in the first; a hand edit can settle one without the server saying so.
  pruneSuggestions() {
    this.suggestions = this.suggestions.filter((s) => {
      const [first, second] = s.items;
      const from = this.item(first);
      if (first === second || !from || !this.item(second)) return false;
      return s.kind !== "move" || from.notes.some((n) => n.note_id === s.note_id);
    });
  }

  dropSuggestion(id) { this.suggestions = this.suggestions.filter((s) => s.id !== id); }

  noteText(noteId) {
    for (const item of this.items) for (const n of item.notes) if (n.note_id === noteId) return n.text;
    return null;
  }

  // The rooms' clusters whose notes went into an item, in the workshop's room order.
  clustersOf(item) {
    const order = (id) => this.rooms.findIndex((r) => r.id === id);
    return [...(item.clusters || [])].sort((a, b) => order(a.room) - order(b.room) || (a.title < b.title ? -1 : 1));
  }

  roomName(id) { return this.rooms.find((r) => r.id === id)?.name ?? id; }

  // An item's rooms in the workshop's order (Groep 1 before Groep 2), not by id.
  roomsOf(item) {
    const order = (id) => this.rooms.findIndex((r) => r.id === id);
    return [...item.rooms].sort((a, b) => order(a) - order(b));
  }

  put(item) {
    const index = this.items.findIndex((i) => i.id === item.id);
    if (index >= 0) this.items[index] = item; else this.items.push(item);
  }

  drop(ids) { this.items = this.items.filter((i) => !ids.includes(i.id)); }

  putPoll(poll) {
    const index = this.polls.findIndex((p) => p.id === poll.id);
    if (index >= 0) this.polls[index] = poll; else this.polls.push(poll);
  }

  openPoll() { return this.polls.find((p) => p.open) || null; }

  lastPoll() { return this.openPoll() || this.polls[this.polls.length - 1] || null; }

  // Whether anyone voted on any item: a free break-out has no votes, so its items are
  // ranked by the rooms that raised them and no score or tally is shown.
  voted() { return anyVotes(this.items); }

  // Rooms that wrote anything count for the score's "share of rooms" (docs/protocol.md).
  roomsWithNotes() {
    const rooms = new Set();
    for (const item of this.items) for (const r of item.rooms) rooms.add(r);
    return rooms.size || this.rooms.length;
  }

  apply(event) {
    const d = event.data;
    switch (event.op) {
      case "synthesis.rebuilt": this.load(d.synthesis); break;
      case "item.renamed": this.put(d.item); break;
      case "item.merged": this.put(d.item); this.drop(d.merged); break;
      case "item.split": this.put(d.item); this.put(d.new_item); break;
      case "item.note_moved": if (d.from) this.put(d.from); this.put(d.to); this.drop(d.deleted); break;
      case "poll.opened": case "poll.results": case "poll.closed": this.putPoll(d.poll); break;
      case "plenary.view": this.view = d.view; break;
      case "suggestion.settled": this.dropSuggestion(d.id); break;
      default: break;
    }
    this.pruneSuggestions();
    // The server's order: ties by id, never by title (a rename must not move an item).
    this.items.sort((a, b) => b.score - a.score || b.notes.length - a.notes.length || (a.id < b.id ? -1 : 1));
  }
}

const mean = (s) => decimal(s?.mean);

// Whether any of these items has votes (a free break-out has none).
export const anyVotes = (items) => items.some((i) => (i.impact?.n ?? 0) + (i.uncertainty?.n ?? 0) > 0);

export function tallyLine(item, t) {
  const part = (name, s) => (s.mean == null ? "" : `${t(name)} ${decimal(s.mean)} (n=${s.n})`);
  return [part("impact", item.impact), part("uncertainty", item.uncertainty), `${t("score")} ${scoreText(item.score)}`].filter(Boolean).join(" · ");
}

// The score with its parts: "score 72 = impact 4,1 · onzekerheid 3,2 (12 stemmen) · 5 van 8 groepen".
export function scoreParts(item, state, t) {
  // The number of votes says how much the means can be trusted (one 5/5 is not a room's view).
  const votes = Math.max(item.impact?.n ?? 0, item.uncertainty?.n ?? 0);
  // Without votes the score is the rooms' share alone: no "impact –" to puzzle over. Steps
  // are never voted on: a score would rank a route's steps by how many rooms named them
  // (ninth trial: "score 7,5" on every step), so they say only that.
  if (!votes && (!state.voted() || item.lane === "step")) return t("rooms_of", item.rooms.length, state.roomsWithNotes());
  if (!votes) return t("score_rooms", scoreText(item.score), item.rooms.length, state.roomsWithNotes());
  return t("score_parts", scoreText(item.score), mean(item.impact), mean(item.uncertainty), item.rooms.length, state.roomsWithNotes(), votes);
}

// "Groep 1 «Tech», Groep 3 «Werkdruk»": the rooms' clusters behind an item, with their rooms.
export function clusterText(clusters, roomName) {
  return clusters.map((c) => `${roomName(c.room)} «${c.title}»`).join(", ");
}
