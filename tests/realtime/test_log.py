"""The event log on both databases: seqs per stream, in order, gapless, and the one-event path."""

import json
from collections.abc import AsyncIterator, Callable
from pathlib import Path

import pytest
from sqlmodel import Session

from app.db import Database
from app.realtime.envelope import NewEvent
from app.realtime.log import append_events, create_stream, read_since, stream_head


@pytest.fixture(params=["sqlite", "postgresql"])
async def db(request: pytest.FixtureRequest, tmp_path: Path) -> AsyncIterator[Database]:
    if request.param == "postgresql":
        database: Database = request.getfixturevalue("pg_database")
    else:
        database = Database(f"sqlite:///{tmp_path / 'log.db'}")
        database.create_tables()
    database.start()
    yield database
    database.dispose()


def streams(db: Database, *names: str) -> None:
    db.write_sync(lambda s: [create_stream(s, name) for name in names])


Appended = list[tuple[str, int, str]]


def append(events: list[NewEvent]) -> Callable[[Session], Appended]:
    def work(session: Session) -> Appended:
        return [(o.room, o.seq, o.full) for o in append_events(session, events, "p1")]

    return work


async def test_one_event_gets_the_next_seq_and_its_frame(db: Database) -> None:
    streams(db, "a")
    first = await db.write(append([NewEvent("a", "note.added", {"n": 1})]))
    second = await db.write(append([NewEvent("a", "note.added", {"n": 2})]))
    assert [(room, seq) for room, seq, _ in first + second] == [("a", 1), ("a", 2)]
    frame = json.loads(second[0][2])
    assert (frame["seq"], frame["op"], frame["data"], frame["by"]) == (
        2,
        "note.added",
        {"n": 2},
        "p1",
    )
    logged = await db.read(lambda s: read_since(s, "a", 0, 2))
    assert [o.full for o in logged] == [first[0][2], second[0][2]]


async def test_events_of_several_streams_keep_their_order_and_each_stream_its_own_seqs(
    db: Database,
) -> None:
    streams(db, "b", "a")
    await db.write(append([NewEvent("b", "x", {})]))
    mixed = [NewEvent(room, "x", {"i": i}) for i, room in enumerate(["b", "a", "b", "a", "a"])]
    outs = await db.write(append(mixed))
    assert [(room, seq) for room, seq, _ in outs] == [
        ("b", 2),
        ("a", 1),
        ("b", 3),
        ("a", 2),
        ("a", 3),
    ]
    assert [json.loads(full)["data"]["i"] for _, _, full in outs] == [0, 1, 2, 3, 4]
    assert await db.read(lambda s: (stream_head(s, "a")[0], stream_head(s, "b")[0])) == (3, 3)


async def test_a_missing_stream_is_an_error_and_a_failed_transaction_leaves_no_gap(
    db: Database,
) -> None:
    streams(db, "a")
    with pytest.raises(LookupError):
        await db.write(append([NewEvent("nowhere", "x", {})]))
    with pytest.raises(LookupError):
        await db.write(append([NewEvent("a", "x", {}), NewEvent("nowhere", "x", {})]))
    outs = await db.write(append([NewEvent("a", "x", {})]))
    assert [seq for _, seq, _ in outs] == [1]
