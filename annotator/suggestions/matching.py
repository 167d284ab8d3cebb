"""Finding a labelled string again: whole words, same case, in code points.

Pure functions. "Whole word" must hold in every script: a match may not start or end inside
a word of a space-delimited script (Latin, Cyrillic, Hangul...), while scripts written
without spaces (Han, kana, Thai...) and emoji never join a match to its neighbours.

A hyphen ('-', U+2010, U+2011) between two such words joins them too, as the workspace's
snapping does (static/js/spans.js): "Tae" is not suggested in "Tae-yul", nor "Taiwan" in
"Taiwan-related" or "China" in "one-China". The one exception is the one the workspace
makes for a pairing of capitalised words where one is an acronym ("US-China", "China-EU"):
the workspace splits it so that each country can be tagged, and so each is a match. The
workspace also splits "one-China" (a lowercase word before a capitalised one) so that a
person may still tag the name by hand; suggestions are stricter there, since such a name
is mostly part of a modifier ("one-China principle", "pro-Beijing") rather than a mention.
An apostrophe or an en dash never joins: "China" matches in "China's" and "US–China".
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
#: The hyphens the workspace's snapping treats as joining words (static/js/spans.js HYPHEN).
HYPHENS = "-\u2010\u2011"


def joins(char: str) -> bool:
    """Whether char continues a word: a letter, digit or mark of a space-delimited script."""
    if unicodedata.category(char)[0] not in "LNM":
        return False
    return not unicodedata.name(char, "").startswith(UNSPACED)


def whole_word_at(text: str, start: int, end: int) -> bool:
    """Whether text[start:end] is not glued to a word character on either side, directly
    or by a joining hyphen."""
    before = start > 0 and joins(text[start - 1]) and joins(text[start])
    after = end < len(text) and joins(text[end]) and joins(text[end - 1])
    return not before and not after and not hyphenated_at(text, start, end)


def hyphenated_at(text: str, start: int, end: int) -> bool:
    """Whether text[start:end] is glued by a joining hyphen to a word before or after it."""
    before = start > 1 and text[start - 1] in HYPHENS and _hyphen_joins(text, start - 1)
    after = end + 1 < len(text) and text[end] in HYPHENS and _hyphen_joins(text, end)
    return before or after


def _hyphen_joins(text: str, i: int) -> bool:
    """Whether the hyphen text[i] joins the words on its sides: both are words of a
    space-delimited script, and they are not an acronym pairing such as "US-China"."""
    if not (joins(text[i - 1]) and joins(text[i + 1])):
        return False
    left, right = _run(text, i - 1, -1), _run(text, i + 1, 1)
    return not (_capitalised(left) and _capitalised(right) and _pairing(left, right))


def _pairing(left: str, right: str) -> bool:
    """Two capitalised words the workspace keeps apart: one of them is an acronym."""
    return _acronym(left) or _acronym(right)


def _capitalised(word: str) -> bool:
    return unicodedata.category(word[0]) == "Lu"


def _acronym(word: str) -> bool:
    return len(word) > 1 and word == word.upper()


def _run(text: str, i: int, step: int) -> str:
    """The run of letters, digits and marks at text[i], reading in direction step (+1 or -1)."""
    j = i
    while 0 <= j < len(text) and unicodedata.category(text[j])[0] in "LNM":
        j += step
    return text[j + 1 : i + 1] if step < 0 else text[i:j]


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
