"""Every format by name: how its file is named and typed, its writer, and the readers.

Writers consume an iterator of native records and yield chunks, so a response or a file
is written while the database is still being read. Readers turn a file into drafts.
"""

from __future__ import annotations

import json
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any, BinaryIO

from annotator.formats import conll, doccano, labelstudio, native, prodigy
from annotator.formats.drafts import (
    LineReader,
    Parsed,
    RecordDraft,
    detect_kind,
    read_jsonl,
    require_drafts,
    stream_jsonl,
)
from annotator.ingest import JSONL_SUFFIXES

Records = Iterable[dict[str, Any]]
JSONL = "application/x-ndjson; charset=utf-8"
TEXT = "text/plain; charset=utf-8"


@dataclass(frozen=True)
class Format:
    name: str
    title: str
    extension: str
    content_type: str
    write: Callable[[Records, dict[str, Any]], Iterator[str | bytes]]
    needs_records: bool = True


FORMATS: dict[str, Format] = {
    f.name: f
    for f in [
        Format("native", "Native JSONL", "jsonl", JSONL, native.write),
        Format("spacy", "spaCy / Prodigy JSONL", "spacy.jsonl", JSONL, prodigy.write),
        Format(
            "docbin",
            "spaCy DocBin (.spacy)",
            "spacy",
            "application/octet-stream",
            prodigy.write_docbin,
        ),
        Format("doccano", "doccano JSONL", "doccano.jsonl", JSONL, doccano.write),
        Format(
            "labelstudio",
            "Label Studio JSON",
            "labelstudio.json",
            "application/json; charset=utf-8",
            labelstudio.write,
        ),
        Format(
            "labelstudio-config",
            "Label Studio labeling config (XML)",
            "labelstudio.xml",
            "application/xml; charset=utf-8",
            labelstudio.write_config,
            needs_records=False,
        ),
        Format("conll", "CoNLL-2003 BIO (entities)", "conll", TEXT, conll.write),
    ]
}

#: The reader of each kind of JSONL line (see drafts.detect_kind).
LINE_READERS: dict[str, LineReader] = {
    "native": native.read,
    "spacy": prodigy.read,
    "doccano": doccano.read,
}


def parse_annotations(name: str, data: bytes) -> Parsed:
    """Drafts from an annotation file, and the records it marks as rejected.

    A JSON array is a Label Studio export; anything else is read as JSONL, line by line.
    """
    if labelstudio.looks_like_tasks(data):
        return require_drafts(name, labelstudio.read(name, data))
    return require_drafts(name, read_jsonl(name, data, LINE_READERS))


def stream_annotations(
    name: str, handle: BinaryIO, skipped: list[tuple[int, str]]
) -> Iterator[RecordDraft]:
    """parse_annotations for an open file, read as the drafts are consumed: JSONL line by
    line, so an import holds one batch, not the file. A Label Studio export (one JSON
    array) is read whole. Unlike parse_annotations, an empty file yields nothing."""
    if labelstudio.looks_like_tasks(handle.read(64)):
        handle.seek(0)
        parsed = labelstudio.read(name, handle.read())
        skipped.extend(parsed.skipped)
        return iter(parsed.drafts)
    handle.seek(0)
    return stream_jsonl(name, handle, LINE_READERS, skipped)


def parse_annotation_lines(name: str, data: bytes) -> list[RecordDraft]:
    """Only the drafts: what the importer stores."""
    return parse_annotations(name, data).drafts


def is_annotation_file(path: Path) -> bool:
    """A Label Studio export (.json), or JSONL whose first record is an annotation record."""
    if path.suffix.lower() == ".json":
        with path.open("rb") as handle:
            return labelstudio.looks_like_tasks(handle.read(64))
    if path.suffix.lower() not in JSONL_SUFFIXES:
        return False
    with path.open("rb") as handle:
        for raw in handle:
            if raw.strip():
                try:
                    return detect_kind(json.loads(raw)) is not None
                except (ValueError, RecursionError):  # bad JSON, bad UTF-8, 4,301 digits
                    return False  # the article importer then names the line and the problem
    return False
