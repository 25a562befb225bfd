"""A room's whole board as one identity may see it."""

import json
from typing import Any

from sqlmodel import Session, col, select

from app.boards import rules
from app.boards.board import (
    Board,
    axes_dict,
    cluster_dict,
    note_dict,
    room_notes,
    story_dict,
    target_tally,
)
from app.boards.models import Axes, Cluster, Story, Vote
from app.boards.polls import polls_for
from app.clock import iso
from app.realtime.gateway import Identity
from app.rooms import phases
from app.rooms.models import Room


def board_snapshot(session: Session, identity: Identity, room_id: str) -> dict[str, Any]:
    """PROTOCOL.md's board snapshot, with private notes and hidden tallies withheld."""
    board = Board.load(session, identity, room_id)
    room, workshop = board.room, board.workshop
    me = identity.by
    notes = []
    for note in room_notes(session, room.id):
        shown = note_dict(note)
        if board.notes_hidden and not identity.privileged and note.author != me:
            shown = rules.hidden_note(shown)
        notes.append(shown)
    clusters = session.exec(
        select(Cluster).where(Cluster.room_id == room.id).order_by(col(Cluster.created_at))
    ).all()
    targets = session.exec(
        select(Vote.target).where(Vote.room_id == room.id).distinct().order_by(col(Vote.target))
    ).all()
    tallies = [target_tally(session, target) for target in targets]
    hide = board.tallies_hidden and not identity.privileged
    my_votes = session.exec(
        select(Vote).where(Vote.room_id == room.id, Vote.voter == me).order_by(col(Vote.target))
    ).all()
    axes = session.get(Axes, room.id)
    stored = {
        s.quadrant: s for s in session.exec(select(Story).where(Story.room_id == room.id)).all()
    }
    return {
        "room": room.id,
        "name": room.name,
        "title": workshop.title,
        "question": workshop.question,
        "method": workshop.method,
        "language": workshop.language,
        "lanes": list(phases.LANES[workshop.method]),
        "phase": room.phase,
        "horizon": workshop.horizon,
        "instruction": phases.instruction(
            workshop.method, room.phase, workshop.language, workshop.horizon
        ),
        "phases": list(phases.PHASES[workshop.method]),
        "instructions": phases.instructions_for(workshop.method, workshop.horizon),
        "locked": room.locked,
        "private": workshop.private_notes,
        "revealed": room.revealed,
        "timer_ends_at": iso(room.timer_ends_at),
        "message": latest_message(session, room.id),
        "notes": notes,
        "clusters": [cluster_dict(session, c) for c in clusters],
        "tallies": [rules.hidden_tally(t) for t in tallies] if hide else tallies,
        "my_votes": [
            {"target": v.target, "impact": v.impact, "uncertainty": v.uncertainty} for v in my_votes
        ],
        "axes": {
            **axes_dict(session, axes),
            "suggested": None if hide else rules.suggest_axes(tallies),
        },
        "stories": [
            story_dict(stored.get(q) or Story(room_id=room.id, quadrant=q)) for q in rules.QUADRANTS
        ],
        "polls": polls_for(session, identity),
        "previous": carried(workshop.previous),
    }


def carried(previous: str | None) -> dict[str, Any] | None:
    """What a follow-up's rooms see of the session before: its title, question and top items.

    Only what the members' report of that session already said: titles and in how many
    rooms each came up, not the earlier workshop's id, room ids or scores.
    """
    if not previous:
        return None
    summary = json.loads(previous)
    return {
        "title": summary["title"],
        "question": summary["question"],
        "items": [
            {"title": item["title"], "lane": item.get("lane"), "rooms": len(item["rooms"])}
            for item in summary["items"]
        ],
    }


def latest_message(session: Session, room_id: str) -> dict[str, str | None] | None:
    """The room's broadcast of this phase, if any."""
    text, at = session.exec(select(Room.message, Room.message_at).where(Room.id == room_id)).one()
    return None if text is None else {"text": text, "at": iso(at)}
