"""Engines, transactions, and table creation.

SQLite (the default) gets WAL, `BEGIN IMMEDIATE` for writes and one writer at a
time per process, so concurrent writers queue instead of failing with
"database is locked"; PostgreSQL gets a pool and REPEATABLE READ snapshots.
Work runs in worker threads, except a short command on a free SQLite writer
(`write_short`), which is cheaper on the event loop itself.

Durability (`PLENARY_DURABILITY`) is the same promise on both databases:
`process`, the default, means an acknowledged change survives the server
process being killed: the commit is in SQLite's WAL file (`synchronous=NORMAL`)
or in PostgreSQL's WAL buffers (`synchronous_commit=off`, flushed within
0.6 s), not yet fsynced. `power` fsyncs before every ack (`synchronous=FULL`,
`synchronous_commit=on`), so a power cut or OS crash loses nothing either; on
a disk whose fsync stalls, every ack in flight waits for the stall.
"""

import asyncio
import sqlite3
import threading
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path
from typing import Any, TypeVar

import anyio
from sqlalchemy import Engine, create_engine, event, text
from sqlalchemy.exc import OperationalError
from sqlmodel import Session, SQLModel

from app.config import Durability
from app.kept_session import KeptSession

T = TypeVar("T")


WRITER_THREADS = 8  # PostgreSQL: commands in flight per process, each with its connection


def _sqlite_engine(
    url: str,
    *,
    immediate: bool,
    durability: Durability,
    busy_timeout_ms: int = 30000,
    autocheckpoint: bool = True,
) -> Engine:
    path = url.split("///", 1)[-1]
    if path and path != ":memory:":
        Path(path).parent.mkdir(parents=True, exist_ok=True)
    engine = create_engine(url, connect_args={"check_same_thread": False, "timeout": 30})

    @event.listens_for(engine, "connect")
    def _on_connect(dbapi_conn: Any, _record: Any) -> None:
        # Take transaction control away from pysqlite so BEGIN is ours to emit.
        dbapi_conn.isolation_level = None
        cursor = dbapi_conn.cursor()
        cursor.execute("PRAGMA journal_mode=WAL")
        # NORMAL in WAL mode survives a killed process (kill -9); only power loss
        # can take the last commits, and we trade that for an fsync per commit.
        cursor.execute(f"PRAGMA synchronous={'FULL' if durability == 'power' else 'NORMAL'}")
        cursor.execute("PRAGMA foreign_keys=ON")
        cursor.execute(f"PRAGMA busy_timeout={int(busy_timeout_ms)}")
        if not autocheckpoint:
            # A checkpoint fsyncs; `Database.checkpoint` runs it in a thread instead.
            cursor.execute("PRAGMA wal_autocheckpoint=0")
        cursor.close()

    @event.listens_for(engine, "begin")
    def _on_begin(conn: Any) -> None:
        # IMMEDIATE takes the write lock up front: a deferred transaction that
        # upgrades later can deadlock against another process and fail at once.
        # Straight to the driver: this runs once per transaction, on the hot path.
        conn.connection.dbapi_connection.execute("BEGIN IMMEDIATE" if immediate else "BEGIN")

    return engine


class Database:
    """Storage: `read` and `write` run a function in a worker thread, in one transaction."""

    def __init__(self, url: str, durability: Durability = "process") -> None:
        self.url = url
        self.durability = durability
        self.is_sqlite = url.startswith("sqlite")
        if self.is_sqlite:
            self.write_engine = _sqlite_engine(url, immediate=True, durability=durability)
            self.read_engine = _sqlite_engine(url, immediate=False, durability=durability)
            # Used only on the event loop, one transaction at a time, never waiting;
            # and never with an fsync per commit, which would stall the loop.
            self._inline: KeptSession | None = None
            if durability == "process":
                self._inline = KeptSession(
                    _sqlite_engine(
                        url,
                        immediate=True,
                        durability=durability,
                        busy_timeout_ms=0,
                        autocheckpoint=False,
                    )
                )
            self._write_lock: threading.Lock | None = threading.Lock()
            self._writers: ThreadPoolExecutor | None = None
        else:
            synchronous_commit = "on" if durability == "power" else "off"
            self.write_engine = create_engine(
                url,
                pool_size=10,
                max_overflow=20,
                pool_pre_ping=True,
                connect_args={"options": f"-c synchronous_commit={synchronous_commit}"},
            )
            # A snapshot and its seq must come from one consistent view.
            self.read_engine = self.write_engine.execution_options(
                isolation_level="REPEATABLE READ"
            )
            self._inline = None
            self._write_lock = None
            # Commands run on a few threads that each keep a connection and session.
            self._writers = ThreadPoolExecutor(WRITER_THREADS, thread_name_prefix="plenary-write")
        self._writer_local = threading.local()
        self._kept: list[KeptSession] = []
        self._kept_lock = threading.Lock()
        self._limiter = anyio.CapacityLimiter(16)

    def create_tables(self) -> None:
        """Create every table the models declare (idempotent, and safe from several workers).

        Workers starting together on a fresh database would race on CREATE TABLE and
        one would die; a lock taken first makes them create the tables one at a time.
        """
        with self.write_engine.begin() as conn:  # SQLite: BEGIN IMMEDIATE serializes
            if not self.is_sqlite:
                conn.execute(text("SELECT pg_advisory_xact_lock(7261966)"))
            SQLModel.metadata.create_all(conn)

    def write_sync(self, work: Callable[[Session], T]) -> T:
        """Run `work` in one write transaction, committed before returning."""
        if self._write_lock is not None:
            with self._write_lock:
                return self._transact(self.write_engine, work)
        return self._transact(self.write_engine, work)

    def read_sync(self, work: Callable[[Session], T]) -> T:
        """Run `work` in one read-only transaction."""
        return self._transact(self.read_engine, work, commit=False)

    async def write(self, work: Callable[[Session], T]) -> T:
        """`write_sync` off the event loop."""
        return await anyio.to_thread.run_sync(self.write_sync, work, limiter=self._limiter)

    async def write_short(self, work: Callable[[Session], T]) -> T:
        """`write` for short, bounded work such as one command.

        On SQLite with the writer free it runs on the event loop: the transaction
        takes a fraction of a millisecond and its commit does not fsync (WAL with
        synchronous=NORMAL; checkpoints run in a thread), so the hop to a thread
        and back costs more than the work. A writer busy in this process or
        another sends the work to a thread, where it may wait.
        """
        lock = self._write_lock
        if self._inline is not None and lock is not None and lock.acquire(blocking=False):
            try:
                return self._inline.run(work)
            except (OperationalError, sqlite3.OperationalError) as exc:
                if "locked" not in str(exc) and "busy" not in str(exc):
                    raise
                # Rolled back, so nothing happened: wait for the writer in a thread.
            finally:
                lock.release()
        if self._writers is not None:
            loop = asyncio.get_running_loop()
            return await loop.run_in_executor(self._writers, self._run_kept, work)
        return await self.write(work)

    def _run_kept(self, work: Callable[[Session], T]) -> T:
        kept: KeptSession | None = getattr(self._writer_local, "kept", None)
        if kept is None:
            kept = self._writer_local.kept = KeptSession(self.write_engine)
            with self._kept_lock:
                self._kept.append(kept)
        return kept.run(work)

    def checkpoint_sync(self) -> None:
        """Move SQLite's write-ahead log into the database file, without blocking writers."""
        if not self.is_sqlite:
            return
        connection = self.write_engine.raw_connection()
        try:
            connection.driver_connection.execute("PRAGMA wal_checkpoint(PASSIVE)")  # type: ignore[union-attr]
        finally:
            connection.close()

    async def keep_checkpointing(self, every_s: float = 1.0) -> None:
        """Checkpoint SQLite's log in a thread every second, so commits on the loop never fsync."""
        while self.is_sqlite:
            await anyio.sleep(every_s)
            await anyio.to_thread.run_sync(self.checkpoint_sync, limiter=self._limiter)

    async def read(self, work: Callable[[Session], T]) -> T:
        """`read_sync` off the event loop."""
        return await anyio.to_thread.run_sync(self.read_sync, work, limiter=self._limiter)

    def dispose(self) -> None:
        """Stop the writer threads and close every connection, kept or pooled."""
        if self._writers is not None:
            self._writers.shutdown(wait=True)
        for kept in [self._inline, *self._kept]:
            if kept is not None:
                kept.close()
        if self._inline is not None:
            self._inline.engine.dispose()
        self.write_engine.dispose()
        self.read_engine.dispose()

    @staticmethod
    def _transact(
        engine: Engine,
        work: Callable[[Session], T],
        *,
        commit: bool = True,
    ) -> T:
        with Session(engine, expire_on_commit=False) as session:
            try:
                result = work(session)
                if commit:
                    session.commit()
                else:
                    session.rollback()
                return result
            except BaseException:
                session.rollback()
                raise
