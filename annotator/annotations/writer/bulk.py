"""Many rows of one table in one executemany, at the driver's speed.

SQLAlchemy's executemany processes every parameter of every row in Python (JSON encoding,
timestamp formatting, a dict per row): a third of an annotation import's time (issue 13).
Here JSON is encoded once by orjson, a batch's timestamp is formatted once, and the rows go
to the driver as tuples; PostgreSQL casts the JSON text (psycopg pipelines the executemany).
Each statement inserts a block of rows (a multi-row VALUES): a row per statement spent a
third of SQLite's insert time stepping, resetting and re-binding the statement.
"""

from __future__ import annotations

import json
from collections.abc import Mapping, Sequence
from itertools import chain
from typing import Any

import orjson
from sqlalchemy import JSON, Table
from sqlalchemy.engine import Dialect

from annotator.models import DbSession

_PLACEHOLDERS = {"qmark": "?", "format": "%s", "pyformat": "%s"}

#: Values per statement at most: SQLite before 3.32 allows 999 parameters.
MAX_PARAMETERS = 999


def insert_rows(
    session: DbSession,
    table: Table,
    columns: Sequence[str],
    rows: Sequence[tuple[Any, ...]],
    constants: Mapping[str, str] | None = None,
) -> None:
    """INSERT the rows (values in `columns` order, JSON already encoded by json_value,
    timestamps and booleans by stored_value) in the session's transaction. `constants`:
    columns every row gives the same value, as SQL literals (the code's, never input's),
    written into the statement rather than bound for each row."""
    if not rows:
        return
    connection = session.connection()
    fixed = constants or {}
    per = max(1, MAX_PARAMETERS // len(columns))
    whole = len(rows) - len(rows) % per
    if whole:
        blocks = [_flat(rows[at : at + per]) for at in range(0, whole, per)]
        statement = _statement(table, columns, fixed, connection.dialect, per)
        connection.exec_driver_sql(statement, blocks)
    if whole < len(rows):
        rest = rows[whole:]
        statement = _statement(table, columns, fixed, connection.dialect, len(rest))
        connection.exec_driver_sql(statement, _flat(rest))


def _flat(rows: Sequence[tuple[Any, ...]]) -> tuple[Any, ...]:
    """A block's values in one tuple, row after row, as its VALUES list binds them."""
    return tuple(chain.from_iterable(rows))


def json_value(value: Any) -> str:
    """A JSON column's value as the text to store (None is JSON null, as SQLAlchemy's JSON
    type stores it); the standard library for what orjson refuses (a lone surrogate, an
    integer beyond 64 bits)."""
    try:
        return orjson.dumps(value).decode()
    except (TypeError, orjson.JSONEncodeError):
        return json.dumps(value)


def stored_value(session: DbSession, table: Table, column: str, value: Any) -> Any:
    """A value in the form SQLAlchemy hands the driver: on SQLite a timestamp as text and a
    boolean as 0 or 1. Worked out once per batch for the values its rows share: the sqlite3
    driver binds an int at once but passes a bool through its adapter look-up (a failed
    attribute look-up, and the AttributeError it formats, per value)."""
    dialect = session.get_bind().dialect
    process = table.c[column].type.dialect_impl(dialect).bind_processor(dialect)
    return process(value) if process is not None else value


def stored_flags(session: DbSession, table: Table, column: str) -> dict[bool, Any]:
    """stored_value of False and True in a boolean column, for a batch to look its rows'
    flags up in."""
    return {flag: stored_value(session, table, column, flag) for flag in (False, True)}


def _statement(
    table: Table,
    columns: Sequence[str],
    constants: Mapping[str, str],
    dialect: Dialect,
    count: int,
) -> str:
    """INSERT of `count` rows."""
    mark = _PLACEHOLDERS[dialect.paramstyle]
    preparer = dialect.identifier_preparer
    names = ", ".join(preparer.quote(name) for name in [*columns, *constants])
    values = [_value(table, name, mark, dialect) for name in columns]
    row = "(" + ", ".join([*values, *constants.values()]) + ")"
    return f"INSERT INTO {preparer.format_table(table)} ({names}) VALUES {', '.join([row] * count)}"


def _value(table: Table, column: str, mark: str, dialect: Dialect) -> str:
    kind = table.c[column].type
    if isinstance(kind, JSON) and dialect.name == "postgresql":
        return f"CAST({mark} AS {kind.compile(dialect=dialect)})"
    return mark
