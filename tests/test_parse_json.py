"""What a JSON line means and what an error about it says are the standard library's, whatever
parser reads it (orjson, tried for speed, reads integers beyond 64 bits as floats)."""

from __future__ import annotations

import json

import pytest

from annotator.ingest import UNSTORABLE, IngestError, parse_json
from annotator.text import storable_json_source

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
        '{"score": 1e300, "low": 5e-324, "zero": -0.0, "n": -0}',
        '{"a": 1, "a": 2}',
        '{"text": "Cho \\ud83d\\ude00 in Seoul", "label": [[0, 3, "PERSON"]]}',
        '  {"text": "\\\\u0000"}  ',  # the text \u0000, not a NUL
    ],
)
def test_a_line_means_what_the_standard_library_reads(text: str) -> None:
    value = parse_json("f.jsonl", 3, text)
    assert repr(value) == repr(json.loads(text))


@pytest.mark.parametrize(
    "text, number",
    [('{"a": NaN}', "NaN"), ('{"b": -Infinity}', "-Infinity"), ('{"c": [1e400]}', "1e400")],
)
def test_numbers_json_has_not_are_refused(text: str, number: str) -> None:
    """Python's reader takes them; JSON has no such numbers, and PostgreSQL refuses them."""
    with pytest.raises(IngestError) as error:
        parse_json("f.jsonl", 3, text)
    assert str(error.value) == f"f.jsonl, line 3: invalid JSON ({number} is not a JSON number)"


def test_a_nul_character_is_refused_with_its_field() -> None:
    with pytest.raises(IngestError) as error:
        parse_json("f.jsonl", 3, '{"title": "ok", "paragraphs": ["a\\u0000b"]}')
    assert str(error.value) == f"f.jsonl, line 3: 'paragraphs.0' holds {UNSTORABLE}"


@pytest.mark.parametrize(
    ("text", "where"),
    [('{"text": "\\ud800"}', "'text'"), ('"\\udc00"', "the record")],
)
def test_a_lone_surrogate_is_still_named_by_its_path(text: str, where: str) -> None:
    with pytest.raises(IngestError) as error:
        parse_json("f.jsonl", 3, text)
    assert str(error.value) == f"f.jsonl, line 3: {where} holds {UNSTORABLE}"


@pytest.mark.parametrize(
    "text",
    [
        '{"text": "\\ud83d\\ude00 and \\uD83D\\uDE80"}',  # pairs: emoji, as json.dumps writes them
        '{"text": "caf\\u00e9 \\u00e9t\\u00e9"}',  # escapes, none of a surrogate
        '{"\\ud83d\\ude00": ["\\"\\ud83d\\ude00"]}',
    ],
)
def test_paired_surrogate_escapes_are_storable_from_the_text_alone(text: str) -> None:
    assert storable_json_source(text)
    assert parse_json("f.jsonl", 3, text) == json.loads(text)


@pytest.mark.parametrize(
    ("text", "where"),
    [
        ('{"text": "\\ud83d x"}', "'text'"),  # a high half alone
        ('{"text": "x \\ude00"}', "'text'"),  # a low half alone
        ('{"a": "\\ude00\\ud83d"}', "'a'"),  # the halves the wrong way round
        ('{"a": "\\ud83d\\ud83d\\ude00"}', "'a'"),  # a high half, then a pair
        ('{"a": "\\\\ud83d\\ude00"}', "'a'"),  # the "high half" is text: the low is alone
        ('{"a": ["ok", {"b": "\\ud83d\\\\ude00"}]}', "'a.1.b'"),  # the "low half" is text
    ],
)
def test_a_surrogate_escape_the_decoder_leaves_alone_is_refused(text: str, where: str) -> None:
    assert not storable_json_source(text)
    with pytest.raises(IngestError) as error:
        parse_json("f.jsonl", 3, text)
    assert str(error.value) == f"f.jsonl, line 3: {where} holds {UNSTORABLE}"
