"""What a JSON line means and what an error about it says are the standard library's, whatever
parser reads it (orjson, tried for speed, reads integers beyond 64 bits as floats)."""

from __future__ import annotations

import json
import math
from typing import Any

import pytest

from annotator.ingest import UNENCODABLE, IngestError, parse_json

DEEP = "[" * 5000 + "]" * 5000


def stdlib_message(text: str) -> str:
    """The standard library's message, as parse_json words it."""
    try:
        json.loads(text)
    except json.JSONDecodeError as exc:
        return f"f.jsonl, line 3: invalid JSON ({exc.msg})"
    except RecursionError:
        return "f.jsonl, line 3: the JSON is nested too deeply to read"
    raise AssertionError("the standard library reads it")


@pytest.mark.parametrize(
    "text",
    [
        '{"text": "a", "label": [[0, 1, "PERSON"]]',
        '{"text": "a",}',
        "{not json",
        '{"text": "a"} x',
        '{"text": "a\x01"}',
        "\ufeff{}",
        "",
        DEEP,
    ],
)
def test_a_malformed_line_is_reported_as_the_standard_library_words_it(text: str) -> None:
    with pytest.raises(IngestError) as error:
        parse_json("f.jsonl", 3, text)
    assert str(error.value) == stdlib_message(text)


@pytest.mark.parametrize(
    "text",
    [
        '{"id": 123456789012345678901234567890}',  # beyond 64 bits
        '{"id": -9223372036854775809}',
        '{"id": 18446744073709551615}',
        '{"score": 1e400, "low": 5e-324, "zero": -0.0, "n": -0}',
        '{"a": 1, "a": 2}',
        '{"text": "Cho \\ud83d\\ude00 in Seoul", "label": [[0, 3, "PERSON"]]}',
        '  {"text": "\\u0000"}  ',
    ],
)
def test_a_line_means_what_the_standard_library_reads(text: str) -> None:
    value = parse_json("f.jsonl", 3, text)
    assert repr(value) == repr(json.loads(text))


def test_nan_and_infinity_are_read_as_the_standard_library_reads_them() -> None:
    value: Any = parse_json("f.jsonl", 3, '{"a": NaN, "b": -Infinity}')
    assert math.isnan(value["a"]) and value["b"] == -math.inf


@pytest.mark.parametrize(
    ("text", "where"),
    [('{"text": "\\ud800"}', "'text'"), ('"\\udc00"', "the record")],
)
def test_a_lone_surrogate_is_still_named_by_its_path(text: str, where: str) -> None:
    with pytest.raises(IngestError) as error:
        parse_json("f.jsonl", 3, text)
    assert str(error.value) == f"f.jsonl, line 3: {where} holds {UNENCODABLE}"
