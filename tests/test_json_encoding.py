"""Exports encode JSON with orjson: the same values as the standard library, whatever the text."""

from __future__ import annotations

import json
from typing import Any

import pytest

from annotator.formats.safe import json_line, json_text

SAMPLES: list[Any] = [
    {"text": "北京 🚀 Cho Tae-yul", "entities": [{"start": 0, "end": 2, "label": "GPE"}]},
    {"cats": {"positive": 1.0, "negative": 0.0}, "published": None, "is_boilerplate": False},
    {"line\u2028separator": "a\u2029b"},
    {"lone": "\ud800 surrogate"},
    {"big": 2**70},
    {1: "integer key"},
    [0.1, 1e16, 123456789.123, -0.0],
]


@pytest.mark.parametrize("value", SAMPLES)
def test_the_text_reads_back_as_the_same_value_on_one_line(value: Any) -> None:
    text = json_text(value)

    assert json.loads(text) == json.loads(json.dumps(value))
    assert "\u2028" not in text and "\u2029" not in text and "\n" not in text
    text.encode("utf-8")  # a lone surrogate is escaped, never written raw


def test_plain_records_are_the_standard_librarys_text_to_the_byte() -> None:
    record = SAMPLES[0] | SAMPLES[1]

    expected = json.dumps(record, ensure_ascii=False, separators=(",", ":")) + "\n"
    assert json_line(record) == expected.encode()


@pytest.mark.parametrize("value", SAMPLES)
def test_a_line_is_one_utf8_line_that_reads_back_as_the_same_value(value: Any) -> None:
    line = json_line(value)

    assert line.endswith(b"\n") and line.count(b"\n") == 1
    assert "\u2028".encode() not in line and "\u2029".encode() not in line
    assert json.loads(line) == json.loads(json.dumps(value))


def test_typographic_punctuation_that_shares_the_separators_first_bytes_stays_as_it_is() -> None:
    record = {"text": "\u201cQuoted\u201d \u2013 an en dash\u2026 and a line\u2028break"}

    line = json_line(record).decode()

    assert "\u201cQuoted\u201d \u2013 an en dash\u2026" in line and "\\u2028" in line
