"""The event log: a gapless seq per stream, taken in the caller's transaction."""

import json
import secrets
from typing import Any

from sqlmodel import Field, Session, SQLModel, col, select

from app.clock import now_iso
from app.rawsql import Sql
from app.realtime.envelope import NewEvent, Outbound, dumps, event_frame


class Stream(SQLModel, table=True):
    """The head of one room's log: its last seq and the epoch of its history."""

    id: str = Field(primary_key=True, max_length=64)
    seq: int = 0
    epoch: str = Field(max_length=16)


class EventRecord(SQLModel, table=True):
    """One logged event, stored with its data already encoded."""

    __tablename__ = "event"
    stream: str = Field(primary_key=True, max_length=64)
    seq: int = Field(primary_key=True)
    op: str = Field(max_length=40)
    data: str
    redacted: str | None = None
    visible_to: str | None = Field(default=None, max_length=64)
    by: str | None = Field(default=None, max_length=64)
    at: str = Field(max_length=32)


class AppliedCommand(SQLModel, table=True):
    """The first answer to a command, so a resent ref is answered, not re-applied."""

    actor: str = Field(primary_key=True, max_length=64)
    ref: str = Field(primary_key=True, max_length=64)
    answer: str


def new_epoch() -> str:
    """A fresh epoch id."""
    return secrets.token_hex(4)


def create_stream(session: Session, stream_id: str) -> None:
    """Start an empty log for a new room."""
    session.add(Stream(id=stream_id, seq=0, epoch=new_epoch()))


def lock_stream(session: Session, stream_id: str) -> None:
    """Serialize changes to one room: call before reading what the change depends on.

    PostgreSQL reads committed data without locks, so two version checks could
    both pass; the row lock makes the second wait. SQLite's write transactions
    (BEGIN IMMEDIATE) are already exclusive.
    """
    sql = Sql.of(session)
    if not sql.is_sqlite:
        sql.run("SELECT 1 FROM stream WHERE id = :s FOR UPDATE", {"s": stream_id})


def _take_seqs(sql: Sql, stream_id: str, count: int) -> int:
    # The row lock taken here is what keeps seq gapless with concurrent writers.
    row = sql.row(
        "UPDATE stream SET seq = seq + :n WHERE id = :s RETURNING seq", {"s": stream_id, "n": count}
    )
    if row is None:
        raise LookupError(f"no stream {stream_id}")
    return int(row[0]) - count + 1


def _outbound(row: dict[str, Any]) -> Outbound:
    # `row` holds the event table's columns; the frames are encoded here, once.
    stream, seq, op, by, at = row["stream"], row["seq"], row["op"], row["by"], row["at"]
    full = event_frame(stream, seq, op, row["data"], by, at)
    redacted = None
    if row["redacted"] is not None:
        redacted = event_frame(stream, seq, op, row["redacted"], by, at)
    return Outbound(stream, seq, full, redacted, row["visible_to"])


_COLUMNS = '(stream, seq, op, data, redacted, visible_to, "by", at)'
_INSERT_EVENT = (
    f"INSERT INTO event {_COLUMNS}"
    " VALUES (:stream, :seq, :op, :data, :redacted, :visible_to, :by, :at)"
)
# PostgreSQL: the seq and the row in one round trip, the common case of one event.
_APPEND_ONE = (
    "WITH taken AS (UPDATE stream SET seq = seq + 1 WHERE id = :stream RETURNING seq)"
    f" INSERT INTO event {_COLUMNS}"
    " SELECT :stream, taken.seq, :op, :data, :redacted, :visible_to, :by, :at FROM taken"
    " RETURNING seq"
)


def append_events(session: Session, events: list[NewEvent], by: str) -> list[Outbound]:
    """Log events in the caller's transaction; each gets its stream's next seq."""
    if not events:
        return []
    session.flush()  # the domain's own ORM rows first, in this same transaction
    sql = Sql.of(session)
    at = now_iso()
    rows: list[dict[str, Any]] = [
        {
            "stream": new.room,
            "seq": 0,
            "op": new.op,
            "data": dumps(new.data),
            "redacted": None if new.redacted is None else dumps(new.redacted),
            "visible_to": new.visible_to,
            "by": None if new.anonymous else by,
            "at": at,
        }
        for new in events
    ]
    if len(rows) == 1 and not sql.is_sqlite:
        taken = sql.row(_APPEND_ONE, rows[0])
        if taken is None:
            raise LookupError(f"no stream {rows[0]['stream']}")
        rows[0]["seq"] = int(taken[0])
        return [_outbound(rows[0])]
    counts: dict[str, int] = {}
    for row in rows:
        counts[row["stream"]] = counts.get(row["stream"], 0) + 1
    # One update per stream, in a fixed order: two writers whose rows are first
    # locked here lock them alike, so they queue instead of deadlocking.
    next_seq = {stream: _take_seqs(sql, stream, counts[stream]) for stream in sorted(counts)}
    for row in rows:
        row["seq"] = next_seq[row["stream"]]
        next_seq[row["stream"]] += 1
    sql.run_many(_INSERT_EVENT, rows)
    return [_outbound(row) for row in rows]


def stream_head(session: Session, stream_id: str) -> tuple[int, str]:
    """The stream's current seq and epoch."""
    stream = session.get(Stream, stream_id)
    if stream is None:
        raise LookupError(f"no stream {stream_id}")
    return stream.seq, stream.epoch


def read_since(session: Session, stream_id: str, since: int, until: int) -> list[Outbound]:
    """Events with `since < seq <= until`, in order."""
    rows = session.exec(
        select(EventRecord)
        .where(EventRecord.stream == stream_id, col(EventRecord.seq) > since)
        .where(col(EventRecord.seq) <= until)
        .order_by(col(EventRecord.seq))
    ).all()
    return [_outbound(row.model_dump()) for row in rows]


def recall_answer(session: Session, actor: str, ref: str) -> dict[str, Any] | None:
    """The stored answer to an already applied command, if any."""
    found = Sql.of(session).row(
        "SELECT answer FROM appliedcommand WHERE actor = :a AND ref = :r", {"a": actor, "r": ref}
    )
    if found is None:
        return None
    answer: dict[str, Any] = json.loads(found[0])
    return answer


def remember_answer(session: Session, actor: str, ref: str, answer: dict[str, Any]) -> bool:
    """Store a command's answer in the same transaction as its change.

    False if this ref already has an answer: the command was applied before
    (or is being applied right now by a transaction that just committed), and
    the caller must roll back this second application.
    """
    stored = Sql.of(session).row(
        "INSERT INTO appliedcommand (actor, ref, answer) VALUES (:a, :r, :answer)"
        " ON CONFLICT DO NOTHING RETURNING 1",
        {"a": actor, "r": ref, "answer": dumps(answer)},
    )
    return stored is not None
