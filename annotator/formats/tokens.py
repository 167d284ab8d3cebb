"""Tokens for the token-based formats (spaCy/Prodigy, DocBin, CoNLL): no model needed.

Words, numbers and single punctuation marks; a number keeps its inner point or comma
(`3.4`, `52,000`) as spaCy's tokenizer does, so a decimal point never ends a sentence.
Every span boundary is made a token edge, so any span maps to whole tokens.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping, Sequence
from typing import Any

TOKEN = re.compile(r"\d+(?:[.,]\d+)+|\w+|[^\w\s]")


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


def doc_words(text: str, tokens: Sequence[tuple[int, int]]) -> tuple[list[str], list[bool]]:
    """spaCy words and trailing spaces whose concatenation is exactly the text.

    spaCy keeps one space after a token; any other whitespace becomes a token of its own.
    """
    words: list[str] = []
    spaces: list[bool] = []
    position = 0
    for start, end in tokens:
        gap = text[position:start]
        if gap == " " and words:
            spaces[-1] = True
        elif gap:
            words.append(gap)
            spaces.append(False)
        words.append(text[start:end])
        spaces.append(False)
        position = end
    if text[position:]:
        words.append(text[position:])
        spaces.append(False)
    return words, spaces
