"""Storage paths: inline SQLite commands, their fallback when busy, raw statements, checkpoints."""

import asyncio
import gc
import sqlite3
import threading
import time
from pathlib import Path
from typing import Any

import pytest
from sqlalchemy import text
from sqlalchemy.exc import IntegrityError
from sqlmodel import Session

from app.db import Database
from app.rawsql import Sql, _pyformat, as_datetime
from app.realtime.log import create_stream, recall_answer, remember_answer
from tests.conftest import drop_pg_database, make_pg_database


def sqlite_db(tmp_path: Path) -> tuple[Database, Path]:
    path = tmp_path / "plenary.db"
    db = Database(f"sqlite:///{path}")
    db.create_tables()
    return db, path


def add_stream(db: Database, stream: str) -> None:
    db.write_sync(lambda s: create_stream(s, stream))


def take_seq(session: Session) -> int:
    row = Sql.of(session).row(
        "UPDATE stream SET seq = seq + 1 WHERE id = :s RETURNING seq", {"s": "r"}
    )
    return int(row[0])


async def test_a_command_runs_on_the_loop_thread_when_the_writer_is_free(tmp_path: Path) -> None:
    db, _ = sqlite_db(tmp_path)
    add_stream(db, "r")
    seen: list[str] = []

    def work(session: Session) -> int:
        seen.append(threading.current_thread().name)
        return take_seq(session)

    assert [await db.write_short(work) for _ in range(3)] == [1, 2, 3]
    assert seen == [threading.current_thread().name] * 3  # no hop to a worker thread
    db.dispose()


async def test_a_busy_writer_elsewhere_sends_the_command_to_a_thread_and_the_loop_runs_on(
    tmp_path: Path,
) -> None:
    db, path = sqlite_db(tmp_path)
    add_stream(db, "r")
    other = sqlite3.connect(path, isolation_level=None)
    other.execute("BEGIN IMMEDIATE")  # another process holds the write lock
    ticks = 0

    async def ticker() -> None:
        nonlocal ticks
        while True:
            await asyncio.sleep(0.01)
            ticks += 1

    async def release_later() -> None:
        await asyncio.sleep(0.3)
        other.execute("COMMIT")

    tick_task = asyncio.create_task(ticker())
    release_task = asyncio.create_task(release_later())
    started = time.perf_counter()
    seq = await db.write_short(take_seq)
    waited = time.perf_counter() - started
    tick_task.cancel()
    await release_task
    assert seq == 1
    assert waited >= 0.25  # it did wait for the other writer
    assert ticks >= 10  # and the event loop kept running meanwhile
    assert await db.write_short(take_seq) == 2  # the inline path works again afterwards
    db.dispose()
    other.close()


async def test_a_failed_command_leaves_nothing_behind(tmp_path: Path) -> None:
    db, _ = sqlite_db(tmp_path)
    add_stream(db, "r")

    def fails(session: Session) -> None:
        take_seq(session)
        raise ValueError("refused")

    with pytest.raises(ValueError):
        await db.write_short(fails)
    assert await db.write_short(take_seq) == 1  # the failed seq was rolled back
    db.dispose()


async def test_duplicate_keys_raise_sqlalchemy_integrity_error(tmp_path: Path) -> None:
    db, _ = sqlite_db(tmp_path)
    insert = "INSERT INTO stream (id, seq, epoch) VALUES (:id, 0, 'e')"
    await db.write_short(lambda s: Sql.of(s).run(insert, {"id": "r"}))
    with pytest.raises(IntegrityError):
        await db.write_short(lambda s: Sql.of(s).run(insert, {"id": "r"}))
    db.dispose()


async def test_a_second_answer_for_one_ref_is_refused_and_the_first_kept(tmp_path: Path) -> None:
    db, _ = sqlite_db(tmp_path)
    first = {"type": "ack", "ref": "a", "seq": 1}
    assert await db.write_short(lambda s: remember_answer(s, "p1", "a", first)) is True
    second = {"type": "ack", "ref": "a", "seq": 2}
    assert await db.write_short(lambda s: remember_answer(s, "p1", "a", second)) is False
    assert await db.read(lambda s: recall_answer(s, "p1", "a")) == first
    db.dispose()


async def test_inline_commands_leave_no_garbage_cycles(tmp_path: Path) -> None:
    db, _ = sqlite_db(tmp_path)
    add_stream(db, "r")
    await db.write_short(take_seq)
    gc.collect()
    gc.set_debug(gc.DEBUG_SAVEALL)
    try:
        for _ in range(20):
            await db.write_short(take_seq)
        gc.collect()
        cyclic = [o for o in gc.garbage if "sqlalchemy" in type(o).__module__]
    finally:
        gc.set_debug(0)
        gc.garbage.clear()
    assert cyclic == []
    db.dispose()


def test_checkpoint_moves_the_log_into_the_database(tmp_path: Path) -> None:
    db, path = sqlite_db(tmp_path)
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


async def test_raw_statements_run_inside_the_sessions_transaction(tmp_path: Path) -> None:
    db, _ = sqlite_db(tmp_path)
    add_stream(db, "r")

    def both(session: Session) -> tuple[int, int]:
        via_raw = take_seq(session)
        via_orm = session.execute(text("SELECT seq FROM stream WHERE id = 'r'")).scalar_one()
        return via_raw, int(via_orm)

    assert await db.write_short(both) == (1, 1)
    db.dispose()


async def test_postgres_commands_survive_a_dropped_connection(pg_database: Database) -> None:
    db = pg_database
    add_stream(db, "r")
    pids: list[int] = []

    def seq_and_pid(session: Session) -> int:
        seq = take_seq(session)  # a raw statement first: it meets the dropped connection
        pids.append(int(session.execute(text("SELECT pg_backend_pid()")).scalar_one()))
        return seq

    assert await db.write_short(seq_and_pid) == 1
    assert await db.write_short(seq_and_pid) == 2
    assert len(set(pids)) == 1  # the writer thread kept its connection
    db.write_sync(lambda s: s.execute(text(f"SELECT pg_terminate_backend({pids[0]})")))
    assert await db.write_short(seq_and_pid) == 3  # replaced once, rerun, applied once
    assert pids[-1] != pids[0]
    assert db.read_sync(lambda s: s.execute(text("SELECT seq FROM stream")).scalar_one()) == 3


def thread_of_a_command(session: Session) -> str:
    take_seq(session)
    return threading.current_thread().name


def setting(db: Database, statement: str) -> Any:
    return db.write_sync(lambda s: s.execute(text(statement)).scalar_one())


async def test_durability_process_is_the_default_and_power_fsyncs_every_commit(
    tmp_path: Path,
) -> None:
    made = make_pg_database()
    pg_url = made.url.replace("postgresql://", "postgresql+psycopg://", 1)
    try:
        seen: dict[str, tuple[str, int, bool]] = {}
        for durability in ("process", "power"):
            pg = Database(pg_url, durability)
            lite = Database(f"sqlite:///{tmp_path / durability}.db", durability)
            lite.create_tables()
            add_stream(lite, "r")
            ran_on = await lite.write_short(thread_of_a_command)
            seen[durability] = (
                setting(pg, "SHOW synchronous_commit"),
                setting(lite, "PRAGMA synchronous"),
                ran_on == threading.current_thread().name,
            )
            pg.dispose()
            lite.dispose()
    finally:
        drop_pg_database(made)
    # process: no fsync before the ack; SQLite commands may run on the event loop.
    assert seen["process"] == ("off", 1, True)
    # power: fsync before the ack; never on the event loop, where an fsync would stall it.
    assert seen["power"] == ("on", 2, False)
    assert Database("sqlite:///:memory:").durability == "process"
