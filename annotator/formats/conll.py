"""CoNLL-2003 BIO (writer only): entity tokens, one per line, a blank line after a sentence.

`token -X- _ TAG` per line; a `-DOCSTART-` line opens each document.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator, Sequence
from typing import Any

from annotator.formats.tokens import aligned_tokens, span_boundaries

SENTENCE_END = {".", "!", "?"}


def write(records: Iterable[dict[str, Any]], schema: dict[str, Any]) -> Iterator[str]:
    document = None
    for record in records:
        key = (record["article"]["id"], record["annotator"])
        lines = conll_lines(record, first_of_document=key != document)
        document = key
        yield "".join(line + "\n" for line in lines)


def conll_lines(record: dict[str, Any], first_of_document: bool) -> Iterator[str]:
    """BIO-tagged entity tokens, one per line, a blank line after each sentence."""
    if first_of_document:
        yield "-DOCSTART- -X- O O"
        yield ""
    text = record["text"]
    entities = record["entities"]
    sentence: list[str] = []
    for start, end in aligned_tokens(text, span_boundaries({"entities": entities, "claims": []})):
        sentence.append(f"{text[start:end]} -X- _ {_bio(entities, start, end)}")
        if text[start:end] in SENTENCE_END and _outside(entities, end):
            yield from (*sentence, "")
            sentence = []
    if sentence:
        yield from (*sentence, "")


def _bio(entities: Sequence[dict[str, Any]], start: int, end: int) -> str:
    for e in entities:
        if e["start"] <= start and end <= e["end"]:
            return f"{'B' if start == e['start'] else 'I'}-{e['label']}"
    return "O"


def _outside(entities: Sequence[dict[str, Any]], offset: int) -> bool:
    return all(not (e["start"] < offset < e["end"]) for e in entities)
