"""The spaCy JSONL export's tokens: the one-pass way (spacy_token_dicts) gives exactly the
tokens of the general way (aligned_tokens, then spacy_tokens), and every span maps to whole
tokens, whatever the whitespace, script or place of the span edges."""

from __future__ import annotations

import random
from typing import Any

import pytest

from annotator.formats.tokens import (
    aligned_tokens,
    spacy_token_dicts,
    spacy_tokens,
    token_of_end,
    token_of_start,
)

#: Words, numbers, punctuation and every kind of whitespace the export meets.
PIECES = [
    "Alice", "said", "52,000", "3.4", "東京都", "😀", "👩🏽‍💻", "مرحبا", ".", ",", "!", "'",
    "(", "x", "1", " ", " ", " ", "  ", "\t", "\n", "\u00a0", "\u3000", " \n ",
]  # fmt: skip


def general_way(text: str, boundaries: set[int]) -> list[dict[str, Any]]:
    """What the export wrote before the one-pass way: the specification."""
    return [
        {"text": text[s:e], "start": s, "end": e, "id": i, "ws": space}
        for i, (s, e, space) in enumerate(spacy_tokens(text, aligned_tokens(text, boundaries)))
    ]


def random_text(chance: random.Random) -> str:
    return "".join(chance.choice(PIECES) for _ in range(chance.randint(0, 25)))


def random_boundaries(chance: random.Random, text: str) -> set[int]:
    """Span edges anywhere: at word edges, inside words, at the ends."""
    return {chance.randint(0, len(text)) for _ in range(chance.randint(0, 4))}


@pytest.mark.parametrize("seed", range(20))
def test_one_pass_tokens_are_the_general_ways(seed: int) -> None:
    chance = random.Random(seed)
    for _ in range(200):
        text = random_text(chance)
        boundaries = random_boundaries(chance, text)
        tokens, starts = spacy_token_dicts(text, boundaries)
        assert tokens == general_way(text, boundaries), (text, boundaries)
        assert starts == [t["start"] for t in tokens]


def test_tokens_rebuild_the_text_exactly() -> None:
    text = " Alice  said\tno.\u00a0Bob 😀 left "
    tokens, _ = spacy_token_dicts(text, set())
    rebuilt = "".join(t["text"] + (" " if t["ws"] else "") for t in tokens)
    assert rebuilt == text
    # A leading space, two spaces and a final space are tokens; one space between words is not.
    assert [t["text"] for t in tokens][:4] == [" ", "Alice", "  ", "said"]
    assert tokens[-1]["text"] == " " and tokens[-2]["ws"] is False


def test_a_span_inside_a_word_splits_the_word() -> None:
    text = "Washington-based Acme"
    tokens, starts = spacy_token_dicts(text, {0, 10})  # the span "Washington"
    assert [t["text"] for t in tokens] == ["Washington", "-", "based", "Acme"]
    text = "NewYork Times"
    tokens, starts = spacy_token_dicts(text, {3, 7})  # the span "York"
    assert [t["text"] for t in tokens] == ["New", "York", "Times"]
    assert (token_of_start(starts, 3), token_of_end(starts, 7)) == (1, 1)


@pytest.mark.parametrize("seed", range(5))
def test_every_span_maps_to_the_tokens_at_its_edges(seed: int) -> None:
    chance = random.Random(seed)
    for _ in range(200):
        text = random_text(chance)
        words = [(t["start"], t["end"]) for t in spacy_token_dicts(text, set())[0]]
        words = [(s, e) for s, e in words if not text[s:e].isspace()]
        if not words:
            continue
        first = chance.randrange(len(words))
        last = chance.randrange(first, len(words))
        start, end = words[first][0], words[last][1]
        tokens, starts = spacy_token_dicts(text, {start, end})
        assert tokens[token_of_start(starts, start)]["start"] == start
        assert tokens[token_of_end(starts, end)]["end"] == end
