"""Tokens for the token-based formats (spaCy/Prodigy, DocBin, CoNLL): no model needed.

Words, numbers and single punctuation marks; a number keeps its inner point or comma
(`3.4`, `52,000`) as spaCy's tokenizer does, so a decimal point never ends a sentence.
Every span boundary is made a token edge, so any span maps to whole tokens. A span's edge
whitespace is left out (`trimmed`): no token holds it.
"""

from __future__ import annotations

import re
from bisect import bisect_right
from collections.abc import Collection, Iterable, Mapping, Sequence
from itertools import accumulate
from typing import Any

TOKEN = re.compile(r"\d+(?:[.,]\d+)+|\w+|[^\w\s]")
#: The text in pieces that tile it: a TOKEN with the single space spaCy keeps after it (one
#: space, then more text), or a run of other whitespace, which is a spaCy token of its own.
#: findall gives (token, space, whitespace) for each piece, one of token and whitespace empty.
SPACY_PIECE = re.compile(r"(\d+(?:[.,]\d+)+|\w+|[^\w\s])( (?=\S))?|(\s+)")


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


def spacy_token_dicts(
    text: str, boundaries: Collection[int]
) -> tuple[list[dict[str, Any]], list[int]]:
    """spacy_tokens of aligned_tokens as Prodigy's token dicts (text, start, end, id, ws),
    and the tokens' starts (for token_of_start and token_of_end).

    Made in one regex pass over the text when no boundary cuts a word, which is almost
    always (spans are whole words): the spaCy JSONL export spent two thirds of its time
    walking tokens one by one in Python (issue 13). A boundary inside a word takes the
    general way, which splits that word."""
    found = SPACY_PIECE.findall(text)
    starts = [0, *accumulate([len(t) + len(space) + len(w) for t, space, w in found])]
    if any(_cuts_a_word(found, starts, boundary) for boundary in boundaries):
        tokens = spacy_tokens(text, aligned_tokens(text, boundaries))
        dicts = [
            {"text": text[s:e], "start": s, "end": e, "id": i, "ws": space}
            for i, (s, e, space) in enumerate(tokens)
        ]
        return dicts, [s for s, _, _ in tokens]
    del starts[-1]  # the end of the text, not a token's start
    dicts = [
        {"text": t or w, "start": s, "end": s + len(t or w), "id": i, "ws": space == " "}
        for i, ((t, space, w), s) in enumerate(zip(found, starts, strict=True))
    ]
    return dicts, starts


def _cuts_a_word(found: Sequence[tuple[str, str, str]], starts: list[int], at: int) -> bool:
    """Whether `at` falls strictly inside a token of SPACY_PIECE's pieces."""
    index = bisect_right(starts, at) - 1
    if index >= len(found) or starts[index] == at:
        return False
    return at < starts[index] + len(found[index][0])


def token_of_start(starts: Sequence[int], start: int) -> int:
    """The index of the token that starts at `start` (a token edge)."""
    return bisect_right(starts, start) - 1


def token_of_end(starts: Sequence[int], end: int) -> int:
    """The index of the token that ends at `end` (a token edge): the last to start before."""
    return bisect_right(starts, end - 1) - 1


def doc_words(text: str, tokens: Sequence[tuple[int, int]]) -> tuple[list[str], list[bool]]:
    """spaCy words and trailing spaces whose concatenation is exactly the text."""
    found = spacy_tokens(text, tokens)
    return [text[start:end] for start, end, _ in found], [space for _, _, space in found]
