"""Pure text functions: normalise, split into paragraphs, mark boilerplate, hash, check offsets.

Offsets everywhere in annotator are Unicode code points (Python string indices), end exclusive.
"""

from __future__ import annotations

import hashlib
import json
import re
from bisect import bisect_left
from collections.abc import Callable, Collection, Iterable, Mapping, Sequence
from dataclasses import dataclass

#: Longer lines are never learned as a source's boilerplate: footers and promos are short.
MAX_LEARNED_CHARS = 1000


@dataclass(frozen=True)
class ParagraphDraft:
    """A paragraph before it is stored: its exact text and whether it is boilerplate."""

    text: str
    is_boilerplate: bool


def normalise_newlines(text: str) -> str:
    """CRLF and lone CR become LF; nothing else about the text changes."""
    return text.replace("\r\n", "\n").replace("\r", "\n")


#: A line a reader sees as empty: whitespace and invisible format characters only (zero-
#: width space and joiners, word joiner, BOM, soft hyphen). str.strip() keeps U+200B, so a
#: line of one became an empty-looking paragraph to annotate.
BLANK = re.compile(r"[\s\u00ad\u180e\u200b-\u200f\u2060-\u2064\ufeff]*\Z")


def is_blank(line: str) -> bool:
    return BLANK.match(line) is not None


def split_title_and_body(text: str) -> tuple[str, list[str]]:
    """The first non-empty line is the title; every further non-empty line is a paragraph."""
    lines = [line for line in normalise_newlines(text).split("\n") if not is_blank(line)]
    if not lines:
        return "", []
    return lines[0].strip(), lines[1:]


def split_paragraphs(text: str) -> list[str]:
    """Each non-empty line is a paragraph, kept exactly as written."""
    return [line for line in normalise_newlines(text).split("\n") if not is_blank(line)]


def mark_boilerplate(
    paragraphs: Sequence[str], repeated: Collection[str] = ()
) -> list[ParagraphDraft]:
    """Each paragraph with its boilerplate flag (see annotator.detection for the rules).

    Nothing is removed: the flag only greys a paragraph and keeps it out of the queue.
    """
    flags = _boilerplate_flags(paragraphs, repeated)
    return [ParagraphDraft(text, flag) for text, flag in zip(paragraphs, flags, strict=True)]


def guess_source(paragraphs: Sequence[str]) -> str | None:
    """The outlet an article's paragraphs name, if any (annotator.detection)."""
    from annotator.detection import guess_source as guess  # loaded here: _boilerplate_flags

    return guess(paragraphs)


def is_single_line_boilerplate(text: str) -> bool:
    """Whether one line is boilerplate on its own (annotator.detection)."""
    from annotator.detection import is_single_line_boilerplate as single  # as above

    return single(text)


def _boilerplate_flags(paragraphs: Sequence[str], repeated: Collection[str]) -> list[bool]:
    """annotator.detection's flags. Its rules are some sixty regular expressions, compiled as
    it is imported (0.02 s); pages and forms import this module for its other functions, so
    detection loads at the first use of its own, not as the server starts."""
    from annotator.detection import boilerplate_flags

    return boilerplate_flags(paragraphs, repeated)


def normalise_line(text: str) -> str:
    """A paragraph's text for comparison across articles: whitespace runs become one space.
    split and join run in C at a few bytes a step: three times faster than a regex that
    first looks for untidy space, which tries four alternatives at every character. A text
    already normal is returned itself, so that corpus learning holds one copy of it."""
    if _already_normal(text):
        return text
    joined = " ".join(text.split())
    return text if joined == text else joined


def _already_normal(text: str) -> bool:
    """Whether split and join would give the text back: every character str.split splits on
    is the ASCII space or not printable (tests/test_text.py checks each code point), so a
    printable text with no doubled, leading or trailing space has nothing to collapse. The
    check allocates nothing, where split makes a string per word: half the cost of a line."""
    return (
        text.isprintable()
        and "  " not in text
        and not text.startswith(" ")
        and not text.endswith(" ")
    )


def content_hash(title: str, paragraphs: Iterable[str]) -> str:
    """A stable fingerprint of an article's title and paragraphs, for idempotent imports:
    the SHA-256 of the compact JSON ``[title, [paragraph, ...]]`` (stored: it never changes)."""
    texts = [title, *paragraphs]
    payload = _plain_json_texts(texts)
    if payload is None:
        written = json.dumps([title, texts[1:]], ensure_ascii=False, separators=(",", ":"))
        payload = written.encode("utf-8")
    return hashlib.sha256(payload).hexdigest()


#: What JSON escapes in a string written with ensure_ascii=False, as UTF-8 (in which these
#: bytes stand for these characters only): quote, backslash and the control characters.
_JSON_ESCAPED = tuple(bytes([byte]) for byte in [*range(0x20), ord('"'), ord("\\")])


def _plain_json_texts(texts: list[str]) -> bytes | None:
    """json.dumps' UTF-8 for [title, [paragraphs]] written by hand when no text holds what
    JSON escapes (most articles), or None. The encoder scans each character to escape it, a
    third of content_hash; searching the encoded bytes for each escaped byte is cheaper."""
    try:
        encoded = [text.encode("utf-8") for text in texts]
    except UnicodeEncodeError:
        return None  # json.dumps' text then fails to encode as before
    if len(encoded) < 2 or any(map(b"".join(encoded).__contains__, _JSON_ESCAPED)):
        return None
    return b'["' + encoded[0] + b'",["' + b'","'.join(encoded[1:]) + b'"]]'


def span_error(text: str, start: object, end: object) -> str | None:
    """Why (start, end) is not a valid code-point span of text, or None when it is."""
    if type(start) is int and type(end) is int and 0 <= start < end <= len(text):
        return None  # most spans: plain ints, in order, inside the text
    if isinstance(start, bool) or isinstance(end, bool):
        return "offsets must be integers"
    if not isinstance(start, int) or not isinstance(end, int):
        return "offsets must be integers"
    if not 0 <= start < end <= len(text):
        return f"offsets must satisfy 0 <= start < end <= {len(text)}"
    return None


def to_utf16(text: str, offset: int) -> int:
    """The UTF-16 unit index of a code-point offset: what JavaScript tools (doccano) count."""
    if text.isascii():
        return offset
    try:  # the codec counts in C; a lone surrogate (never stored) takes the slow way
        return len(text[:offset].encode("utf-16-le")) // 2
    except UnicodeEncodeError:
        return offset + sum(1 for char in text[:offset] if ord(char) > 0xFFFF)


def from_utf16(text: str, units: int) -> int | None:
    """The code-point offset of a UTF-16 unit index, or None inside a surrogate pair or past
    the end of the text."""
    if text.isascii():
        return units if 0 <= units <= len(text) else None
    if units < 0:
        return None
    try:
        encoded = text.encode("utf-16-le")
    except UnicodeEncodeError:
        return _from_utf16_slowly(text, units)
    if 2 * units > len(encoded):
        return None
    try:  # a cut inside a surrogate pair leaves half a character, which does not decode
        return len(encoded[: 2 * units].decode("utf-16-le"))
    except UnicodeDecodeError:
        return None


#: A character beyond the Basic Multilingual Plane: two UTF-16 units.
_ASTRAL = re.compile("[\U00010000-\U0010ffff]")


def utf16_reader(text: str) -> tuple[int, Callable[[int], int | None]]:
    """For many offsets into one encodable text: its length in UTF-16 units, and from_utf16
    for it, which finds the text's characters beyond the BMP once rather than per offset."""
    pairs = _surrogate_pairs(text)
    length = len(text) + len(pairs)

    def points(units: int) -> int | None:
        if not 0 <= units <= length:
            return None
        before = bisect_left(pairs, units)  # pairs that start before this unit
        if before and pairs[before - 1] + 1 == units:
            return None  # between the two halves of a pair
        return units - before

    return length, points


def utf16_writer(text: str) -> Callable[[int], int]:
    """to_utf16 for many offsets into one text: its characters beyond the BMP are found once,
    instead of encoding the text up to every offset (a doccano export converts four offsets
    per entity, and that encoding was an eighth of its time)."""
    if text.isascii():
        return _unchanged
    astral = [match.start() for match in _ASTRAL.finditer(text)]
    length = len(text)

    def units(offset: int) -> int:
        if not 0 <= offset <= length:
            return to_utf16(text, offset)  # outside the text: whatever slicing makes of it
        return offset + bisect_left(astral, offset)  # one more unit per pair before it

    return units


def _unchanged(offset: int) -> int:
    return offset


def _surrogate_pairs(text: str) -> list[int]:
    """Where each character beyond the BMP starts, in UTF-16 units; most texts have none,
    which isascii or the length of its UTF-16 encoding tells faster than the scan."""
    if text.isascii() or len(text.encode("utf-16-le", "surrogatepass")) == 2 * len(text):
        return []
    return [match.start() + n for n, match in enumerate(_ASTRAL.finditer(text))]


def _from_utf16_slowly(text: str, units: int) -> int | None:
    counted = 0
    for index, char in enumerate(text):
        if counted == units:
            return index
        counted += 2 if ord(char) > 0xFFFF else 1
        if counted > units:
            return None
    return len(text) if counted == units else None


#: A JSON escape of a UTF-16 surrogate that the decoder does not pair: a high half not
#: followed by a low one, or a low half not preceded by a high one. Only such an escape gives
#: a string that does not encode (a lone surrogate); a pair is one character beyond the BMP,
#: as every emoji in a file written with json.dumps' defaults. A low half counts as paired
#: only when the high half's backslash follows a character other than a backslash, which
#: surely starts an escape; anything less certain is reported, and the value is walked.
_LONE_SURROGATE_ESCAPE = re.compile(
    r"\\u[dD](?:[89abAB][0-9a-fA-F]{2}(?!\\u[dD][c-fC-F][0-9a-fA-F]{2})"
    r"|(?<![^\\]\\u[dD][89abAB][0-9a-fA-F]{2}\\u[dD])[c-fC-F][0-9a-fA-F]{2})"
)


#: The JSON escape of a NUL character (an escaped backslash before it, the text "\\u0000",
#: is reported too, and the value walked).
_NUL_ESCAPE = "\\u0000"


def storable_json_source(source: str) -> bool:
    """Whether every string that JSON text decodes to surely can be stored, seen from the
    text alone (C-speed); False means walk the value with unstorable_path."""
    return (
        _encodable(source)
        and _NUL_ESCAPE not in source
        and _LONE_SURROGATE_ESCAPE.search(source) is None
    )


def unstorable_path(value: object) -> str | None:
    """The dotted path (``attributes.claimant.text``, ``paragraphs.2``) of the first string,
    key or value, that cannot be stored: one that cannot be encoded as UTF-8, or that holds a
    NUL character; "" when value itself is one; None when all its text can be stored.

    A JSON ``"\\ud800"`` escape decodes to such a string (a lone surrogate). Stored, it breaks
    every export that meets it; a NUL (``"\\u0000"``) PostgreSQL's text refuses outright. So
    both are refused at the door. The walk keeps its own stack: nesting deep enough to
    exhaust Python's cannot make it fail.
    """
    stack: list[tuple[str, object]] = [("", value)]
    while stack:
        path, item = stack.pop()
        if isinstance(item, str):
            if not _encodable(item) or "\x00" in item:
                return path
        elif isinstance(item, Mapping):
            stack.extend(reversed(_entries(path, item)))
        elif isinstance(item, list | tuple):
            stack.extend(reversed([(_joined(path, str(i)), v) for i, v in enumerate(item)]))
    return None


def _entries(path: str, mapping: Mapping[object, object]) -> list[tuple[str, object]]:
    """Each key, then its value, both at the key's path: a bad key is named by its own path."""
    entries: list[tuple[str, object]] = []
    for key, child in mapping.items():
        name = key if isinstance(key, str) else str(key)
        at = _joined(path, name.encode("utf-8", "backslashreplace").decode("utf-8"))
        entries += [(at, name), (at, child)]
    return entries


def _joined(path: str, name: str) -> str:
    return f"{path}.{name}" if path else name


def _encodable(text: str) -> bool:
    if text.isascii():
        return True
    try:
        text.encode("utf-8")
    except UnicodeEncodeError:
        return False
    return True
