// The merged board on the client: a snapshot, then item events (docs/protocol.md, Synthesis).
export class SynthesisState {
  constructor() { this.items = []; this.rooms = []; this.stories = []; this.loaded = false; }

  load(board) {
    Object.assign(this, { items: board.items, rooms: board.rooms, stories: board.stories, title: board.title, question: board.question, loaded: true });
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

  apply(event) {
    const d = event.data;
    switch (event.op) {
      case "synthesis.rebuilt": this.load(d.synthesis); break;
      case "item.renamed": this.put(d.item); break;
      case "item.merged": this.put(d.item); this.drop(d.merged); break;
      case "item.split": this.put(d.item); this.put(d.new_item); break;
      case "item.note_moved": if (d.from) this.put(d.from); this.put(d.to); this.drop(d.deleted); break;
      default: break;
    }
    this.items.sort((a, b) => b.score - a.score || b.notes.length - a.notes.length || (a.title < b.title ? -1 : 1));
  }
}

export function tallyLine(item, t) {
  const part = (name, s) => (s.mean == null ? "" : `${t(name)} ${s.mean.toFixed(1)} (n=${s.n})`);
  return [part("impact", item.impact), part("uncertainty", item.uncertainty), `${t("score")} ${item.score}`].filter(Boolean).join(" · ");
}
