"""Finding a labelled string again: whole words, same case, in code points.

Pure functions. "Whole word" must hold in every script: a match may not start or end inside
a word of a space-delimited script (Latin, Cyrillic, Hangul...), while scripts written
without spaces (Han, kana, Thai...) and emoji never join a match to its neighbours.
"""

from __future__ import annotations

import unicodedata
from collections.abc import Iterable, Iterator

#: Scripts written without spaces between words: their letters never extend a word.
UNSPACED = (
    "CJK ",
    "HIRAGANA",
    "KATAKANA",
    "HALFWIDTH KATAKANA",
    "IDEOGRAPHIC",
    "BOPOMOFO",
    "THAI ",
    "LAO ",
    "KHMER ",
    "MYANMAR ",
    "TIBETAN ",
    "YI ",
)
MIN_LENGTH = 2


def joins(char: str) -> bool:
    """Whether char continues a word: a letter, digit or mark of a space-delimited script."""
    if unicodedata.category(char)[0] not in "LNM":
        return False
    return not unicodedata.name(char, "").startswith(UNSPACED)


def whole_word_at(text: str, start: int, end: int) -> bool:
    """Whether text[start:end] is not glued to a word character on either side."""
    before = start > 0 and joins(text[start - 1]) and joins(text[start])
    after = end < len(text) and joins(text[end]) and joins(text[end - 1])
    return not before and not after


def find_whole_words(text: str, needle: str) -> Iterator[tuple[int, int]]:
    """Every (start, end) where needle occurs in text as whole words, case-sensitive."""
    if not needle:
        return
    at = text.find(needle)
    while at != -1:
        end = at + len(needle)
        if whole_word_at(text, at, end):
            yield at, end
        at = text.find(needle, at + 1)


def worth_propagating(needle: str) -> bool:
    """Strings too short or without a letter or digit would match all over the text."""
    stripped = needle.strip()
    return (
        len(stripped) >= MIN_LENGTH
        and stripped == needle
        and any(unicodedata.category(c)[0] in "LN" for c in needle)
    )


def non_overlapping(
    spans: Iterable[tuple[int, int]], taken: Iterable[tuple[int, int]]
) -> list[tuple[int, int]]:
    """The spans that share no character with any of `taken`."""
    blocked = list(taken)
    return [(s, e) for s, e in spans if all(e <= ts or te <= s for ts, te in blocked)]
