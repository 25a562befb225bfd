"""Engines, transactions run off the event loop, and table creation.

SQLite (the default) gets WAL, `BEGIN IMMEDIATE` for writes and one writer at a
time per process, so concurrent writers queue instead of failing with
"database is locked"; PostgreSQL gets a pool and REPEATABLE READ snapshots.
"""

import re
import threading
from collections.abc import Callable, Mapping
from datetime import datetime
from functools import lru_cache
from pathlib import Path
from typing import Any, TypeVar

import anyio
from sqlalchemy import Connection, Engine, create_engine, event, text
from sqlalchemy.exc import DBAPIError
from sqlmodel import Session, SQLModel

T = TypeVar("T")

_NAMED = re.compile(r"(?<![:\w]):(\w+)")


@lru_cache(maxsize=256)
def _pyformat(statement: str) -> str:
    # psycopg speaks %(name)s; the hot-path statements are written with :name.
    return _NAMED.sub(r"%(\1)s", statement)


def _sqlite_value(value: Any) -> Any:
    # Stored the way SQLAlchemy's SQLite DateTime stores it, so ORM reads agree.
    if isinstance(value, datetime):
        return value.strftime("%Y-%m-%d %H:%M:%S.%f")
    return value


def as_datetime(value: Any) -> datetime | None:
    """A timestamp read by `Sql` (SQLite hands back text) as a datetime."""
    if value is None or isinstance(value, datetime):
        return value
    return datetime.fromisoformat(value)


class Sql:
    """Hand-written statements on the session's own connection, inside its transaction.

    SQLAlchemy spends about 100 µs of Python on each statement it runs; the
    driver itself about 10. The few statements every command runs (seq, event
    row, answer, room state, a new note) go through here; everything else stays ORM.
    Statements use `:name` parameters on both SQLite and PostgreSQL.
    """

    __slots__ = ("_connection", "_dbapi", "_error", "_sqlite")

    def __init__(self, connection: Connection) -> None:
        self._connection = connection
        self._sqlite = connection.dialect.name == "sqlite"
        self._dbapi: Any = connection.connection.dbapi_connection
        self._error: type[Exception] = connection.dialect.loaded_dbapi.Error

    @classmethod
    def of(cls, session: Session) -> "Sql":
        """The helper for the session's current connection (begins its transaction if needed)."""
        connection = session.connection()
        found: Sql | None = session.info.get("sql")
        if found is None or found._connection is not connection:
            found = session.info["sql"] = cls(connection)
        return found

    @property
    def is_sqlite(self) -> bool:
        """Whether this is SQLite (no row locks needed: its writers are exclusive)."""
        return self._sqlite

    def run(self, statement: str, params: Mapping[str, Any] | None = None) -> Any:
        """Execute one statement; return the DBAPI cursor."""
        try:
            if self._sqlite:
                values = {k: _sqlite_value(v) for k, v in (params or {}).items()}
                return self._dbapi.execute(statement, values)
            cursor = self._dbapi.cursor()
            cursor.execute(_pyformat(statement), params or {})
            return cursor
        except self._error as exc:
            raise self._wrapped(statement, params, exc) from exc

    def run_many(self, statement: str, rows: list[dict[str, Any]]) -> None:
        """Execute one statement for each row of parameters."""
        try:
            if self._sqlite:
                self._dbapi.executemany(
                    statement, [{k: _sqlite_value(v) for k, v in row.items()} for row in rows]
                )
                return
            with self._dbapi.cursor() as cursor:
                cursor.executemany(_pyformat(statement), rows)
        except self._error as exc:
            raise self._wrapped(statement, rows, exc) from exc

    def _wrapped(self, statement: str, params: Any, exc: Exception) -> Exception:
        # The same exception classes SQLAlchemy raises (IntegrityError, ...), so
        # callers catch one family whichever way a statement ran.
        return DBAPIError.instance(statement, params, exc, self._error)

    def row(self, statement: str, params: Mapping[str, Any] | None = None) -> Any:
        """The first row of a query, or None."""
        return self.run(statement, params).fetchone()


def _sqlite_engine(url: str, *, immediate: bool) -> Engine:
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
        cursor.execute("PRAGMA synchronous=NORMAL")
        cursor.execute("PRAGMA foreign_keys=ON")
        cursor.execute("PRAGMA busy_timeout=30000")
        cursor.close()

    @event.listens_for(engine, "begin")
    def _on_begin(conn: Any) -> None:
        # IMMEDIATE takes the write lock up front: a deferred transaction that
        # upgrades later can deadlock against another process and fail at once.
        conn.exec_driver_sql("BEGIN IMMEDIATE" if immediate else "BEGIN")

    return engine


class Database:
    """Storage: `read` and `write` run a function in a worker thread, in one transaction."""

    def __init__(self, url: str) -> None:
        self.url = url
        self.is_sqlite = url.startswith("sqlite")
        if self.is_sqlite:
            self.write_engine = _sqlite_engine(url, immediate=True)
            self.read_engine = _sqlite_engine(url, immediate=False)
            self._write_lock: threading.Lock | None = threading.Lock()
        else:
            self.write_engine = create_engine(
                url, pool_size=10, max_overflow=20, pool_pre_ping=True
            )
            # A snapshot and its seq must come from one consistent view.
            self.read_engine = self.write_engine.execution_options(
                isolation_level="REPEATABLE READ"
            )
            self._write_lock = None
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

    async def read(self, work: Callable[[Session], T]) -> T:
        """`read_sync` off the event loop."""
        return await anyio.to_thread.run_sync(self.read_sync, work, limiter=self._limiter)

    def dispose(self) -> None:
        """Close every pooled connection."""
        self.write_engine.dispose()
        self.read_engine.dispose()

    @staticmethod
    def _transact(engine: Engine, work: Callable[[Session], T], *, commit: bool = True) -> T:
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
