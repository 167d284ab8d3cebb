"""Output that stored text cannot break: every writer serialises through these.

JSON: U+2028 and U+2029 are escaped, so line-based readers see one record per line, and so
is a lone surrogate, which UTF-8 cannot encode: it is written as a `\\ud800`-style escape,
which Python and JavaScript read back as the same string. Plain text (CoNLL, spaCy's DocBin)
has no escape, so there a lone surrogate becomes U+FFFD: one code point for one, so offsets
stay valid.
"""

from __future__ import annotations

import json
import re
from typing import Any

import orjson

_JSON_UNSAFE = re.compile("[\u2028\u2029\ud800-\udfff]")
_SURROGATE = re.compile("[\ud800-\udfff]")
#: U+2028 or U+2029 in UTF-8. One regular-expression search finds either ten times faster
#: than two `in` tests, which a text full of other U+20xx characters (quotes, dashes) slows.
_SEPARATOR_BYTES = re.compile(b"\xe2\x80[\xa8\xa9]")
REPLACEMENT = "\ufffd"


def json_text(value: Any) -> str:
    """Compact JSON that encodes as UTF-8 and holds no line separator.

    orjson writes the same text as the standard library, ten times faster (bench/, docs/
    benchmarks.md); what it refuses (a lone surrogate, an integer beyond 64 bits, a key
    that is not text) goes through the standard library as before."""
    try:
        text = orjson.dumps(value).decode()
    except (TypeError, orjson.JSONEncodeError):
        text = json.dumps(value, ensure_ascii=False, separators=(",", ":"))
    return _JSON_UNSAFE.sub(_escape, text)


def json_line(record: Any) -> bytes:
    """One JSONL line, as UTF-8 bytes: the writers' chunks go to the response as they are.

    orjson's bytes are used directly unless they hold U+2028/U+2029 (a byte search is far
    cheaper than decoding every line to run the escape over it, and an ASCII line, which
    cannot hold them, is told in a word-at-a-time scan that is cheaper still); what orjson
    refuses takes the standard library's path through json_text."""
    try:
        encoded = orjson.dumps(record, option=orjson.OPT_APPEND_NEWLINE)
    except (TypeError, orjson.JSONEncodeError):
        return (json_text(record) + "\n").encode("utf-8", "backslashreplace")
    if not encoded.isascii() and _SEPARATOR_BYTES.search(encoded):
        return _JSON_UNSAFE.sub(_escape, encoded.decode()).encode()
    return encoded


def plain_text(text: str) -> str:
    """Text that encodes as UTF-8: lone surrogates replaced by U+FFFD."""
    return _SURROGATE.sub(REPLACEMENT, text)


def plain_strings(value: Any) -> Any:
    """plain_text applied to every string in a JSON-like value."""
    if isinstance(value, str):
        return plain_text(value)
    if isinstance(value, list):
        return [plain_strings(v) for v in value]
    if isinstance(value, dict):
        return {plain_strings(k): plain_strings(v) for k, v in value.items()}
    return value


def _escape(match: re.Match[str]) -> str:
    # Outside its strings JSON is ASCII, so every match sits inside a string literal.
    return f"\\u{ord(match.group()):04x}"
