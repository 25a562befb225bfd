"""The synthesis as a live board: rebuild from every room, the moderator's edits, the snapshot."""

from collections import defaultdict
from dataclasses import dataclass, field
from typing import Any

from sqlalchemy import delete
from sqlmodel import Session, col, select

from app.boards.board import notes_hidden
from app.boards.models import Cluster, Note, Story, SynthesisItem, SynthesisPlacement, Vote
from app.boards.synthesis import (
    Item,
    NoteIn,
    Seed,
    VoteIn,
    auto_title,
    build_items,
    mean_of,
    pool_votes,
    pooled,
    rank,
    score,
)
from app.errors import PlenaryError
from app.realtime.envelope import NewEvent
from app.realtime.log import lock_stream
from app.rooms import service as rooms
from app.rooms.models import Room, Workshop
from app.rooms.tokens import new_id
from app.textrules import clean_text


@dataclass
class Inputs:
    """Everything of a workshop's rooms that the synthesis reads."""

    workshop: Workshop
    rooms: list[Room]
    notes: dict[str, NoteIn] = field(default_factory=dict)
    votes: dict[str, list[VoteIn]] = field(default_factory=lambda: defaultdict(list))
    clusters: dict[str, list[str]] = field(default_factory=dict)
    cluster_titles: dict[str, tuple[str, str]] = field(default_factory=dict)

    @property
    def rooms_with_notes(self) -> int:
        """How many rooms contributed (the denominator of an item's breadth)."""
        return len({n.room for n in self.notes.values()})


def gather(session: Session, workshop_id: str) -> Inputs:
    """Read the visible notes, clusters and votes of every room."""
    workshop = rooms.get_workshop(session, workshop_id)
    all_rooms = rooms.all_rooms(session, workshop_id)
    inputs = Inputs(workshop, all_rooms)
    visible = {r.id for r in all_rooms if not notes_hidden(workshop, r)}
    room_ids = [r.id for r in all_rooms]
    for note in session.exec(
        select(Note)
        .where(col(Note.room_id).in_(room_ids))
        .order_by(col(Note.created_at), col(Note.id))
    ).all():
        if note.room_id in visible:  # private notes stay out until revealed
            inputs.notes[note.id] = NoteIn(
                note.id, note.room_id, note.lane, note.text, note.cluster_id
            )
    for cluster in session.exec(select(Cluster).where(col(Cluster.room_id).in_(room_ids))).all():
        inputs.clusters[cluster.id] = [
            n.id for n in inputs.notes.values() if n.cluster == cluster.id
        ]
        inputs.cluster_titles[cluster.id] = (cluster.room_id, cluster.title)
    for vote in session.exec(select(Vote).where(col(Vote.room_id).in_(room_ids))).all():
        inputs.votes[vote.target].append(VoteIn(vote.target, vote.impact, vote.uncertainty))
    return inputs


def _stored(session: Session, workshop_id: str) -> tuple[list[SynthesisItem], dict[str, list[str]]]:
    items = list(
        session.exec(
            select(SynthesisItem)
            .where(SynthesisItem.workshop_id == workshop_id)
            .order_by(col(SynthesisItem.id))
        ).all()
    )
    members: dict[str, list[str]] = defaultdict(list)
    for placement in session.exec(
        select(SynthesisPlacement)
        .where(SynthesisPlacement.workshop_id == workshop_id)
        .order_by(col(SynthesisPlacement.note_id))
    ).all():
        members[placement.item_id].append(placement.note_id)
    return items, members


def _view(item: SynthesisItem, note_ids: list[str], inputs: Inputs) -> Item | None:
    members = [inputs.notes[nid] for nid in note_ids if nid in inputs.notes]
    if not members:
        return None
    members.sort(key=lambda n: (n.room, n.id))
    votes = pool_votes(members, inputs.votes, inputs.clusters)
    impact = pooled([v.impact for v in votes])
    uncertainty = pooled([v.uncertainty for v in votes])
    rooms_raised = sorted({n.room for n in members})
    return Item(
        id=item.id,
        title=item.title,
        lane=item.lane,
        note_ids=[n.id for n in members],
        rooms=rooms_raised,
        impact=impact,
        uncertainty=uncertainty,
        score=score(
            mean_of(impact), mean_of(uncertainty), len(rooms_raised), inputs.rooms_with_notes
        ),
        edited=item.pinned,
        cluster_ids=sorted({n.cluster for n in members if n.cluster}),
    )


def item_dict(item: Item, inputs: Inputs) -> dict[str, Any]:
    """An item as the protocol writes it, with the provenance of every note."""
    return {
        "id": item.id,
        "title": item.title,
        "lane": item.lane,
        "notes": [
            {"room": inputs.notes[nid].room, "note_id": nid, "text": inputs.notes[nid].text}
            for nid in item.note_ids
        ],
        "rooms": item.rooms,
        "impact": item.impact,
        "uncertainty": item.uncertainty,
        "score": item.score,
        "edited": item.edited,
        "clusters": [
            {
                "room": inputs.cluster_titles[cid][0],
                "cluster_id": cid,
                "title": inputs.cluster_titles[cid][1],
            }
            for cid in item.cluster_ids
            if cid in inputs.cluster_titles
        ],
    }


def current_items(session: Session, inputs: Inputs) -> list[Item]:
    """The stored items with today's votes, ranked."""
    stored, members = _stored(session, inputs.workshop.id)
    views = [_view(item, members.get(item.id, []), inputs) for item in stored]
    return rank([v for v in views if v is not None])


def synthesis_snapshot(session: Session, workshop_id: str) -> dict[str, Any]:
    """The merged board: ranked items (per lane), the axis cross, the rooms' stories."""
    inputs = gather(session, workshop_id)
    items = current_items(session, inputs)
    lanes: dict[str, list[str]] = defaultdict(list)
    for item in items:
        lanes[item.lane].append(item.id)
    rated = [i for i in items if i.impact["mean"] is not None and i.uncertainty["mean"] is not None]
    rated.sort(key=lambda i: (-(mean_of(i.impact) or 0) * (mean_of(i.uncertainty) or 0), i.id))
    names = {r.id: r.name for r in inputs.rooms}
    stories = session.exec(
        select(Story)
        .where(col(Story.room_id).in_(list(names)))
        .order_by(col(Story.room_id), col(Story.quadrant))
    ).all()
    workshop = inputs.workshop
    return {
        "title": workshop.title,
        "question": workshop.question,
        "method": workshop.method,
        "rooms": [{"id": r.id, "name": r.name} for r in inputs.rooms],
        "items": [item_dict(i, inputs) for i in items],
        "lanes": dict(lanes),
        "axes": {
            "x": rated[0].id if len(rated) > 1 else None,
            "y": rated[1].id if len(rated) > 1 else None,
        },
        "stories": [
            {
                "room": s.room_id,
                "room_name": names[s.room_id],
                "quadrant": s.quadrant,
                "title": s.title,
                "metaphor": s.metaphor,
                "text": s.text,
            }
            for s in stories
            if s.title or s.metaphor or s.text
        ],
    }


def _event(workshop_id: str, op: str, data: dict[str, Any]) -> NewEvent:
    return NewEvent(rooms.synthesis_stream(workshop_id), op, data)


def rebuild(session: Session, workshop_id: str) -> list[NewEvent]:
    """Group every visible note anew, keeping the moderator's items and placing new notes."""
    lock_stream(session, rooms.synthesis_stream(workshop_id))
    inputs = gather(session, workshop_id)
    stored, members = _stored(session, workshop_id)
    present = set(inputs.notes)
    seeds = [
        Seed(
            item.id,
            frozenset(members.get(item.id, [])) & present,
            item.title if item.renamed else None,
        )
        for item in stored
        if item.pinned
    ]
    previous = {
        item.id: frozenset(members.get(item.id, [])) & present for item in stored if not item.pinned
    }
    built = build_items(
        list(inputs.notes.values()),
        [v for votes in inputs.votes.values() for v in votes],
        clusters=inputs.clusters,
        seeds=[s for s in seeds if s.note_ids],
        previous=previous,
        rooms_total=inputs.rooms_with_notes,
        new_id=lambda: new_id("i"),
    )
    by_id = {item.id: item for item in stored}
    session.execute(
        delete(SynthesisPlacement).where(col(SynthesisPlacement.workshop_id) == workshop_id)
    )
    keep = {item.id for item in built}
    for old in stored:
        if old.id not in keep:
            session.delete(old)
    session.flush()
    for fresh in built:
        row = by_id.get(fresh.id) or SynthesisItem(
            id=fresh.id, workshop_id=workshop_id, lane=fresh.lane, title=fresh.title
        )
        if not row.renamed:
            row.title = fresh.title
        session.add(row)
        session.flush()
        session.add_all(
            SynthesisPlacement(note_id=nid, workshop_id=workshop_id, item_id=fresh.id)
            for nid in fresh.note_ids
        )
    session.flush()
    return [
        _event(
            workshop_id,
            "synthesis.rebuilt",
            {"synthesis": synthesis_snapshot(session, workshop_id)},
        )
    ]


class Editor:
    """The moderator's live edits of the merged board, inside one locked transaction."""

    def __init__(self, session: Session, workshop_id: str) -> None:
        lock_stream(session, rooms.synthesis_stream(workshop_id))
        self.session = session
        self.workshop_id = workshop_id
        self.inputs = gather(session, workshop_id)
        stored, self.members = _stored(session, workshop_id)
        self.items = {item.id: item for item in stored}

    def item(self, item_id: str) -> SynthesisItem:
        """A stored item, or 404."""
        found = self.items.get(item_id)
        if found is None:
            raise PlenaryError("not_found", f"There is no item {item_id} in the synthesis.")
        return found

    def view(self, item_id: str) -> dict[str, Any]:
        """The item as clients see it now."""
        view = _view(self.items[item_id], self.members[item_id], self.inputs)
        assert view is not None
        return item_dict(view, self.inputs)

    def _retitle(self, item: SynthesisItem) -> None:
        notes = [self.inputs.notes[n] for n in self.members[item.id] if n in self.inputs.notes]
        if not item.renamed and notes:
            item.title = auto_title(notes)

    def _place(self, note_id: str, item_id: str) -> None:
        placement = self.session.get(SynthesisPlacement, note_id)
        assert placement is not None
        placement.item_id = item_id
        self.session.add(placement)

    def _drop(self, item: SynthesisItem) -> None:
        self.session.flush()
        self.session.delete(item)
        del self.items[item.id]

    def _pin(self, *items: SynthesisItem) -> None:
        for item in items:
            item.pinned = True
            self._retitle(item)
            self.session.add(item)
        self.session.flush()

    def rename(self, item_id: str, title: str) -> list[NewEvent]:
        """Give an item the moderator's title."""
        item = self.item(item_id)
        item.title = clean_text(title, field="title", max_len=280)
        item.renamed = True
        self._pin(item)
        return [_event(self.workshop_id, "item.renamed", {"item": self.view(item.id)})]

    def merge(self, ids: list[str]) -> list[NewEvent]:
        """Fold items into the first one named."""
        if len(ids) < 2 or len(set(ids)) != len(ids):
            raise PlenaryError("invalid", "Name at least two different items to merge.")
        items = [self.item(i) for i in ids]
        if len({i.lane for i in items}) > 1:
            raise PlenaryError("invalid", "Items of different lanes stay apart.")
        keep, others = items[0], items[1:]
        for other in others:
            for note_id in self.members.pop(other.id, []):
                self._place(note_id, keep.id)
                self.members[keep.id].append(note_id)
            self._drop(other)
        self._pin(keep)
        return [
            _event(
                self.workshop_id,
                "item.merged",
                {"item": self.view(keep.id), "merged": [o.id for o in others]},
            )
        ]

    def split(self, item_id: str, note_ids: list[str]) -> list[NewEvent]:
        """Take some notes out of an item into a new one."""
        item = self.item(item_id)
        current = set(self.members[item_id])
        if not note_ids or len(set(note_ids)) != len(note_ids):
            raise PlenaryError("invalid", "Name the notes to split off, each once.")
        strangers = [n for n in note_ids if n not in current]
        if strangers:
            raise PlenaryError("invalid", f"Note {strangers[0]} is not in item {item_id}.")
        if set(note_ids) == current:
            raise PlenaryError("invalid", "Splitting off every note leaves nothing behind.")
        new = SynthesisItem(id=new_id("i"), workshop_id=self.workshop_id, lane=item.lane, title="")
        self.session.add(new)
        self.session.flush()
        self.items[new.id] = new
        for note_id in note_ids:
            self._place(note_id, new.id)
            self.members[item_id].remove(note_id)
            self.members[new.id].append(note_id)
        self._pin(item, new)
        return [
            _event(
                self.workshop_id,
                "item.split",
                {"item": self.view(item.id), "new_item": self.view(new.id)},
            )
        ]

    def move_note(self, note_id: str, to: str) -> list[NewEvent]:
        """Move one note to another item (an item left empty disappears)."""
        target = self.item(to)
        placement = self.session.get(SynthesisPlacement, note_id)
        if placement is None or placement.workshop_id != self.workshop_id:
            raise PlenaryError("not_found", f"Note {note_id} is not in the synthesis.")
        source = self.items[placement.item_id]
        if source.id == target.id:
            raise PlenaryError("invalid", "The note is already in that item.")
        if source.lane != target.lane:
            raise PlenaryError("invalid", "A note stays in its own lane.")
        self._place(note_id, target.id)
        self.members[source.id].remove(note_id)
        self.members[target.id].append(note_id)
        emptied = not any(n in self.inputs.notes for n in self.members[source.id])
        if emptied:
            self._drop(source)
            self._pin(target)
        else:
            self._pin(source, target)
        data = {
            "note_id": note_id,
            "from": None if emptied else self.view(source.id),
            "to": self.view(target.id),
            "deleted": [source.id] if emptied else [],
        }
        return [_event(self.workshop_id, "item.note_moved", data)]
