"""Pure: the merged board as one viewer may see it, from what the rooms hold and the stored items.

No session, no I/O: a build computes the board in a worker process from a read
snapshot (`compute_build`), and a read assembles it the same way. Votes of a
room whose tallies are hidden (`hide_tallies` while it rates) are left out of
the projector's view, so the wall shows no more than the rooms do.
"""

import secrets
from collections import defaultdict
from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Any

from app.boards.paths import mean_place
from app.boards.suggestions import LIMIT as SUGGESTIONS
from app.boards.suggestions import ranking_for, suggest
from app.boards.synthesis import (
    Grouped,
    Item,
    NoteIn,
    Seed,
    VoteIn,
    build_items,
    mean_of,
    method_for,
    pool_votes,
    pooled,
    rank,
    score,
)
from app.rooms import phases


@dataclass(frozen=True)
class RoomIn:
    """A room as the synthesis sees it."""

    id: str
    name: str
    votes_hidden: bool = False  # its tallies are hidden from participants and the wall now


@dataclass
class Inputs:
    """Everything of a workshop's rooms that the synthesis reads (a plain, picklable snapshot)."""

    workshop: dict[str, Any]
    rooms: list[RoomIn]
    notes: dict[str, NoteIn] = field(default_factory=dict)
    votes: dict[str, list[VoteIn]] = field(default_factory=lambda: defaultdict(list))
    clusters: dict[str, list[str]] = field(default_factory=dict)
    cluster_titles: dict[str, tuple[str, str]] = field(default_factory=dict)
    anchors: dict[str, str] = field(default_factory=dict)  # cluster -> the note its title names
    stories: list[dict[str, Any]] = field(default_factory=list)
    scenarios: list[dict[str, Any]] = field(default_factory=list)
    rooms_with_notes: int = 0  # the denominator of an item's breadth
    apart: list[tuple[str, str]] = field(default_factory=list)  # notes kept apart (rejections)
    suggestions: list[dict[str, Any]] = field(default_factory=list)  # open, from the last build
    places: dict[str, float] = field(default_factory=dict)  # step note -> place on its path
    whens: dict[str, str] = field(default_factory=dict)  # step note -> its moment ("Q1 2027")

    @property
    def hidden_rooms(self) -> frozenset[str]:
        """Rooms whose votes the projector may not see yet."""
        return frozenset(room.id for room in self.rooms if room.votes_hidden)


@dataclass(frozen=True)
class StoredItem:
    """An item as stored: its id, title, lane, notes, and whether the moderator shaped it."""

    id: str
    title: str
    lane: str
    note_ids: tuple[str, ...]
    edited: bool = False
    renamed: bool = False


def _room_of(target: str, inputs: Inputs) -> str | None:
    note = inputs.notes.get(target)
    if note is not None:
        return note.room
    cluster = inputs.cluster_titles.get(target)
    return cluster[0] if cluster else None


def visible_votes(inputs: Inputs, hidden: frozenset[str]) -> dict[str, list[VoteIn]]:
    """The votes a viewer may count: none of rooms whose tallies it may not see."""
    if not hidden:
        return inputs.votes
    return {t: v for t, v in inputs.votes.items() if _room_of(t, inputs) not in hidden}


def item_view(stored: StoredItem, inputs: Inputs, votes: dict[str, list[VoteIn]]) -> Item | None:
    """A stored item with today's notes and votes; None once none of its notes is left."""
    members = [inputs.notes[nid] for nid in stored.note_ids if nid in inputs.notes]
    if not members:
        return None
    members.sort(key=lambda n: (n.room, n.id))
    pooled_votes = pool_votes(members, votes, inputs.clusters, inputs.anchors)
    impact = pooled([v.impact for v in pooled_votes])
    uncertainty = pooled([v.uncertainty for v in pooled_votes])
    rooms_raised = sorted({n.room for n in members})
    return Item(
        id=stored.id,
        title=stored.title,
        lane=stored.lane,
        note_ids=[n.id for n in members],
        rooms=rooms_raised,
        impact=impact,
        uncertainty=uncertainty,
        score=score(
            mean_of(impact), mean_of(uncertainty), len(rooms_raised), inputs.rooms_with_notes
        ),
        edited=stored.edited,
        cluster_ids=sorted({n.cluster for n in members if n.cluster}),
    )


def note_dict(note_id: str, inputs: Inputs, *, step: bool) -> dict[str, Any]:
    """One note of an item, with where it came from (and a step's moment)."""
    note = inputs.notes[note_id]
    shown: dict[str, Any] = {"room": note.room, "note_id": note_id, "text": note.text}
    if step:
        shown["when"] = inputs.whens.get(note_id)
    return shown


def item_dict(item: Item, inputs: Inputs) -> dict[str, Any]:
    """An item as the protocol writes it, with the provenance of every note."""
    return {
        "id": item.id,
        "title": item.title,
        "lane": item.lane,
        "notes": [note_dict(nid, inputs, step=item.lane == "step") for nid in item.note_ids],
        "rooms": item.rooms,
        "impact": item.impact,
        "uncertainty": item.uncertainty,
        "score": item.score,
        "edited": item.edited,
        "place": mean_place(item.note_ids, inputs.places) if item.lane == "step" else None,
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


def views(
    stored: Sequence[StoredItem], inputs: Inputs, hidden: frozenset[str] = frozenset()
) -> list[Item]:
    """The stored items as one viewer sees them, ranked."""
    votes = visible_votes(inputs, hidden)
    seen = [item_view(s, inputs, votes) for s in stored]
    return rank([item for item in seen if item is not None])


def open_suggestions(
    stored: Sequence[StoredItem], suggestions: Sequence[dict[str, Any]]
) -> list[dict[str, Any]]:
    """The suggestions that still apply to the items as they are now (edits settle some)."""
    where = {note: item.id for item in stored for note in item.note_ids}
    ids = {item.id for item in stored}
    still = []
    for s in suggestions:
        first, second = s["items"]
        if first == second or first not in ids or second not in ids:
            continue
        if s["kind"] == "move" and where.get(s["note_id"]) != first:
            continue
        still.append({k: v for k, v in s.items() if k != "apart"})  # apart stays server-side
    return still


def board(
    stored: Sequence[StoredItem],
    inputs: Inputs,
    hidden: frozenset[str] = frozenset(),
    *,
    privileged: bool = True,
) -> dict[str, Any]:
    """The merged board: ranked items (per lane), the axis cross, the rooms' stories.

    The moderator's board also carries the open suggestions and whether the subject
    lexicon is on; the wall's does not.
    """
    items = views(stored, inputs, hidden)
    lanes: dict[str, list[str]] = defaultdict(list)
    for item in items:
        lanes[item.lane].append(item.id)
    if "step" in lanes:
        # A synthesis of paths reads from today to the horizon, not by score (docs/protocol.md).
        place = {i.id: mean_place(i.note_ids, inputs.places) for i in items if i.lane == "step"}
        lanes["step"].sort(key=lambda item_id: (place[item_id] is None, place[item_id] or 0.0))
    # In the method's order (what stays, what is new, what disappears, the steps), as the
    # pages list them: the numbers run on across lanes, so the report's number 7 must be the
    # wall's number 7 (ninth trial: the reports followed the order of the first-ranked items).
    order = {lane: k for k, lane in enumerate(phases.LANES.get(inputs.workshop["method"], ()))}
    in_order = dict(sorted(lanes.items(), key=lambda lane: order.get(lane[0], len(order))))
    rated = [i for i in items if i.impact["mean"] is not None and i.uncertainty["mean"] is not None]
    rated.sort(key=lambda i: (-(mean_of(i.impact) or 0) * (mean_of(i.uncertainty) or 0), i.id))
    workshop = inputs.workshop
    return {
        "title": workshop["title"],
        "question": workshop["question"],
        "method": workshop["method"],
        "language": workshop["language"],
        "horizon": workshop.get("horizon"),
        "view": workshop.get("view", "auto"),
        "rooms": [{"id": r.id, "name": r.name} for r in inputs.rooms],
        "items": [item_dict(i, inputs) for i in items],
        "lanes": in_order,
        "axes": {
            "x": rated[0].id if len(rated) > 1 else None,
            "y": rated[1].id if len(rated) > 1 else None,
        },
        "stories": inputs.stories,
        "scenarios": inputs.scenarios,
        **(
            {
                "suggestions": open_suggestions(stored, inputs.suggestions),
                "lexicon": bool(workshop.get("lexicon", True)),
            }
            if privileged
            else {}
        ),
    }


@dataclass
class Built:
    """The result of a build: the items to store, and the board for each kind of viewer."""

    items: list[StoredItem]
    suggestions: list[dict[str, Any]]
    apart: dict[str, tuple[str, str]]  # suggestion id -> the notes a rejection keeps apart
    full: dict[str, Any]
    projector: dict[str, Any]


def compute_build(
    inputs: Inputs,
    seeds: list[Seed],
    previous: dict[str, frozenset[str]],
    threshold: float | None = None,
) -> Built:
    """Group every note anew (keeping the moderator's items) and lay out both boards.

    Pure CPU: a build runs this in a worker process, so a large workshop never
    holds up the event loop or the writer.
    """
    workshop = inputs.workshop
    lexicon = bool(workshop.get("lexicon", True))
    method, ranking = method_for(lexicon), ranking_for(lexicon)
    grouped: list[Grouped] = []
    built = build_items(
        list(inputs.notes.values()),
        [v for votes in inputs.votes.values() for v in votes],
        clusters=inputs.clusters,
        seeds=seeds,
        previous=previous,
        rooms_total=inputs.rooms_with_notes,
        new_id=lambda: f"i_{secrets.token_urlsafe(9)}",
        threshold=threshold,
        method=method,
        language=workshop["language"],
        cannot=inputs.apart,
        cluster_titles={cid: title for cid, (_room, title) in inputs.cluster_titles.items()},
        anchors=inputs.anchors,
        grouped_out=grouped,
    )
    placed = frozenset(note for seed in seeds for note in seed.note_ids)
    offered = sorted(
        (
            s
            for lane in grouped
            for s in suggest(
                lane,
                threshold or method.threshold,
                [*inputs.apart, *lane.apart],
                ranking=ranking,
                placed=placed,
            )
        ),
        key=lambda s: (-s.strength, s.id),
    )[:SUGGESTIONS]
    renamed = {seed.item_id for seed in seeds if seed.title}
    items = [
        StoredItem(
            item.id,
            item.title,
            item.lane,
            tuple(item.note_ids),
            edited=item.edited,
            renamed=item.id in renamed,
        )
        for item in built
    ]
    suggestions = [{**s.as_dict(), "apart": list(s.apart)} for s in offered]
    inputs.suggestions = suggestions
    hidden = inputs.hidden_rooms
    return Built(
        items,
        suggestions,
        {s.id: s.apart for s in offered},
        board(items, inputs),
        board(items, inputs, hidden, privileged=False),
    )


def warm_up() -> bool:
    """Load the language data a build needs (a worker's first build took 3-7 s without)."""
    for language in ("nl", "en"):
        notes = [
            NoteIn("a", "r1", "trend", "Thuiswerken blijft"),
            NoteIn("b", "r2", "trend", "Hybrid work stays"),
        ]
        build_items(
            notes,
            [],
            clusters={},
            seeds=[],
            previous={},
            rooms_total=2,
            new_id=lambda: "x",
            language=language,
        )
    return True
