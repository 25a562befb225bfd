"""Group commit: jobs that queue while a write transaction runs are applied together in the next.

Each job keeps its own checks and its own result. One commit (and, with
`PLENARY_DURABILITY=power`, one fsync) serves the whole batch. A job refused
before it wrote anything simply drops out of the batch. A job that fails after
writing, or that trips a database error (which aborts a PostgreSQL
transaction), is isolated instead: the batch is rolled back and run again
without it, and the job then runs in a transaction of its own. So a refused
command never rolls back its neighbours, and no savepoint round trip is paid
on the common path.

Within a batch, jobs run in the order of the stream they lock (stable, so one
room's jobs keep their arrival order); jobs that lock several streams run
alone. Every writer therefore takes its row locks in ascending stream order
and two writers cannot deadlock on them.
"""

import logging
import sqlite3
import threading
from collections import deque
from collections.abc import Callable
from dataclasses import dataclass, field
from functools import partial
from typing import Any

from sqlalchemy import event
from sqlalchemy.exc import DBAPIError
from sqlalchemy.orm import ORMExecuteState, UOWTransaction
from sqlalchemy.orm import Session as OrmSession
from sqlmodel import Session

from app.errors import PlenaryError
from app.kept_session import KeptSession

log = logging.getLogger("plenary.db")

MAX_BATCH = 256  # jobs per transaction; more wait for the next one
ALONE_RETRIES = 3  # a job that fails alone on a database error (a deadlock) is tried again


@dataclass(eq=False, slots=True)
class Outcome:
    """What a job came to: its value, or the exception that refused it."""

    value: Any = None
    error: BaseException | None = None


Work = Callable[[Session], Any]
Recover = Callable[[Session, BaseException], Any]


@dataclass(eq=False, slots=True)
class Job:
    """A unit of work for the writer: runs in a transaction, maybe beside others."""

    work: Work
    locks: tuple[str, ...] = ()  # the streams it locks, in the order it locks them
    recover: Recover | None = None  # after failing alone: an answer from a fresh transaction
    done: Callable[[Outcome], None] | None = None  # called on the event loop after the commit
    solo: bool = False  # in a transaction of its own (always when it locks several streams)
    light: bool = False  # short and bounded: may run on the event loop (SQLite, see db.py)
    outcome: Outcome = field(default_factory=Outcome)

    def __post_init__(self) -> None:
        if len(self.locks) > 1:
            self.solo = True

    @property
    def order(self) -> str:
        """Where the job sorts within a batch: by the stream it locks."""
        return self.locks[0] if self.locks else ""


def writes(session: OrmSession) -> int:
    """How many writes this session has sent to the database so far."""
    return int(session.info.get("writes", 0))


def count_write(session: OrmSession) -> None:
    """Note a write sent outside the ORM (see `app/rawsql.py`)."""
    session.info["writes"] = writes(session) + 1


@event.listens_for(OrmSession, "after_flush")
def _count_flush(session: OrmSession, _context: UOWTransaction) -> None:
    count_write(session)


@event.listens_for(OrmSession, "do_orm_execute")
def _count_statement(state: ORMExecuteState) -> None:
    if not state.is_select:
        count_write(state.session)


class _Isolate(Exception):
    """A job failed in a way that needs the batch rolled back and run without it."""

    def __init__(self, job: Job, error: BaseException) -> None:
        super().__init__(repr(error))
        self.job = job
        self.error = error


def _run_jobs(session: Session, jobs: list[Job]) -> None:
    # Runs inside one transaction; raises _Isolate to have it rolled back.
    for job in jobs:
        before = writes(session)
        try:
            value = job.work(session)
            session.flush()  # the job's ORM changes, before the next job runs
            job.outcome = Outcome(value=value)
        except PlenaryError as exc:
            if writes(session) != before:
                raise _Isolate(job, exc) from exc
            job.outcome = _recovered(session, job, exc)
        except DBAPIError as exc:
            if exc.connection_invalidated:
                raise  # KeptSession reconnects and runs the whole batch again
            raise _Isolate(job, exc) from exc
        except Exception as exc:
            raise _Isolate(job, exc) from exc
        finally:
            # Unflushed leftovers of a refused job must not reach the next one's flush;
            # a kept identity map would also grow with every job of a large batch.
            session.expunge_all()


def _recovered(session: Session, job: Job, error: BaseException) -> Outcome:
    # A refusal that wrote nothing may still have an answer (a resent command's first
    # ack); looking it up only reads, so it stays inside the batch's transaction.
    if job.recover is None:
        return Outcome(error=error)
    try:
        return Outcome(value=job.recover(session, error))
    except Exception as exc:
        return Outcome(error=exc)


def apply_batch(kept: KeptSession, jobs: list[Job]) -> None:
    """Apply jobs in as few transactions as their failures allow; fills each job's outcome."""
    todo = sorted(jobs, key=lambda job: job.order)
    alone: list[Job] = []
    while todo:
        try:
            kept.run(partial(_run_jobs, jobs=todo))
            break
        except _Isolate as failed:
            todo = [job for job in todo if job is not failed.job]
            alone.append(failed.job)
        except Exception as exc:  # the commit itself failed: nothing of the batch is stored
            log.error("a write transaction failed (%s)", exc)
            for job in todo:
                job.outcome = Outcome(error=exc)
            todo = []
    for job in alone:
        _apply_alone(kept, job)


def _apply_alone(kept: KeptSession, job: Job) -> None:
    error: BaseException | None = None
    for _ in range(ALONE_RETRIES):
        try:
            job.outcome = Outcome(value=kept.run(job.work))
            return
        except Exception as exc:
            error = exc
            if not (isinstance(exc, DBAPIError) and _is_transient(exc)):
                break
    assert error is not None
    if job.recover is not None:
        recover, failure = job.recover, error
        try:
            job.outcome = Outcome(value=kept.run(lambda session: recover(session, failure)))
            return
        except Exception as exc:
            error = exc
    job.outcome = Outcome(error=error)


def _lock_held(error: BaseException | None) -> bool:
    # SQLite's "database is locked", from SQLAlchemy or straight from the driver (the
    # BEGIN IMMEDIATE of app/db.py runs on the driver connection).
    text = str(error)
    return isinstance(error, DBAPIError | sqlite3.OperationalError) and (
        "locked" in text or "busy" in text
    )


def _is_transient(exc: DBAPIError) -> bool:
    # PostgreSQL names deadlocks and serialization failures by SQLSTATE class 40.
    code = getattr(exc.orig, "sqlstate", None) or ""
    return str(code).startswith("40")


Finish = Callable[[list[Job]], None]


class Writer:
    """One thread with one kept connection, applying queued jobs a batch at a time."""

    def __init__(self, kept: KeptSession, finish: Finish, name: str) -> None:
        self.kept = kept
        self.finish = finish
        self._queue: deque[Job] = deque()
        self._ready = threading.Condition()
        self._busy = False
        self._stopping = False
        self._thread = threading.Thread(target=self._run, name=name, daemon=True)
        self._thread.start()

    def put(self, jobs: list[Job]) -> None:
        """Queue jobs for the next batch."""
        with self._ready:
            self._queue.extend(jobs)
            self._ready.notify()

    @property
    def idle(self) -> bool:
        """Nothing running and nothing queued."""
        return not self._busy and not self._queue

    def run_here(self, kept: KeptSession, jobs: list[Job]) -> bool:
        """Apply a batch on the calling thread if this writer is idle; False if it is not.

        Also False, with the jobs untouched, when SQLite's lock is held elsewhere
        (`kept` never waits for it): the caller then queues them for the thread.
        """
        with self._ready:
            if self._busy or self._queue:
                return False
            self._busy = True
        try:
            apply_batch(kept, jobs)
        finally:
            with self._ready:
                self._busy = False
        first = jobs[0].outcome.error
        if _lock_held(first) and all(job.outcome.error is first for job in jobs):
            for job in jobs:
                job.outcome = Outcome()  # nothing was begun: they run again on the thread
            return False
        return True

    def _take(self) -> list[Job] | None:
        with self._ready:
            while not self._queue and not self._stopping:
                self._ready.wait()
            if self._stopping and not self._queue:
                return None
            self._busy = True
            first = self._queue.popleft()
            if first.solo:
                return [first]
            batch = [first]
            while self._queue and len(batch) < MAX_BATCH and not self._queue[0].solo:
                batch.append(self._queue.popleft())
            return batch

    def _run(self) -> None:
        while True:
            batch = self._take()
            if batch is None:
                return
            try:
                apply_batch(self.kept, batch)
            except BaseException as exc:  # never lose the thread: answer the batch
                log.exception("writer failed")
                for job in batch:
                    if job.outcome.value is None and job.outcome.error is None:
                        job.outcome = Outcome(error=exc)
            finally:
                with self._ready:
                    self._busy = False
            self.finish(batch)

    def stop(self) -> None:
        """Finish what is queued, then end the thread and close the connection."""
        with self._ready:
            self._stopping = True
            self._ready.notify()
        self._thread.join(timeout=30)
        self.kept.close()
