"""The report members receive afterwards, as data: what the caller's page would show, no authors.

The moderator's report carries everything; the projector's carries exactly what
the projection shows (private notes and hidden tallies stay hidden). No report
names the author of a note or a story.
"""

import json
from typing import Any

from sqlmodel import Session

from app.boards.paths import path_key
from app.boards.polls import polls_for
from app.boards.snapshot import board_snapshot
from app.boards.synthesis_build import synthesis_snapshot
from app.clock import iso, utcnow
from app.realtime.gateway import Identity
from app.rooms import service as rooms


def path_of(board: dict[str, Any]) -> list[dict[str, Any]]:
    """A backcast room's steps from today to the horizon, in the order the room laid them."""
    steps = [n for n in board["notes"] if n["lane"] == "step"]
    return sorted(steps, key=lambda n: path_key(n["x"], n["created_at"]))


def report(session: Session, identity: Identity) -> dict[str, Any]:
    """Everything of the workshop this identity may see, machine-readable and anonymous."""
    workshop_id = identity.workshop_id
    workshop = rooms.get_workshop(session, workshop_id)
    members = rooms.participants_by_room(session, workshop_id)
    boards = []
    for room in rooms.all_rooms(session, workshop_id):
        board = board_snapshot(session, identity, room.id)
        for note in board["notes"]:
            note.pop("author", None)
        board.pop("my_votes", None)
        board.pop("polls", None)
        board["participants"] = len(members.get(room.id, []))
        if workshop.method == "backcast":
            board["path"] = path_of(board)
        boards.append(board)
    polls = polls_for(session, identity)
    return {
        "workshop": {
            "id": workshop.id,
            "title": workshop.title,
            "question": workshop.question,
            "method": workshop.method,
            "language": workshop.language,
            "horizon": workshop.horizon,
            "timezone": workshop.timezone,
            "previous": json.loads(workshop.previous) if workshop.previous else None,
            "created_at": iso(workshop.created_at),
        },
        "generated_at": iso(utcnow()),
        "participants": sum(len(m) for m in members.values()),
        "rooms": boards,
        "synthesis": synthesis_snapshot(session, identity),
        "polls": polls,
    }
