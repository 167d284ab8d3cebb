"""An export from filters to bytes: shared by the web endpoint, the CLI and the benchmark."""

from __future__ import annotations

import re
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from datetime import date

from annotator.export.filters import ExportFilters, FilterError
from annotator.export.stream import plan_export, stream_records
from annotator.formats.prodigy import spacy_available
from annotator.formats.registry import FORMATS, Format
from annotator.models import DbSession, Project


@dataclass(frozen=True)
class Export:
    format: Format
    filename: str
    chunks: Iterator[bytes]


def build_export(session: DbSession, project: Project, filters: ExportFilters) -> Export:
    """Resolve the filters now (errors before any byte is sent), stream the rows later."""
    fmt = FORMATS[filters.format]
    if fmt.name == "docbin" and not spacy_available():
        raise FilterError("format", "the .spacy format needs spaCy installed on the server")
    plan = plan_export(session, project, filters)
    records = stream_records(session, plan) if fmt.needs_records else iter(())
    return Export(
        fmt,
        export_filename(project, filters, fmt),
        encoded(fmt.write(records, project.label_schema)),
    )


def export_filename(project: Project, filters: ExportFilters, fmt: Format) -> str:
    """The download's name, safe in a Content-Disposition header whatever the slug holds: a
    project made before slugs were checked to their end may hold a newline or a quote."""
    grouping = "-by-article" if filters.by == "article" and fmt.name == "native" else ""
    slug = UNSAFE_IN_FILENAME.sub("-", project.slug) or "project"
    return f"{slug}-{date.today().isoformat()}{grouping}.{fmt.extension}"


UNSAFE_IN_FILENAME = re.compile(r"[^A-Za-z0-9._-]")


#: What the writers' lines are gathered into before a write: one socket write (and one
#: chunk header) per record cost more than the record's encoding on a large export.
CHUNK_BYTES = 64 * 1024


def encoded(chunks: Iterable[str | bytes]) -> Iterator[bytes]:
    """Bytes for a response or a binary file; never fails halfway on a lone surrogate.

    Every writer already escapes or replaces them (formats/safe.py); should one forget, the
    surrogate comes out as its `\\udXXXX` escape rather than ending the stream mid-file.
    Lines are gathered into chunks of about CHUNK_BYTES, so memory stays flat.
    """
    pending: list[bytes] = []
    size = 0
    for chunk in chunks:
        data = chunk.encode("utf-8", "backslashreplace") if isinstance(chunk, str) else chunk
        pending.append(data)
        size += len(data)
        if size >= CHUNK_BYTES:
            yield b"".join(pending)
            pending, size = [], 0
    if pending:
        yield b"".join(pending)
