"""Every export format: its file name, content type, and a writer from native records to text.

Writers consume an iterator of native records and yield chunks, so a response or a file
is written while the database is still being read.
"""

from __future__ import annotations

import json
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass
from itertools import groupby
from typing import Any

from annotator.export import interop, labelstudio
from annotator.export.spacy_docs import docbin_bytes

Records = Iterable[dict[str, Any]]


@dataclass(frozen=True)
class Format:
    name: str
    title: str
    extension: str
    content_type: str
    write: Callable[[Records, dict[str, Any]], Iterator[str | bytes]]
    needs_records: bool = True


def jsonl(record: dict[str, Any]) -> str:
    return json.dumps(record, ensure_ascii=False, separators=(",", ":")) + "\n"


def _native(records: Records, schema: dict[str, Any]) -> Iterator[str]:
    return (jsonl(r) for r in records)


def _spacy(records: Records, schema: dict[str, Any]) -> Iterator[str]:
    return (jsonl(interop.spacy_record(r, schema["sentiment"])) for r in records)


def _doccano(records: Records, schema: dict[str, Any]) -> Iterator[str]:
    return (jsonl(interop.doccano_record(r, i)) for i, r in enumerate(records, start=1))


def _labelstudio(records: Records, schema: dict[str, Any]) -> Iterator[str]:
    """A JSON array written task by task: one task per paragraph, its annotators grouped."""
    yield "["
    by_paragraph = groupby(records, key=lambda r: (r["article"]["id"], r["paragraph_index"]))
    for number, (_, group) in enumerate(by_paragraph, start=1):
        task = labelstudio.task(list(group), number)
        yield ("\n" if number == 1 else ",\n") + json.dumps(task, ensure_ascii=False)
    yield "\n]\n"


def _labelstudio_config(records: Records, schema: dict[str, Any]) -> Iterator[str]:
    yield labelstudio.labeling_config(schema)


def _conll(records: Records, schema: dict[str, Any]) -> Iterator[str]:
    document = None
    for record in records:
        key = (record["article"]["id"], record["annotator"])
        lines = interop.conll_lines(record, first_of_document=key != document)
        document = key
        yield "".join(line + "\n" for line in lines)


def _docbin(records: Records, schema: dict[str, Any]) -> Iterator[bytes]:
    yield docbin_bytes(records, schema["sentiment"])


FORMATS: dict[str, Format] = {
    f.name: f
    for f in [
        Format("native", "Native JSONL", "jsonl", "application/x-ndjson; charset=utf-8", _native),
        Format(
            "spacy",
            "spaCy / Prodigy JSONL",
            "spacy.jsonl",
            "application/x-ndjson; charset=utf-8",
            _spacy,
        ),
        Format("docbin", "spaCy DocBin (.spacy)", "spacy", "application/octet-stream", _docbin),
        Format(
            "doccano",
            "doccano JSONL",
            "doccano.jsonl",
            "application/x-ndjson; charset=utf-8",
            _doccano,
        ),
        Format(
            "labelstudio",
            "Label Studio JSON",
            "labelstudio.json",
            "application/json; charset=utf-8",
            _labelstudio,
        ),
        Format(
            "labelstudio-config",
            "Label Studio labeling config (XML)",
            "labelstudio.xml",
            "application/xml; charset=utf-8",
            _labelstudio_config,
            needs_records=False,
        ),
        Format("conll", "CoNLL-2003 BIO (entities)", "conll", "text/plain; charset=utf-8", _conll),
    ]
}


def encoded(chunks: Iterable[str | bytes]) -> Iterator[bytes]:
    """Bytes for a response or a binary file."""
    for chunk in chunks:
        yield chunk.encode("utf-8") if isinstance(chunk, str) else chunk
