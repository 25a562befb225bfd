"""The board context every change runs in, and how rows are written on the wire."""

import json
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from sqlalchemy import delete
from sqlmodel import Session, col, select

from app.boards import rules
from app.boards.models import Axes, Cluster, Note, Story, Vote
from app.clock import iso
from app.errors import PlenaryError
from app.rawsql import Sql, as_datetime
from app.realtime.envelope import NewEvent
from app.realtime.gateway import Identity
from app.rooms import phases
from app.rooms.models import Room, Workshop
from app.rooms.service import settled_workshop


@dataclass(frozen=True, slots=True)
class RoomState:
    """The room row a board change reads (never writes): phase, lock, reveal.

    `member_room` is where the database says the acting participant is now (None
    when revoked): a socket's identity was read at its hello, and a move or a
    revocation through another process may not have reached this one yet.
    """

    id: str
    workshop_id: str
    name: str
    phase: str
    locked: bool
    revealed: bool
    timer_ends_at: datetime | None
    member_room: str | None = None


_COLUMNS = (
    "r.workshop_id, r.name, r.phase, r.locked, r.revealed, r.timer_ends_at,"
    " (SELECT p.room_id FROM participant p WHERE p.id = :pid AND NOT p.revoked)"
)
_ROOM = f"SELECT {_COLUMNS} FROM room r WHERE r.id = :id"
# The stream row is the room's lock (`lock_stream`); taking it in the same statement
# saves PostgreSQL a round trip per command. SQLite's writers are exclusive anyway.
_ROOM_LOCKED = (
    f"SELECT {_COLUMNS} FROM room r JOIN stream s ON s.id = r.id WHERE r.id = :id FOR UPDATE OF s"
)


def room_state(
    session: Session, room_id: str, *, lock: bool = False, participant_id: str | None = None
) -> RoomState | None:
    """One room's state, read with a single statement (and locked first, if asked)."""
    sql = Sql.of(session)
    statement = _ROOM_LOCKED if lock and not sql.is_sqlite else _ROOM
    row = sql.row(statement, {"id": room_id, "pid": participant_id})
    if row is None:
        return None
    workshop_id, name, phase, locked, revealed, timer_ends_at, member_room = row
    return RoomState(
        room_id,
        workshop_id,
        name,
        phase,
        bool(locked),
        bool(revealed),
        as_datetime(timer_ends_at),
        member_room,
    )


@dataclass
class Board:
    """One room's board as seen by one identity, inside one transaction."""

    session: Session
    identity: Identity
    room: RoomState
    workshop: Workshop

    @classmethod
    def load(
        cls, session: Session, identity: Identity, room_id: str, *, lock: bool = False
    ) -> "Board":
        """The board of a room of the identity's workshop, or 404."""
        room = room_state(session, room_id, lock=lock, participant_id=identity.participant_id)
        if room is None or room.workshop_id != identity.workshop_id:
            raise PlenaryError("not_found", "There is no such room in this workshop.")
        return cls(session, identity, room, settled_workshop(session, room.workshop_id))

    @classmethod
    def for_change(cls, session: Session, identity: Identity, room_id: str) -> "Board":
        """The board, with the room locked until the transaction ends (locked, then read)."""
        return cls.load(session, identity, room_id, lock=True)

    def require(
        self,
        op: str,
        *,
        is_author: bool = True,
        fields: frozenset[str] = frozenset(),
        lane: str | None = None,
    ) -> None:
        """Refuse unless this identity may do `op` here and now."""
        role = self.identity.role
        if role == "moderator":
            return
        if role != "participant" or self.identity.room_id != self.room.id:
            raise PlenaryError("forbidden", "This token may not write in this room.")
        self.require_member()
        if self.room.locked:
            raise PlenaryError("locked", "The moderator has locked this room.")
        refusal = phases.participant_refusal(
            self.room.phase, op, is_author=is_author, fields=fields, lane=lane
        )
        if refusal is not None:
            raise PlenaryError(*refusal)

    def require_member(self) -> None:
        """Refuse a participant the database no longer places in this room."""
        current = self.room.member_room
        if current is None:
            raise PlenaryError("unauthorized", "This participant's access was revoked.")
        if current != self.room.id:
            raise PlenaryError("forbidden", "You were moved to another room.", moved_to=current)

    @property
    def notes_hidden(self) -> bool:
        """Private writing: notes show only to author and moderator until revealed."""
        return notes_hidden(self.workshop, self.room)

    @property
    def tallies_hidden(self) -> bool:
        """Tallies held back from participants while the room is rating."""
        return self.workshop.hide_tallies and self.room.phase == "rate"

    def note(self, note_id: str) -> Note:
        """A note of this room, or 404."""
        note = self.session.get(Note, note_id)
        if note is None or note.room_id != self.room.id:
            raise PlenaryError("not_found", f"Note {note_id} is not on this board.")
        return note

    def cluster(self, cluster_id: str) -> Cluster:
        """A cluster of this room, or 404."""
        cluster = self.session.get(Cluster, cluster_id)
        if cluster is None or cluster.room_id != self.room.id:
            raise PlenaryError("not_found", f"Cluster {cluster_id} is not on this board.")
        return cluster

    def require_target(self, target: str) -> None:
        """A vote or axis target must be a note or cluster of this room."""
        note = self.session.get(Note, target)
        if note is not None and note.room_id == self.room.id:
            return
        cluster = self.session.get(Cluster, target)
        if cluster is not None and cluster.room_id == self.room.id:
            return
        raise PlenaryError("not_found", f"{target} is no note or cluster on this board.")

    def note_event(self, op: str, note: Note | dict[str, Any]) -> NewEvent:
        """A note event, with the words withheld from peers while notes are private."""
        shown = note if isinstance(note, dict) else note_dict(note)
        data = {"note": shown}
        if not self.notes_hidden:
            return NewEvent(self.room.id, op, data)
        redacted = {"note": rules.hidden_note(shown)}
        return NewEvent(self.room.id, op, data, redacted=redacted, visible_to=shown["author"])

    def tally_event(self, target: str) -> NewEvent:
        """The `vote.tally` event of a target: anonymous, and held back while hidden."""
        full = {"tally": target_tally(self.session, target)}
        redacted = {"tally": rules.hidden_tally(full["tally"])} if self.tallies_hidden else None
        return NewEvent(self.room.id, "vote.tally", full, redacted=redacted, anonymous=True)


def notes_hidden(workshop: Workshop, room: Room | RoomState) -> bool:
    """Whether a room's notes are still private (only until the writing phase ends)."""
    return (
        workshop.private_notes
        and not room.revealed
        and phases.writes_privately(workshop.method, room.phase)
    )


def note_dict(note: Note) -> dict[str, Any]:
    """A note as the protocol writes it."""
    return {
        "id": note.id,
        "author": note.author,
        "text": note.text,
        "lane": note.lane,
        "color": note.color,
        "x": note.x,
        "y": note.y,
        "cluster_id": note.cluster_id,
        "when": note.when,
        "version": note.version,
        "created_at": iso(note.created_at),
        "updated_at": iso(note.updated_at),
    }


def cluster_dict(session: Session, cluster: Cluster) -> dict[str, Any]:
    """A cluster with the notes it holds."""
    note_ids = session.exec(
        select(Note.id).where(Note.cluster_id == cluster.id).order_by(col(Note.created_at))
    ).all()
    return {
        "id": cluster.id,
        "title": cluster.title,
        "note_ids": list(note_ids),
        "created_at": iso(cluster.created_at),
    }


def target_tally(session: Session, target: str) -> dict[str, Any]:
    """The tally of one target from the stored votes."""
    votes = session.exec(select(Vote.impact, Vote.uncertainty).where(Vote.target == target)).all()
    return rules.tally(target, [(int(i), int(u)) for i, u in votes])


def forget_target(session: Session, room_id: str, target: str) -> None:
    # A deleted note or cluster takes its votes and its place on the axes with it.
    session.execute(delete(Vote).where(col(Vote.target) == target))
    axes = session.get(Axes, room_id)
    if axes is not None and target in (axes.x, axes.y):
        if axes.x == target:
            axes.x = axes.x_low = axes.x_high = None
        if axes.y == target:
            axes.y = axes.y_low = axes.y_high = None
        session.add(axes)


def axes_follow(board: "Board", target: str) -> list[NewEvent]:
    """A renamed note or cluster that spans an axis: the axes again, with the new title."""
    axes = board.session.get(Axes, board.room.id)
    if axes is None or target not in (axes.x, axes.y):
        return []
    return [NewEvent(board.room.id, "axes.set", axes_dict(board.session, axes))]


def story_dict(story: Story) -> dict[str, Any]:
    """A quadrant story as the protocol writes it: anonymous, like votes."""
    return {
        "quadrant": story.quadrant,
        "title": story.title,
        "metaphor": story.metaphor,
        "text": story.text,
        "traits": json.loads(story.traits or "[]"),
        "version": story.version,
        "updated_at": iso(story.updated_at),
    }


def target_titles(session: Session, targets: list[str]) -> dict[str, str]:
    """The words of notes and clusters: a note's text, a cluster's title."""
    wanted = [t for t in targets if t]
    if not wanted:
        return {}
    found = dict(session.exec(select(Note.id, Note.text).where(col(Note.id).in_(wanted))).all())
    found.update(
        session.exec(select(Cluster.id, Cluster.title).where(col(Cluster.id).in_(wanted))).all()
    )
    return found


def axis_dict(
    target: str | None, low: str | None, high: str | None, titles: dict[str, str]
) -> dict[str, Any] | None:
    """One axis of the scenario cross: its uncertainty and the two poles the group named."""
    if target is None:
        return None
    return {"target": target, "title": titles.get(target), "low": low, "high": high}


def axes_dict(session: Session, axes: Axes | None) -> dict[str, Any]:
    """The cross of a room: `x` and `y` axes (or null)."""
    if axes is None:
        return {"x": None, "y": None}
    titles = target_titles(session, [t for t in (axes.x, axes.y) if t])
    return {
        "x": axis_dict(axes.x, axes.x_low, axes.x_high, titles),
        "y": axis_dict(axes.y, axes.y_low, axes.y_high, titles),
    }


def room_notes(session: Session, room_id: str) -> list[Note]:
    """A room's notes, oldest first."""
    return list(
        session.exec(
            select(Note).where(Note.room_id == room_id).order_by(col(Note.created_at), col(Note.id))
        ).all()
    )
