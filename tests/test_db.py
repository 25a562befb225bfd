"""Storage: group commit (batches, refusals, order, isolation), raw statements, checkpoints."""

import asyncio
import contextlib
import sqlite3
import threading
import time
from collections.abc import AsyncIterator, Callable, Iterator
from pathlib import Path
from typing import Any

import pytest
from sqlalchemy import event, text
from sqlalchemy.exc import IntegrityError
from sqlmodel import Session

from app.db import Database
from app.errors import PlenaryError
from app.group_commit import Job, Outcome
from app.rawsql import Sql, _pyformat, as_datetime
from app.realtime.log import create_stream, recall_answer, remember_answer
from tests.conftest import drop_pg_database, make_pg_database


@pytest.fixture(params=["sqlite", "postgresql"])
async def db(request: pytest.FixtureRequest, tmp_path: Path) -> AsyncIterator[Database]:
    """A started database of either kind, with streams `a`, `b` and `r`."""
    if request.param == "postgresql":
        database: Database = request.getfixturevalue("pg_database")
    else:
        database = Database(f"sqlite:///{tmp_path / 'plenary.db'}")
        database.create_tables()
    for name in ("a", "b", "r"):
        add_stream(database, name)
    database.start()
    yield database
    database.dispose()


def add_stream(db: Database, stream: str) -> None:
    db.write_sync(lambda s: create_stream(s, stream))


def take_seq(session: Session, stream: str = "r") -> int:
    row = Sql.of(session).row(
        "UPDATE stream SET seq = seq + 1 WHERE id = :s RETURNING seq", {"s": stream}
    )
    return int(row[0])


def head(db: Database, stream: str) -> int:
    return int(
        db.read_sync(
            lambda s: s.execute(text("SELECT seq FROM stream WHERE id = :s"), {"s": stream})
        ).scalar_one()
    )


async def run_jobs(db: Database, jobs: list[Job]) -> list[Outcome]:
    """Submit jobs at once; wait until every one is answered."""
    loop = asyncio.get_running_loop()
    futures = [loop.create_future() for _ in jobs]
    for job, future in zip(jobs, futures, strict=True):
        job.done = future.set_result
    db.submit(jobs)
    return list(await asyncio.gather(*futures))


def count_commits(db: Database) -> list[int]:
    commits = [0]

    @event.listens_for(db.write_engine, "commit")
    def _commit(_conn: Any) -> None:
        commits[0] += 1

    return commits


async def test_jobs_queued_during_a_transaction_share_the_next_commit(db: Database) -> None:
    commits = count_commits(db)
    release = threading.Event()

    def first(session: Session) -> int:
        seq = take_seq(session)
        release.wait(5)  # hold the writer while more jobs queue up
        return seq

    loop = asyncio.get_running_loop()
    held: asyncio.Future[Outcome] = loop.create_future()
    db.submit([Job(first, locks=("r",), done=held.set_result)])
    await asyncio.sleep(0.1)
    threading.Timer(0.1, release.set).start()  # after the twenty below have queued
    queued = await run_jobs(db, [Job(take_seq, locks=("r",)) for _ in range(20)])
    assert (await held).value == 1
    assert [o.value for o in queued] == list(range(2, 22))
    assert commits[0] == 2  # the first job, then the twenty together


async def test_a_refused_job_leaves_its_neighbours_applied(db: Database) -> None:
    def refuse_before_writing(_session: Session) -> int:
        raise PlenaryError("invalid", "no")

    def refuse_after_writing(session: Session) -> int:
        take_seq(session)
        raise PlenaryError("conflict", "too late")

    def duplicate(session: Session) -> int:
        Sql.of(session).run("INSERT INTO stream (id, seq, epoch) VALUES ('a', 0, 'e')")
        return 0

    jobs = [
        Job(take_seq, locks=("r",)),
        Job(refuse_before_writing, locks=("r",)),
        Job(take_seq, locks=("r",)),
        Job(refuse_after_writing, locks=("r",)),
        Job(duplicate, locks=("r",)),
        Job(take_seq, locks=("r",)),
    ]
    outcomes = await run_jobs(db, jobs)
    assert [o.value for o in outcomes] == [1, None, 2, None, None, 3]
    assert isinstance(outcomes[1].error, PlenaryError) and outcomes[1].error.code == "invalid"
    assert isinstance(outcomes[3].error, PlenaryError) and outcomes[3].error.code == "conflict"
    assert isinstance(outcomes[4].error, IntegrityError)
    assert head(db, "r") == 3  # the refused job's seq was rolled back: no gap


async def test_a_streams_jobs_keep_their_order_across_streams(db: Database) -> None:
    order: list[tuple[str, int]] = []

    def step(stream: str) -> Callable[[Session], int]:
        def work(session: Session) -> int:
            seq = take_seq(session, stream)
            order.append((stream, seq))
            return seq

        return work

    streams = ["b", "a", "b", "a", "b", "a"]
    outcomes = await run_jobs(db, [Job(step(s), locks=(s,)) for s in streams])
    assert [o.value for o in outcomes] == [1, 1, 2, 2, 3, 3]
    for stream in ("a", "b"):  # each stream in the order it was sent
        assert [seq for s, seq in order if s == stream] == [1, 2, 3]
    if db.writer_count == 1:  # one writer's batch runs sorted by stream
        assert order == [("a", 1), ("a", 2), ("a", 3), ("b", 1), ("b", 2), ("b", 3)]


async def test_a_job_that_locks_several_streams_runs_alone(db: Database) -> None:
    commits = count_commits(db)

    def both(session: Session) -> tuple[int, int]:
        return take_seq(session, "a"), take_seq(session, "b")

    outcomes = await run_jobs(
        db, [Job(take_seq, locks=("r",)), Job(both, locks=("a", "b")), Job(take_seq, locks=("r",))]
    )
    assert [o.value for o in outcomes] == [1, (1, 1), 2]
    assert commits[0] >= 2


async def test_a_failed_job_recovers_from_a_fresh_transaction(db: Database) -> None:
    first = {"type": "ack", "ref": "x", "seq": 1}
    assert db.write_sync(lambda s: remember_answer(s, "p1", "x", first))

    def again(session: Session) -> dict[str, Any]:
        take_seq(session)
        if not remember_answer(session, "p1", "x", {"type": "ack", "ref": "x", "seq": 9}):
            raise PlenaryError("conflict", "applied before")
        return {}

    def recover(session: Session, _error: BaseException) -> dict[str, Any] | None:
        return recall_answer(session, "p1", "x")

    [outcome] = await run_jobs(db, [Job(again, locks=("r",), recover=recover)])
    assert outcome.value == first
    assert head(db, "r") == 0  # the second application was rolled back


async def test_the_event_loop_runs_while_a_long_job_writes(db: Database) -> None:
    ticks = 0

    async def ticker() -> None:
        nonlocal ticks
        while True:
            await asyncio.sleep(0.01)
            ticks += 1

    def slow(session: Session) -> int:
        seq = take_seq(session)
        time.sleep(0.4)  # a long write: on a writer thread, never on the loop
        return seq

    task = asyncio.create_task(ticker())
    [outcome] = await run_jobs(db, [Job(slow, locks=("r",))])
    task.cancel()
    assert outcome.value == 1
    assert ticks >= 15


@contextlib.contextmanager
def locked_elsewhere(tmp_path: Path) -> Iterator[tuple[Database, sqlite3.Connection]]:
    """A started SQLite database whose write lock another process holds (BEGIN IMMEDIATE)."""
    path = tmp_path / "plenary.db"
    db = Database(f"sqlite:///{path}")
    db.create_tables()
    add_stream(db, "r")
    db.start()
    other = sqlite3.connect(path, isolation_level=None)
    other.execute("BEGIN IMMEDIATE")
    try:
        yield db, other
    finally:
        db.dispose()
        other.close()


@contextlib.asynccontextmanager
async def loop_ticks() -> AsyncIterator[list[int]]:
    """How many 10 ms ticks the event loop ran while the block waited (in [0])."""
    ticks = [0]

    async def ticker() -> None:
        while True:
            await asyncio.sleep(0.01)
            ticks[0] += 1

    task = asyncio.create_task(ticker())
    try:
        yield ticks
    finally:
        task.cancel()


async def test_writes_wait_for_another_sqlite_process_without_stalling_the_loop(
    tmp_path: Path,
) -> None:
    with locked_elsewhere(tmp_path) as (db, other):
        asyncio.get_running_loop().call_later(0.3, other.execute, "COMMIT")
        async with loop_ticks() as ticks:
            started = time.perf_counter()
            seq = await db.write(take_seq)
            waited = time.perf_counter() - started
        assert seq == 1 and waited >= 0.25  # it did wait for the other writer
        assert ticks[0] >= 10  # and the event loop kept running meanwhile


async def test_duplicate_keys_raise_sqlalchemy_integrity_error(db: Database) -> None:
    insert = "INSERT INTO stream (id, seq, epoch) VALUES (:id, 0, 'e')"
    await db.write(lambda s: Sql.of(s).run(insert, {"id": "z"}))
    with pytest.raises(IntegrityError):
        await db.write(lambda s: Sql.of(s).run(insert, {"id": "z"}))


async def test_a_second_answer_for_one_ref_is_refused_and_the_first_kept(db: Database) -> None:
    first = {"type": "ack", "ref": "a", "seq": 1}
    assert await db.write(lambda s: remember_answer(s, "p1", "a", first)) is True
    second = {"type": "ack", "ref": "a", "seq": 2}
    assert await db.write(lambda s: remember_answer(s, "p1", "a", second)) is False
    assert await db.read(lambda s: recall_answer(s, "p1", "a")) == first


def test_checkpoint_moves_the_log_into_the_database(tmp_path: Path) -> None:
    path = tmp_path / "plenary.db"
    db = Database(f"sqlite:///{path}")
    db.create_tables()
    add_stream(db, "r")
    for _ in range(50):
        db.write_sync(take_seq)
    db.checkpoint_sync()
    probe = sqlite3.connect(path)
    busy, log_frames, checkpointed = probe.execute("PRAGMA wal_checkpoint(PASSIVE)").fetchone()
    probe.close()
    assert busy == 0 and log_frames == checkpointed
    db.dispose()


def test_statements_are_written_once_for_both_drivers() -> None:
    assert _pyformat("SELECT a FROM t WHERE x = :x AND y = :y_2") == (
        "SELECT a FROM t WHERE x = %(x)s AND y = %(y_2)s"
    )
    assert _pyformat("SELECT '00:00' :: text, :v") == "SELECT '00:00' :: text, %(v)s"
    stored: Any = "2026-11-28 19:00:00.123456"
    assert as_datetime(stored).isoformat() == "2026-11-28T19:00:00.123456"  # type: ignore[union-attr]
    assert as_datetime(None) is None


async def test_raw_statements_run_inside_the_sessions_transaction(db: Database) -> None:
    def both(session: Session) -> tuple[int, int]:
        via_raw = take_seq(session)
        via_orm = session.execute(text("SELECT seq FROM stream WHERE id = 'r'")).scalar_one()
        return via_raw, int(via_orm)

    assert await db.write(both) == (1, 1)


async def test_postgres_writers_survive_a_dropped_connection(pg_database: Database) -> None:
    db = pg_database
    add_stream(db, "r")
    db.start()
    pids: list[int] = []

    def seq_and_pid(session: Session) -> int:
        seq = take_seq(session)  # a raw statement first: it meets the dropped connection
        pids.append(int(session.execute(text("SELECT pg_backend_pid()")).scalar_one()))
        return seq

    assert await db.write(seq_and_pid, locks=("r",)) == 1
    assert await db.write(seq_and_pid, locks=("r",)) == 2
    assert len(set(pids)) == 1  # the writer thread kept its connection
    db.write_sync(lambda s: s.execute(text(f"SELECT pg_terminate_backend({pids[0]})")))
    assert await db.write(seq_and_pid, locks=("r",)) == 3  # replaced once, rerun, applied once
    assert pids[-1] != pids[0]
    assert db.read_sync(lambda s: s.execute(text("SELECT seq FROM stream")).scalar_one()) == 3


def setting(db: Database, statement: str) -> Any:
    return db.write_sync(lambda s: s.execute(text(statement)).scalar_one())


def test_durability_process_is_the_default_and_power_fsyncs_every_commit(
    tmp_path: Path,
) -> None:
    made = make_pg_database()
    pg_url = made.url.replace("postgresql://", "postgresql+psycopg://", 1)
    try:
        seen: dict[str, tuple[str, int]] = {}
        for durability in ("process", "power"):
            pg = Database(pg_url, durability)  # type: ignore[arg-type]
            lite = Database(f"sqlite:///{tmp_path / durability}.db", durability)  # type: ignore[arg-type]
            lite.create_tables()
            seen[durability] = (
                setting(pg, "SHOW synchronous_commit"),
                setting(lite, "PRAGMA synchronous"),
            )
            pg.dispose()
            lite.dispose()
    finally:
        drop_pg_database(made)
    assert seen["process"] == ("off", 1)  # no fsync before the ack
    assert seen["power"] == ("on", 2)  # an fsync before every ack (once per batch)
    assert Database("sqlite:///:memory:").durability == "process"


async def test_light_jobs_of_one_loop_turn_share_a_transaction_on_the_loop(
    tmp_path: Path,
) -> None:
    db = Database(f"sqlite:///{tmp_path / 'plenary.db'}")
    db.create_tables()
    add_stream(db, "r")
    db.start()
    commits = count_commits(db)
    ran_on: list[str] = []

    def step(session: Session) -> int:
        ran_on.append(threading.current_thread().name)
        return take_seq(session)

    outcomes = await run_jobs(db, [Job(step, locks=("r",), light=True) for _ in range(5)])
    assert [o.value for o in outcomes] == [1, 2, 3, 4, 5]
    assert set(ran_on) == {threading.current_thread().name}  # no hop to a thread
    assert commits[0] == 0  # the loop's own connection: none through the thread's engine
    db.dispose()


async def test_light_jobs_wait_behind_a_busy_writer_and_keep_their_order(tmp_path: Path) -> None:
    db = Database(f"sqlite:///{tmp_path / 'plenary.db'}")
    db.create_tables()
    add_stream(db, "r")
    db.start()
    release = threading.Event()

    def slow(session: Session) -> int:
        seq = take_seq(session)
        release.wait(5)
        return seq

    loop = asyncio.get_running_loop()
    held: asyncio.Future[Outcome] = loop.create_future()
    db.submit([Job(slow, locks=("r",), done=held.set_result)])
    await asyncio.sleep(0.05)
    threading.Timer(0.1, release.set).start()
    outcomes = await run_jobs(db, [Job(take_seq, locks=("r",), light=True) for _ in range(3)])
    assert (await held).value == 1 and [o.value for o in outcomes] == [2, 3, 4]
    db.dispose()


async def test_light_jobs_move_to_the_thread_when_sqlites_lock_is_held_elsewhere(
    tmp_path: Path,
) -> None:
    with locked_elsewhere(tmp_path) as (db, other):
        asyncio.get_running_loop().call_later(0.3, other.execute, "COMMIT")
        async with loop_ticks() as ticks:
            outcomes = await run_jobs(db, [Job(take_seq, locks=("r",), light=True)])
        assert outcomes[0].value == 1 and outcomes[0].error is None
        assert ticks[0] >= 10  # the loop never waited for the lock
