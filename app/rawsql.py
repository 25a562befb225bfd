"""Hand-written SQL on the session's own driver connection, for the hot write path."""

import re
from collections.abc import Mapping
from datetime import datetime
from functools import lru_cache
from typing import Any, cast

from sqlalchemy import Connection
from sqlalchemy.exc import DBAPIError
from sqlmodel import Session

from app.group_commit import count_write

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

    __slots__ = (
        "_connection",
        "_cursor",
        "_dbapi",
        "_error",
        "_session",
        "_sqlite",
        "_transaction",
    )

    def __init__(self, session: Session, connection: Connection, transaction: object) -> None:
        self._session = session
        self._connection = connection
        self._transaction = transaction
        self._sqlite = connection.dialect.name == "sqlite"
        self._dbapi: Any = connection.connection.dbapi_connection
        self._error: type[Exception] = connection.dialect.loaded_dbapi.Error
        self._cursor: Any = None  # PostgreSQL: one cursor for the transaction's statements

    @classmethod
    def of(cls, session: Session) -> "Sql":
        """The helper for the session's current transaction (begun here if need be)."""
        found: Sql | None = session.info.get("sql")
        transaction = session.get_transaction()
        if found is not None and transaction is not None and found._transaction is transaction:
            return found
        connection = session.connection()
        found = session.info["sql"] = cls(session, connection, session.get_transaction())
        return found

    @property
    def is_sqlite(self) -> bool:
        """Whether this is SQLite (no row locks needed: its writers are exclusive)."""
        return self._sqlite

    def run(self, statement: str, params: Mapping[str, Any] | None = None) -> Any:
        """Execute one statement; return the DBAPI cursor (read it before the next `run`)."""
        if not statement.startswith("SELECT"):
            count_write(self._session)  # group commit must know a failed job wrote
        try:
            if self._sqlite:
                values = {k: _sqlite_value(v) for k, v in (params or {}).items()}
                return self._dbapi.execute(statement, values)
            cursor = self._cursor
            if cursor is None:
                cursor = self._cursor = self._dbapi.cursor()
            cursor.execute(_pyformat(statement), params or {})
            return cursor
        except self._error as exc:
            raise self._wrapped(statement, params, exc) from exc

    def run_many(self, statement: str, rows: list[dict[str, Any]]) -> None:
        """Execute one statement for each row of parameters."""
        count_write(self._session)
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
        # callers catch one family whichever way a statement ran; and a lost
        # connection is marked invalid, as SQLAlchemy would, so it gets replaced.
        connection = self._connection
        lost = connection.dialect.is_disconnect(cast(Any, exc), self._dbapi, None)
        if lost and not connection.invalidated:
            connection.invalidate(exc)
        return DBAPIError.instance(statement, params, exc, self._error, connection_invalidated=lost)

    def row(self, statement: str, params: Mapping[str, Any] | None = None) -> Any:
        """The first row of a query, or None."""
        return self.run(statement, params).fetchone()
