"""A file names each paragraph once per person: the line that first imported a paragraph's
work for an owner, remembered across the batches of one annotation import.

Kept in a temporary table on the import's connection, not in a dict: the dict held about
180 bytes per record, the whole of the import's growth with its file (issue 13: memory
flat in corpus size). Each batch asks the table about its own paragraphs only.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from sqlalchemy import Boolean, Column, Integer, MetaData, Table, bindparam, select

from annotator.annotations.writer.bulk import stored_flags
from annotator.models import DbSession
from annotator.scratch import ScratchTable

#: (paragraph id, owner's id, gold): what a file may name once.
Key = tuple[int, int, bool]

IMPORT_FIRST_LINES = Table(
    "import_first_line",
    MetaData(),
    Column("paragraph_id", Integer, primary_key=True),
    Column("owner_id", Integer, primary_key=True),
    Column("gold", Boolean, primary_key=True),
    Column("line", Integer),
    prefixes=["TEMPORARY"],
)
_COLUMNS = ("paragraph_id", "owner_id", "gold", "line")


class FirstLines:
    """The line of each key's first record in one import."""

    def __init__(self, session: DbSession) -> None:
        self.session = session
        self.table = ScratchTable(session, IMPORT_FIRST_LINES)

    def repeated(self, records: Sequence[tuple[Key, int | None]]) -> tuple[int, int | None] | None:
        """The first of the batch's records (key, line) whose key an earlier record named, as
        (its index in `records`, the earlier line); None when there is none, and the batch's
        keys are then remembered."""
        self.table.ready()
        first = self._earlier(sorted({key[0] for key, _ in records}))
        flags = stored_flags(self.session, IMPORT_FIRST_LINES, "gold")
        new: list[tuple[int, int, Any, int | None]] = []
        for index, (key, line) in enumerate(records):
            if key in first:
                return index, first[key]
            first[key] = line
            new.append((key[0], key[1], flags[key[2]], line))
        self.table.insert(_COLUMNS, new)
        return None

    def close(self) -> None:
        self.table.close()

    def _earlier(self, paragraph_ids: list[int]) -> dict[Key, int | None]:
        found: dict[Key, int | None] = {}
        connection = self.session.connection()
        for at in range(0, len(paragraph_ids), 500):
            parameters = {"paragraph_ids": paragraph_ids[at : at + 500]}
            for paragraph_id, owner_id, gold, line in connection.execute(_EARLIER, parameters):
                found[(paragraph_id, owner_id, bool(gold))] = line
        return found


#: The lines already read of a batch's paragraphs: built once (building it, and coercing
#: each id of the IN list, cost more than the database's answer), run by Core.
_EARLIER = select(
    IMPORT_FIRST_LINES.c.paragraph_id,
    IMPORT_FIRST_LINES.c.owner_id,
    IMPORT_FIRST_LINES.c.gold,
    IMPORT_FIRST_LINES.c.line,
).where(IMPORT_FIRST_LINES.c.paragraph_id.in_(bindparam("paragraph_ids", expanding=True)))
