"""Columns that newer models declare, added to tables an older version created.

`create_all` makes missing tables but never changes existing ones; a database
made by an earlier Plenary would lack the columns added since. Each new column
is added with its model default as the server default, so old rows get it.
"""

import json
from typing import Any

from sqlalchemy import Column, Connection, MetaData, inspect, text
from sqlalchemy.sql.schema import ColumnDefault


def _default_sql(column: Column[Any], dialect: str) -> str | None:
    default = column.default
    if not isinstance(default, ColumnDefault) or default.is_callable:
        return None
    value = default.arg
    if isinstance(value, bool):
        return ("1" if value else "0") if dialect == "sqlite" else ("true" if value else "false")
    if isinstance(value, int | float):
        return repr(value)
    if isinstance(value, str):
        return "'" + value.replace("'", "''") + "'"
    if isinstance(value, list | dict):
        return "'" + json.dumps(value).replace("'", "''") + "'"
    return None


def add_missing_columns(conn: Connection, metadata: MetaData) -> list[str]:
    """Add every declared column a table lacks; returns `table.column` for each added."""
    inspector = inspect(conn)
    dialect = conn.dialect.name
    added = []
    for table in metadata.sorted_tables:
        if not inspector.has_table(table.name):
            continue
        present = {c["name"] for c in inspector.get_columns(table.name)}
        for column in table.columns:
            if column.name in present:
                continue
            kind = column.type.compile(dialect=conn.dialect)
            default = _default_sql(column, dialect)
            clause = f" DEFAULT {default}" if default is not None else ""
            nullable = "" if column.nullable or default is None else " NOT NULL"
            column_sql = f'"{column.name}" {kind}{clause}{nullable}'
            conn.execute(text(f'ALTER TABLE "{table.name}" ADD COLUMN {column_sql}'))
            added.append(f"{table.name}.{column.name}")
    return added
