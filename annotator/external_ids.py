"""One external id names one article: an import refuses two records that share an id with
different text, naming both, across all its batches.

The first record of each id (its content hash and where it was read) is kept in a temporary
table on the import's connection, not in memory, so that what an import holds follows its
batch, not its file; each batch asks the table about its own ids only.
"""

from __future__ import annotations

from collections.abc import Sequence

from sqlalchemy import Column, Integer, MetaData, String, Table, Text, select

from annotator.models import DbSession
from annotator.scratch import ScratchTable

#: Where a record was read: the file, and the line for JSONL.
Origin = tuple[str, int | None]

IMPORT_EXTERNAL_IDS = Table(
    "import_external_id",
    MetaData(),
    Column("external_id", Text, primary_key=True),
    Column("content_hash", String(64), nullable=False),
    Column("origin_name", Text, nullable=False),
    Column("origin_line", Integer),
    prefixes=["TEMPORARY"],
)
_COLUMNS = ("external_id", "content_hash", "origin_name", "origin_line")


class FirstRecords:
    """Each external id's first record in an import: its hash and origin."""

    def __init__(self, session: DbSession) -> None:
        self.session = session
        self.table = ScratchTable(session, IMPORT_EXTERNAL_IDS)

    def clash(
        self, records: Sequence[tuple[str, str, Origin]]
    ) -> tuple[str, Origin, Origin] | None:
        """The first record (external id, content hash, origin) of the batch whose id an
        earlier record used for different text: (the id, its origin, the earlier one's);
        None when there is none, and the batch's new ids are then remembered."""
        self.table.ready()
        first = self._earlier({external_id for external_id, _, _ in records})
        new: list[tuple[str, str, str, int | None]] = []
        for external_id, digest, origin in records:
            seen = first.get(external_id)
            if seen is None:
                first[external_id] = (digest, origin)
                new.append((external_id, digest, *origin))
            elif seen[0] != digest:
                return external_id, origin, seen[1]
        self.table.insert(_COLUMNS, new)
        return None

    def close(self) -> None:
        self.table.close()

    def _earlier(self, external_ids: set[str]) -> dict[str, tuple[str, Origin]]:
        table = IMPORT_EXTERNAL_IDS.c
        found: dict[str, tuple[str, Origin]] = {}
        ids = sorted(external_ids)
        for at in range(0, len(ids), 500):
            query = select(
                table.external_id, table.content_hash, table.origin_name, table.origin_line
            ).where(table.external_id.in_(ids[at : at + 500]))
            for external_id, digest, name, line in self.session.execute(query):
                found[external_id] = (digest, (name, line))
        return found
