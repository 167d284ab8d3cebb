"""Temporary tables an import keeps its bookkeeping in, on its own connection: what the
import must remember of every record it has read (ids, line digests) grows with the file,
so it goes to the database, and the process holds a batch."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from sqlalchemy import Table

from annotator.annotations.writer.bulk import insert_rows
from annotator.models import DbSession


def create_temporary(session: DbSession, table: Table) -> None:
    """Create the temporary table afresh: one left by an import on this connection that did
    not finish (SQLite runs DDL outside the transaction until its first write) goes first."""
    drop_temporary(session, table)
    table.create(session.connection())


def drop_temporary(session: DbSession, table: Table) -> None:
    """Drop the temporary table if this connection has it (never a real table of that name)."""
    connection = session.connection()
    schema = "pg_temp" if connection.dialect.name == "postgresql" else "temp"
    connection.exec_driver_sql(f"DROP TABLE IF EXISTS {schema}.{table.name}")


class ScratchTable:
    """One import's temporary table: created on first use, so that an import that never
    needs it sends nothing, and dropped by close() (a rollback drops it too)."""

    def __init__(self, session: DbSession, table: Table) -> None:
        self.session, self.table = session, table
        self.created = False

    def ready(self) -> None:
        """Create the table if this import has not yet."""
        if not self.created:
            create_temporary(self.session, self.table)
            self.created = True

    def insert(self, columns: Sequence[str], rows: Sequence[tuple[Any, ...]]) -> None:
        self.ready()
        insert_rows(self.session, self.table, columns, rows)

    def close(self) -> None:
        if self.created:
            drop_temporary(self.session, self.table)
            self.created = False
