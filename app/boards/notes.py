"""Note changes: add, edit (with the version check), delete, and the reveal of private notes."""

from typing import Any

from sqlalchemy import func
from sqlmodel import Session, col, select

from app.boards import rules
from app.boards.board import (
    Board,
    axes_follow,
    forget_target,
    note_dict,
    notes_hidden,
    room_notes,
    target_tally,
)
from app.boards.models import Note, Vote
from app.clock import iso, utcnow
from app.errors import PlenaryError
from app.rawsql import Sql
from app.realtime.envelope import NewEvent
from app.rooms import phases
from app.rooms.models import Room, Workshop
from app.rooms.tokens import new_id
from app.textrules import clean_text


def touch(note: Note) -> None:
    """Mark a note changed: next version, new time."""
    note.version += 1
    note.updated_at = utcnow()


def _lane(board: Board, lane: str | None) -> str:
    lanes = phases.LANES[board.workshop.method]
    if lane is None:
        return phases.default_lane(board.workshop.method, board.room.phase)
    if lane not in lanes:
        raise PlenaryError("invalid", f"lane must be one of {', '.join(lanes)}.")
    return lane


def _when(lane: str, when: str | None) -> str | None:
    # A step's moment on the way to the horizon ("Q1 2027"); other notes have none.
    if when is None:
        return None
    if lane != phases.STEP_LANE:
        raise PlenaryError("invalid", "Only a step has a 'when'.")
    return clean_text(when, field="when", max_len=40)


def _color(color: str | None) -> str:
    if color is None:
        return rules.COLORS[0]
    if color not in rules.COLORS:
        raise PlenaryError("invalid", f"color must be one of {', '.join(rules.COLORS)}.")
    return color


def add_note(
    board: Board,
    *,
    text: str,
    lane: str | None,
    color: str | None,
    x: float | None,
    y: float | None,
    when: str | None = None,
) -> list[NewEvent]:
    """Put a new note on the board."""
    chosen = _lane(board, lane)
    board.require("note.add", lane=chosen)
    now = utcnow()
    row = {
        "id": new_id("n"),
        "room_id": board.room.id,
        "author": board.identity.by,
        "text": _clean_note(text),
        "lane": chosen,
        "color": _color(color),
        "x": x,
        "y": y,
        "cluster_id": None,
        "when": _when(chosen, when),
        "version": 1,
        "created_at": now,
        "updated_at": now,
    }
    # The most frequent write of a workshop, so one plain INSERT rather than an ORM flush.
    Sql.of(board.session).run(_INSERT_NOTE, row)
    shown = {**row, "created_at": iso(now), "updated_at": iso(now)}
    del shown["room_id"]
    return [board.note_event("note.added", shown)]


_INSERT_NOTE = (
    'INSERT INTO note (id, room_id, author, text, lane, color, x, y, cluster_id, "when",'
    " version, created_at, updated_at) VALUES (:id, :room_id, :author, :text, :lane, :color,"
    " :x, :y, :cluster_id, :when, :version, :created_at, :updated_at)"
)


def _clean_note(text: str) -> str:
    return clean_text(text, field="text", max_len=rules.NOTE_MAX)


def edit_note(
    board: Board, *, note_id: str, changes: dict[str, Any], version: int | None
) -> list[NewEvent]:
    """Change some fields of a note; a stale `version` is refused with the current note."""
    note = board.note(note_id)
    if not changes:
        raise PlenaryError(
            "invalid", "Say what to change: text, lane, color, x, y, cluster_id or when."
        )
    is_author = note.author == board.identity.by
    fields = frozenset(changes)
    board.require("note.edit", is_author=is_author, fields=fields, lane=note.lane)
    if "lane" in changes and changes["lane"] != note.lane:
        # Moving a note into (or out of) the step lane is a step change too.
        board.require("note.edit", is_author=is_author, fields=fields, lane=changes["lane"])
    if version is not None and version != note.version:
        current = note_dict(note)
        if (
            board.notes_hidden
            and note.author != board.identity.by
            and not board.identity.privileged
        ):
            current = rules.hidden_note(current)
        raise PlenaryError("conflict", "Someone changed this note first.", note=current)
    if "text" in changes:
        note.text = _clean_note(changes["text"])
    if "lane" in changes:
        note.lane = _lane(board, changes["lane"])
    if "color" in changes:
        note.color = _color(changes["color"])
    if "cluster_id" in changes and changes["cluster_id"] is not None:
        board.cluster(changes["cluster_id"])
    for field in ("x", "y", "cluster_id"):
        if field in changes:
            setattr(note, field, changes[field])
    if "when" in changes:
        note.when = _when(note.lane, changes["when"])
    elif note.lane != phases.STEP_LANE:
        note.when = None
    touch(note)
    board.session.add(note)
    events = [board.note_event("note.edited", note)]
    if "text" in changes:
        events += axes_follow(board, note.id)
    return events


def delete_note(board: Board, *, note_id: str) -> list[NewEvent]:
    """Remove a note, its votes and its place on the axes."""
    note = board.note(note_id)
    board.require("note.delete", is_author=note.author == board.identity.by, lane=note.lane)
    forget_target(board.session, board.room.id, note.id)
    board.session.delete(note)
    return [NewEvent(board.room.id, "note.deleted", {"id": note.id})]


def reveal(session: Session, rooms: list[Room]) -> list[NewEvent]:
    """Make private notes visible to everyone in these rooms."""
    events = []
    for room in rooms:
        room.revealed = True
        session.add(room)
        notes = [note_dict(n) for n in room_notes(session, room.id)]
        events.append(NewEvent(room.id, "notes.revealed", {"notes": notes}))
    return events


def on_phase_change(
    session: Session, workshop: Workshop, room: Room, old: str, new: str
) -> list[NewEvent]:
    """Leaving the writing phase reveals private notes; leaving rate shows hidden tallies."""
    events: list[NewEvent] = []
    if notes_hidden(workshop, room) and not phases.writes_privately(workshop.method, new):
        events.extend(reveal(session, [room]))
    if workshop.hide_tallies and old == "rate":
        targets = session.exec(
            select(Vote.target).where(Vote.room_id == room.id).distinct().order_by(Vote.target)
        ).all()
        events.extend(
            NewEvent(room.id, "vote.tally", {"tally": target_tally(session, t)}, anonymous=True)
            for t in targets
        )
    return events


def count_notes(session: Session, room_ids: list[str]) -> dict[str, int]:
    """How many notes each room has."""
    rows = session.exec(
        select(Note.room_id, func.count())
        .where(col(Note.room_id).in_(room_ids))
        .group_by(col(Note.room_id))
    ).all()
    return {room_id: int(n) for room_id, n in rows}
