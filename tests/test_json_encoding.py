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

    assert json_line(record) == json.dumps(record, ensure_ascii=False, separators=(",", ":")) + "\n"
