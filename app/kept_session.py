"""A connection and a session kept open for many short write transactions.

A pool checkout per command costs a ping (PostgreSQL) and a reset on return,
and a new `Session` per command leaves about 36 objects in reference cycles for
the garbage collector. Commands are short and many, so each thread that runs
them (the event loop for SQLite, writer threads for PostgreSQL) keeps one.
"""

from collections.abc import Callable
from typing import TypeVar

from sqlalchemy import Connection, Engine
from sqlalchemy.exc import DBAPIError
from sqlmodel import Session

T = TypeVar("T")


class KeptSession:
    """One connection and one session, used by one thread, one transaction at a time."""

    def __init__(self, engine: Engine) -> None:
        self.engine = engine
        self._connection: Connection | None = None
        self._session: Session | None = None

    def run(self, work: Callable[[Session], T]) -> T:
        """Run `work` in one transaction, committed before returning.

        A connection the server dropped (a restarted database) is replaced once
        and the work rerun: nothing of the failed transaction was committed, or,
        if its commit got through, the rerun meets its remembered answer.
        """
        try:
            return self._run_once(work)
        except DBAPIError as exc:
            if not exc.connection_invalidated:
                raise
            self.close()
            return self._run_once(work)

    def _run_once(self, work: Callable[[Session], T]) -> T:
        connection, session = self._connection, self._session
        if connection is None or session is None or connection.closed or connection.invalidated:
            connection = self._connection = self.engine.connect()
            session = self._session = Session(bind=connection, expire_on_commit=False)
        transaction = connection.begin()
        try:
            result = work(session)
            session.flush()
            transaction.commit()
            return result
        except BaseException:
            if transaction.is_active:
                transaction.rollback()
            raise
        finally:
            session.close()  # forget this transaction's objects; the session stays usable

    def close(self) -> None:
        """Give the connection back (or drop it, if the server already did)."""
        if self._session is not None:
            self._session.close()
        if self._connection is not None:
            self._connection.close()
        self._connection = self._session = None
