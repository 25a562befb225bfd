"""Engines, transactions, and table creation.

Writes go through the committer (`app/group_commit.py`): writer threads, each
keeping one connection, apply every job that queued meanwhile in one
transaction. SQLite has one writer (it allows no more); PostgreSQL has a few,
and a room's jobs always go to the same one, so they keep their order. Reads
run on a pool of their own, so a slow write never holds up a read, nor a long
read a write. Nothing waits on a database lock on the event loop.

SQLite gets WAL and `BEGIN IMMEDIATE` for writes; PostgreSQL gets a pool and
REPEATABLE READ snapshots for reads.

Durability (`PLENARY_DURABILITY`) is the same promise on both databases:
`process`, the default, means an acknowledged change survives the server
process being killed: the commit is in SQLite's WAL file (`synchronous=NORMAL`)
or in PostgreSQL's WAL buffers (`synchronous_commit=off`, flushed within
0.6 s), not yet fsynced. `power` fsyncs before every ack (`synchronous=FULL`,
`synchronous_commit=on`), once per batch of commands.
"""

import asyncio
import itertools
import logging
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path
from typing import Any, TypeVar

from sqlalchemy import Engine, create_engine, event, text
from sqlmodel import Session, SQLModel

from app.config import Durability
from app.group_commit import Job, Outcome, Writer
from app.kept_session import KeptSession
from app.migrate import add_missing_columns

T = TypeVar("T")
log = logging.getLogger("plenary.db")

READER_THREADS = 8
BatchHook = Callable[[list[Job]], None]


def _sqlite_engine(
    url: str,
    *,
    immediate: bool,
    durability: Durability,
    autocheckpoint: bool = True,
    busy_timeout_ms: int = 30000,
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
            # A checkpoint fsyncs; `Database.checkpoint` runs it beside the writer instead.
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
    """Storage: writes through the committer, reads on a pool of their own."""

    def __init__(self, url: str, durability: Durability = "process", writers: int = 4) -> None:
        self.url = url
        self.durability = durability
        self.is_sqlite = url.startswith("sqlite")
        if self.is_sqlite:
            self.write_engine = _sqlite_engine(
                url, immediate=True, durability=durability, autocheckpoint=False
            )
            self.read_engine = _sqlite_engine(url, immediate=False, durability=durability)
            self.writer_count = 1  # SQLite takes one writer at a time anyway
            # Light commands on the event loop (see `submit`): never with an fsync per
            # commit, and on a connection that never waits for the lock.
            self._inline_engine: Engine | None = None
            if durability == "process":
                self._inline_engine = _sqlite_engine(
                    url,
                    immediate=True,
                    durability=durability,
                    autocheckpoint=False,
                    busy_timeout_ms=0,
                )
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
            self.writer_count = max(1, writers)
            self._inline_engine = None
        self._inline: KeptSession | None = None
        self._inline_due: list[Job] = []
        self._inline_flush: asyncio.Handle | None = None
        self._readers = ThreadPoolExecutor(READER_THREADS, thread_name_prefix="plenary-read")
        self._writers: list[Writer] = []
        self._loop: asyncio.AbstractEventLoop | None = None
        self._spread = itertools.count()
        self.batch_hooks: list[BatchHook] = []  # after the jobs' own `done`, in order
        self.batch_start_hooks: list[Callable[[], None]] = []  # before them

    def create_tables(self) -> None:
        """Create every table the models declare, and columns added since (safe from workers).

        Workers starting together on a fresh database would race on CREATE TABLE and
        one would die; a lock taken first makes them create the tables one at a time.
        """
        with self.write_engine.begin() as conn:  # SQLite: BEGIN IMMEDIATE serializes
            if not self.is_sqlite:
                conn.execute(text("SELECT pg_advisory_xact_lock(7261966)"))
            SQLModel.metadata.create_all(conn)
            add_missing_columns(conn, SQLModel.metadata)

    def start(self) -> None:
        """Start the writer threads; their batches finish on the running event loop."""
        self._loop = asyncio.get_running_loop()
        self._writers = [
            Writer(KeptSession(self.write_engine), self._finish, f"plenary-write-{n}")
            for n in range(self.writer_count)
        ]
        if self._inline_engine is not None:
            self._inline = KeptSession(self._inline_engine)

    def submit(self, jobs: list[Job]) -> None:
        """Queue jobs; what queues while a transaction runs is applied together in the next.

        On SQLite (without an fsync per commit), light jobs that arrive in one turn
        of the event loop are applied together right after it, on the loop: a
        fraction of a millisecond, cheaper than waking a thread and waking the loop
        back. Everything else, and everything while the writer thread has work,
        goes to the thread, so a stream's jobs keep their order.
        """
        if self._inline is not None and all(job.light for job in jobs):
            self._inline_due.extend(jobs)
            if self._inline_flush is None:
                assert self._loop is not None
                self._inline_flush = self._loop.call_soon(self._flush_inline)
            return
        if self._inline_due:  # earlier light jobs go first
            self._flush_inline()
        self._put(jobs)

    def _put(self, jobs: list[Job]) -> None:
        if len(self._writers) == 1:
            self._writers[0].put(jobs)
            return
        for job in jobs:
            self._writer_for(job).put([job])

    def _flush_inline(self) -> None:
        if self._inline_flush is not None:
            self._inline_flush.cancel()
            self._inline_flush = None
        jobs, self._inline_due = self._inline_due, []
        if not jobs:
            return
        assert self._inline is not None
        if self._writers[0].run_here(self._inline, jobs):
            self._finished(jobs)
        else:
            self._put(jobs)

    def _writer_for(self, job: Job) -> Writer:
        # A stream's jobs always go to the same writer, so they keep their order.
        if job.order:
            return self._writers[hash(job.order) % len(self._writers)]
        return self._writers[next(self._spread) % len(self._writers)]

    def _finish(self, batch: list[Job]) -> None:
        # On a writer thread: hand the finished batch to the event loop in one wake-up.
        loop = self._loop
        if loop is not None and not loop.is_closed():
            loop.call_soon_threadsafe(self._finished, batch)

    def _finished(self, batch: list[Job]) -> None:
        for start in self.batch_start_hooks:
            start()
        try:
            for job in batch:
                if job.done is not None:
                    try:
                        job.done(job.outcome)
                    except Exception:  # one caller's failure is not its neighbours'
                        log.exception("a finished job's callback failed")
        finally:
            for hook in self.batch_hooks:
                hook(batch)

    async def write(self, work: Callable[[Session], T], *, locks: tuple[str, ...] = ()) -> T:
        """Run `work` in a write transaction of its own; its value once committed."""
        future: asyncio.Future[T] = asyncio.get_running_loop().create_future()

        def done(outcome: Outcome) -> None:
            if future.done():
                return
            if outcome.error is not None:
                future.set_exception(outcome.error)
            else:
                future.set_result(outcome.value)

        self.submit([Job(work, locks=locks, solo=True, done=done)])
        return await future

    def write_sync(self, work: Callable[[Session], T]) -> T:
        """Run `work` in one write transaction on the calling thread (before serving)."""
        return self._transact(self.write_engine, work)

    def read_sync(self, work: Callable[[Session], T]) -> T:
        """Run `work` in one read-only transaction."""
        return self._transact(self.read_engine, work, commit=False)

    async def read(self, work: Callable[[Session], T]) -> T:
        """`read_sync` on the readers' pool."""
        return await asyncio.get_running_loop().run_in_executor(self._readers, self.read_sync, work)

    def checkpoint_sync(self) -> None:
        """Move SQLite's write-ahead log into the database file, without blocking writers."""
        if not self.is_sqlite:
            return
        connection = self.read_engine.raw_connection()
        try:
            connection.driver_connection.execute("PRAGMA wal_checkpoint(PASSIVE)")  # type: ignore[union-attr]
        finally:
            connection.close()

    async def keep_checkpointing(self, every_s: float = 1.0) -> None:
        """Checkpoint SQLite's log every second beside the writer, which never fsyncs for it."""
        while self.is_sqlite:
            await asyncio.sleep(every_s)
            await asyncio.get_running_loop().run_in_executor(self._readers, self.checkpoint_sync)

    def dispose(self) -> None:
        """Finish queued writes, stop the threads and close every connection."""
        if self._inline_due:
            self._put(self._inline_due)
            self._inline_due = []
        for writer in self._writers:
            writer.stop()
        self._writers = []
        if self._inline is not None:
            self._inline.close()
            self._inline = None
        if self._inline_engine is not None:
            self._inline_engine.dispose()
        self._readers.shutdown(wait=True)
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
