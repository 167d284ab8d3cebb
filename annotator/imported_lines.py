"""The lines an import brings, for corpus learning (annotator.repeats): a row per learnable
line (digest of the normalised text, article, position) in a temporary table on the
import's connection, written a batch at a time, so that an import holds a batch, not its
file; the database groups them (the lines several new articles share) and reads them back.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from hashlib import blake2b
from typing import Protocol

from sqlalchemy import Column, Integer, LargeBinary, MetaData, Table, func, select

from annotator.models import DbSession, Paragraph
from annotator.scratch import ScratchTable
from annotator.text import MAX_LEARNED_CHARS, normalise_line

#: Lines read back per query.
LINE_BATCH = 10_000
#: Digests looked up per query.
BATCH = 500
#: Where a line occurs: article -> flagged there.
Occurrences = dict[int, bool]


class NewParagraph(Protocol):
    @property
    def text(self) -> str: ...
    @property
    def is_boilerplate(self) -> bool: ...


def line_digest(line: str) -> bytes:
    """A normalised line's key in corpus learning: 16 bytes whatever the line's length, so
    that the import's table of lines stays small and compares keys, not texts."""
    return blake2b(line.encode("utf-8", "surrogatepass"), digest_size=16).digest()


#: The learnable lines of the articles an import stores, kept in the database (a temporary
#: table, the import's own connection) rather than in memory: an import holds a batch, not
#: the file, and the database finds the lines several articles share (GROUP BY).
IMPORT_LINES = Table(
    "import_line",
    MetaData(),
    Column("line_no", Integer, primary_key=True, autoincrement=False),
    Column("source_no", Integer, nullable=False),
    Column("digest", LargeBinary(16), nullable=False),
    Column("article_id", Integer, nullable=False),
    Column("position", Integer, nullable=False),
    prefixes=["TEMPORARY"],
)
_LINE_COLUMNS = ("line_no", "source_no", "digest", "article_id", "position")


@dataclass
class SourceSpan:
    """One source's share of an import: its number in IMPORT_LINES and the span of its new
    article ids."""

    number: int
    low: int
    high: int


class ImportedLines:
    """What corpus learning needs of the articles an import stores, written as each batch is
    stored (``add``): a row per learnable line (digest, article, position) in IMPORT_LINES,
    and per source the span of its new ids. The texts stay in the paragraphs, read back when
    needed; ``close`` drops the table (a rollback does too)."""

    def __init__(self, session: DbSession) -> None:
        self.session = session
        self.sources: dict[str | None, SourceSpan] = {}
        self.count = 0
        self.table = ScratchTable(session, IMPORT_LINES)

    def add(self, stored: Sequence[tuple[int, str | None, Sequence[NewParagraph]]]) -> None:
        """A batch of stored articles (id, source, paragraphs in position order)."""
        rows: list[tuple[int, int, bytes, int, int]] = []
        for article_id, source, paragraphs in stored:
            number = self._span(article_id, source).number
            for position, paragraph in enumerate(paragraphs):
                line = normalise_line(paragraph.text)
                if _learnable(paragraph, line):
                    key = line_digest(line)
                    rows.append((self.count + len(rows), number, key, article_id, position))
        self.table.insert(_LINE_COLUMNS, rows)
        self.count += len(rows)

    def close(self) -> None:
        self.table.close()

    def _span(self, article_id: int, source: str | None) -> SourceSpan:
        span = self.sources.get(source)
        if span is None:
            span = self.sources[source] = SourceSpan(len(self.sources), article_id, article_id)
        span.low, span.high = min(span.low, article_id), max(span.high, article_id)
        return span


def shared_by_new_articles(session: DbSession) -> dict[int, dict[bytes, Occurrences]]:
    """source number -> line digest -> new article -> False, for the lines that two or more
    new articles of a source hold: the database groups the import's lines, Python sees only
    the lines that repeat."""
    lines = IMPORT_LINES.c
    several = (
        select(lines.source_no, lines.digest)
        .group_by(lines.source_no, lines.digest)
        .having(func.count(lines.article_id.distinct()) >= 2)
        .subquery()
    )
    query = select(lines.source_no, lines.digest, lines.article_id).join(
        several, (several.c.source_no == lines.source_no) & (several.c.digest == lines.digest)
    )
    shared: dict[int, dict[bytes, Occurrences]] = defaultdict(dict)
    for number, key, article_id in session.execute(query):
        shared[number].setdefault(bytes(key), {})[article_id] = False
    return shared


def add_new_holders(
    session: DbSession, number: int, older: dict[bytes, Occurrences], seen: dict[bytes, Occurrences]
) -> None:
    """The new articles that hold the lines found in older articles, for lines not in
    ``seen`` yet (one new article holds them)."""
    missing = sorted(key for key in older if key not in seen)
    lines = IMPORT_LINES.c
    for batch in _batches(missing):
        query = select(lines.digest, lines.article_id).where(
            lines.source_no == number, lines.digest.in_(batch)
        )
        for key, article_id in session.execute(query):
            seen.setdefault(bytes(key), {})[article_id] = False


def written_lines(session: DbSession, number: int) -> Iterator[list[str]]:
    """The source's new learnable lines as written and normalised, LINE_BATCH at a time,
    read back from the database (flushed, same transaction) through IMPORT_LINES."""
    lines = IMPORT_LINES.c
    after = -1
    while True:
        query = (
            select(lines.line_no, Paragraph.text)
            .join(
                Paragraph,
                (Paragraph.article_id == lines.article_id) & (Paragraph.position == lines.position),
            )
            .where(lines.source_no == number, lines.line_no > after)
            .order_by(lines.line_no)
            .limit(LINE_BATCH)
        )
        rows = session.execute(query).all()
        if not rows:
            return
        after = rows[-1][0]
        written: set[str] = set()
        for _, text in rows:
            written.update((normalise_line(text), text.strip(" ")))
        yield sorted(written)


def _learnable(paragraph: NewParagraph, line: str) -> bool:
    return not paragraph.is_boilerplate and 0 < len(line) <= MAX_LEARNED_CHARS


def _batches(items: Sequence[bytes]) -> Iterator[list[bytes]]:
    for start in range(0, len(items), BATCH):
        yield list(items[start : start + BATCH])
