"""Tokens for the token-based formats (spaCy/Prodigy, DocBin, CoNLL): no model needed.

Words, numbers and single punctuation marks; a number keeps its inner point or comma
(`3.4`, `52,000`) as spaCy's tokenizer does, so a decimal point never ends a sentence.
Every span boundary is made a token edge, so any span maps to whole tokens. A span's edge
whitespace is left out (`trimmed`): no token holds it.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping, Sequence
from typing import Any

TOKEN = re.compile(r"\d+(?:[.,]\d+)+|\w+|[^\w\s]")


def trimmed(record: dict[str, Any]) -> dict[str, Any]:
    """The record with its entities and claims trimmed of edge whitespace, and those that
    are only whitespace left out: the rules accept "Alice " (a project may turn the snap to
    words off), but in a token format a span is whole tokens, and whitespace is none."""
    text = record["text"]
    entities = _trimmed(text, record["entities"])
    claims = _trimmed(text, record["claims"])
    if entities is record["entities"] and claims is record["claims"]:
        return record
    return {**record, "entities": entities, "claims": claims}


def _trimmed(text: str, spans: list[dict[str, Any]]) -> list[dict[str, Any]]:
    if all(_clean_edges(text, s["start"], s["end"]) for s in spans):
        return spans  # the usual case: nothing copied
    kept = []
    for span in spans:
        start, end = span["start"], span["end"]
        while start < end and text[start].isspace():
            start += 1
        while end > start and text[end - 1].isspace():
            end -= 1
        if start < end:
            kept.append({**span, "start": start, "end": end, "text": text[start:end]})
    return kept


def _clean_edges(text: str, start: int, end: int) -> bool:
    return start < end and not text[start].isspace() and not text[end - 1].isspace()


def span_boundaries(record: Mapping[str, Any]) -> set[int]:
    """Every start and end of the record's entities and claims."""
    spans = [*record["entities"], *record["claims"]]
    return {s["start"] for s in spans} | {s["end"] for s in spans}


def aligned_tokens(text: str, boundaries: Iterable[int]) -> list[tuple[int, int]]:
    """Token offsets, split further so every boundary is a token edge."""
    cuts = sorted(set(boundaries))
    tokens: list[tuple[int, int]] = []
    next_cut, count = 0, len(cuts)  # tokens come in order: walk the cuts alongside them
    for match in TOKEN.finditer(text):
        start, end = match.span()
        while next_cut < count and cuts[next_cut] <= start:
            next_cut += 1
        while next_cut < count and cuts[next_cut] < end:
            tokens.append((start, cuts[next_cut]))
            start = cuts[next_cut]
            next_cut += 1
        tokens.append((start, end))
    return tokens


def spacy_tokens(text: str, tokens: Sequence[tuple[int, int]]) -> list[tuple[int, int, bool]]:
    """spaCy's tokens of the text: (start, end, followed by a space), rebuilding it exactly.

    spaCy keeps one space after a token; any other whitespace (two spaces, a tab, a
    no-break space, a newline, a leading space) becomes a token of its own.
    """
    found: list[tuple[int, int, bool]] = []
    position = 0
    for start, end in tokens:
        if start > position:
            if text[position:start] == " " and found:
                found[-1] = (found[-1][0], found[-1][1], True)
            else:
                found.append((position, start, False))
        found.append((start, end, False))
        position = end
    if position < len(text):
        found.append((position, len(text), False))
    return found


def doc_words(text: str, tokens: Sequence[tuple[int, int]]) -> tuple[list[str], list[bool]]:
    """spaCy words and trailing spaces whose concatenation is exactly the text."""
    found = spacy_tokens(text, tokens)
    return [text[start:end] for start, end, _ in found], [space for _, _, space in found]
