"""Reading what the synthesis needs: the rooms' visible notes, clusters, votes and crosses.

`gather` reads a whole workshop (a build, a snapshot); `gather_items` reads
only the notes of some items, so a moderator's edit costs the size of what it
touches, not of the workshop.
"""

import json
from collections import defaultdict
from typing import Any

from sqlalchemy import func
from sqlmodel import Session, col, select

from app.boards.board import axes_dict, notes_hidden, story_dict
from app.boards.models import (
    Axes,
    Cluster,
    Note,
    Story,
    SynthesisItem,
    SynthesisLink,
    SynthesisPlacement,
    SynthesisState,
    Vote,
)
from app.boards.paths import places
from app.boards.rules import QUADRANTS
from app.boards.synthesis import NoteIn, VoteIn, cluster_anchors
from app.boards.synthesis_view import Inputs, RoomIn, StoredItem
from app.rooms import service as rooms
from app.rooms.models import Room, Workshop


def workshop_info(workshop: Workshop) -> dict[str, Any]:
    """The workshop fields every board shows."""
    return {
        "id": workshop.id,
        "title": workshop.title,
        "question": workshop.question,
        "method": workshop.method,
        "language": workshop.language,
        "horizon": workshop.horizon,
        "view": workshop.plenary_view,
        "lexicon": workshop.synthesis_lexicon,
    }


def tallies_hidden(workshop: Workshop, room: Room) -> bool:
    """Whether a room's tallies are hidden from participants and the wall right now."""
    return workshop.hide_tallies and room.phase == "rate"


def _frame(session: Session, workshop_id: str) -> tuple[Inputs, set[str]]:
    workshop = rooms.get_workshop(session, workshop_id)
    all_rooms = rooms.all_rooms(session, workshop_id)
    inputs = Inputs(
        workshop_info(workshop),
        [RoomIn(r.id, r.name, tallies_hidden(workshop, r)) for r in all_rooms],
    )
    # Private notes stay out until their room is revealed, for everyone.
    visible = {r.id for r in all_rooms if not notes_hidden(workshop, r)}
    return inputs, visible


def _take(inputs: Inputs, note: Note) -> None:
    # A note as the synthesis reads it, and a step's moment beside it.
    inputs.notes[note.id] = NoteIn(note.id, note.room_id, note.lane, note.text, note.cluster_id)
    if note.lane == "step" and note.when:
        inputs.whens[note.id] = note.when


def gather(session: Session, workshop_id: str) -> Inputs:
    """Everything the synthesis of a workshop reads, in one read transaction."""
    inputs, visible = _frame(session, workshop_id)
    room_ids = [r.id for r in inputs.rooms]
    steps: list[tuple[str, str, float | None, Any]] = []
    for note in session.exec(
        select(Note)
        .where(col(Note.room_id).in_(room_ids))
        .order_by(col(Note.created_at), col(Note.id))
    ).all():
        if note.room_id in visible:
            _take(inputs, note)
            if note.lane == "step":
                steps.append((note.id, note.room_id, note.x, note.created_at))
    inputs.places = places(steps)
    members: dict[str, list[str]] = defaultdict(list)
    for seen in inputs.notes.values():
        if seen.cluster is not None:
            members[seen.cluster].append(seen.id)
    for cluster in session.exec(select(Cluster).where(col(Cluster.room_id).in_(room_ids))).all():
        inputs.clusters[cluster.id] = members.get(cluster.id, [])
        inputs.cluster_titles[cluster.id] = (cluster.room_id, cluster.title)
    _anchors(inputs, {n.id: n.text for n in inputs.notes.values()})
    for vote in session.exec(select(Vote).where(col(Vote.room_id).in_(room_ids))).all():
        inputs.votes[vote.target].append(VoteIn(vote.target, vote.impact, vote.uncertainty))
    inputs.rooms_with_notes = len({n.room for n in inputs.notes.values()})
    _crosses(session, inputs)
    _moderation(session, inputs)
    return inputs


def _anchors(inputs: Inputs, texts: dict[str, str]) -> None:
    # Each cluster's anchor note: where its votes go when the synthesis splits it in half.
    titles = {cid: title for cid, (_room, title) in inputs.cluster_titles.items()}
    inputs.anchors = cluster_anchors(inputs.clusters, texts, titles)


def _moderation(session: Session, inputs: Inputs) -> None:
    # The notes the moderator keeps apart, and the suggestions the last build left open.
    workshop_id = inputs.workshop["id"]
    inputs.apart = [
        (link.a, link.b)
        for link in session.exec(
            select(SynthesisLink)
            .where(SynthesisLink.workshop_id == workshop_id)
            .order_by(col(SynthesisLink.a), col(SynthesisLink.b))
        ).all()
    ]
    state = session.get(SynthesisState, workshop_id)
    inputs.suggestions = json.loads(state.suggestions) if state is not None else []


def gather_items(session: Session, workshop_id: str, note_ids: list[str]) -> Inputs:
    """What the synthesis needs to show some items: their notes, clusters and votes only."""
    inputs, visible = _frame(session, workshop_id)
    notes = session.exec(select(Note).where(col(Note.id).in_(note_ids))).all() if note_ids else []
    for note in notes:
        if note.room_id in visible:
            _take(inputs, note)
    _places_of_paths(session, inputs)
    cluster_ids = sorted({n.cluster for n in inputs.notes.values() if n.cluster})
    if cluster_ids:
        for cluster in session.exec(select(Cluster).where(col(Cluster.id).in_(cluster_ids))):
            inputs.cluster_titles[cluster.id] = (cluster.room_id, cluster.title)
        members: dict[str, list[str]] = defaultdict(list)
        texts: dict[str, str] = {}
        for note_id, cluster_id, text in session.exec(
            select(Note.id, Note.cluster_id, Note.text)
            .where(col(Note.cluster_id).in_(cluster_ids))
            .order_by(col(Note.created_at), col(Note.id))  # the order the anchor's ties follow
        ):
            if cluster_id is not None:
                members[cluster_id].append(note_id)
                texts[note_id] = text
        inputs.clusters.update(members)
        _anchors(inputs, texts)
    targets = [*inputs.notes, *cluster_ids]
    if targets:
        for vote in session.exec(select(Vote).where(col(Vote.target).in_(targets))).all():
            inputs.votes[vote.target].append(VoteIn(vote.target, vote.impact, vote.uncertainty))
    room_ids = [r.id for r in inputs.rooms if r.id in visible]
    inputs.rooms_with_notes = int(
        session.exec(
            select(func.count(func.distinct(Note.room_id))).where(col(Note.room_id).in_(room_ids))
        ).one()
    )
    return inputs


def _places_of_paths(session: Session, inputs: Inputs) -> None:
    # A step's place depends on its whole path, so the paths of the steps read are read too.
    path_rooms = sorted({n.room for n in inputs.notes.values() if n.lane == "step"})
    if not path_rooms:
        return
    steps = session.exec(
        select(Note.id, Note.room_id, Note.x, Note.created_at).where(
            col(Note.room_id).in_(path_rooms), Note.lane == "step"
        )
    ).all()
    inputs.places = places((nid, room, x, at) for nid, room, x, at in steps)


def _crosses(session: Session, inputs: Inputs) -> None:
    # Every room's stories, and the cross of each room that set its two axes.
    names = {r.id: r.name for r in inputs.rooms}
    stories: dict[str, dict[str, Story]] = defaultdict(dict)
    for story in session.exec(
        select(Story).where(col(Story.room_id).in_(list(names))).order_by(col(Story.quadrant))
    ).all():
        stories[story.room_id][story.quadrant] = story
    for room_id, name in names.items():
        for _quadrant, story in sorted(stories[room_id].items()):
            if story.title or story.metaphor or story.text or story.traits not in ("", "[]"):
                inputs.stories.append({"room": room_id, "room_name": name, **story_dict(story)})
    for axes in session.exec(select(Axes).where(col(Axes.room_id).in_(list(names)))).all():
        if axes.x is None or axes.y is None:
            continue
        own = stories[axes.room_id]
        inputs.scenarios.append(
            {
                "room": axes.room_id,
                "room_name": names[axes.room_id],
                "axes": axes_dict(session, axes),
                "stories": [
                    story_dict(own.get(q) or Story(room_id=axes.room_id, quadrant=q))
                    for q in QUADRANTS
                ],
            }
        )
    order = {r.id: n for n, r in enumerate(inputs.rooms)}
    inputs.scenarios.sort(key=lambda s: order[s["room"]])


def stored_items(
    session: Session, workshop_id: str, item_ids: list[str] | None = None
) -> list[StoredItem]:
    """The stored items (all, or the named ones) with their notes."""
    query = select(SynthesisItem).where(SynthesisItem.workshop_id == workshop_id)
    placements = select(SynthesisPlacement.item_id, SynthesisPlacement.note_id).where(
        SynthesisPlacement.workshop_id == workshop_id
    )
    if item_ids is not None:
        query = query.where(col(SynthesisItem.id).in_(item_ids))
        placements = placements.where(col(SynthesisPlacement.item_id).in_(item_ids))
    members: dict[str, list[str]] = defaultdict(list)
    for item_id, note_id in session.exec(placements.order_by(col(SynthesisPlacement.note_id))):
        members[item_id].append(note_id)
    return [
        StoredItem(
            item.id,
            item.title,
            item.lane,
            tuple(members.get(item.id, ())),
            edited=item.pinned,
            renamed=item.renamed,
        )
        for item in session.exec(query.order_by(col(SynthesisItem.id))).all()
    ]
