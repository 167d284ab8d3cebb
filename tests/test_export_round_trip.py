"""Every format reads back what it wrote, where the format can carry it; provenance travels."""

from __future__ import annotations

import json
from typing import Any

import jsonschema
import pytest
from flask import Flask

from annotator.formats.drafts import RecordDraft
from annotator.formats.registry import parse_annotations
from tests.conftest import Auth, import_text
from tests.test_export_formats import export
from tests.test_export_support import SCHEMA, WORLD_TEXT, annotate_world, jsonl_lines


@pytest.fixture
def world(app: Flask, users: dict[str, int]) -> int:
    article_id = import_text(app, "world.txt", WORLD_TEXT)
    annotate_world(app, article_id)
    return article_id


def read_back(data: bytes, name: str = "export.jsonl") -> list[RecordDraft]:
    return parse_annotations(name, data).drafts


def test_native_records_say_where_each_annotation_came_from(auth: Auth, world: int) -> None:
    auth.login("admin")
    anna = jsonl_lines(export(auth.client, annotator="anna").data)[0]
    assert [(e["text"], e["source"]) for e in anna["entities"]] == [
        ("北京", "model:zh-ner"),
        ("Monday", "manual"),
        ("Seoul’s ministry", "manual"),
    ]
    assert {c["source"] for c in anna["claims"]} == {"manual"}
    assert anna["sentiment"] == {
        "label": "negative",
        "source": "model:senti",
        "targets": [
            {"entity_id": anna["entities"][2]["id"], "label": "positive", "source": "manual"}
        ],
    }


@pytest.mark.parametrize("by", ["paragraph", "article"])
def test_records_with_provenance_validate_against_the_json_schema(
    auth: Auth, world: int, by: str
) -> None:
    auth.login("admin")
    for record in jsonl_lines(export(auth.client, by=by).data):
        jsonschema.validate(record, SCHEMA)


@pytest.mark.parametrize("by", ["paragraph", "article"])
def test_the_native_reader_reads_provenance_back(auth: Auth, world: int, by: str) -> None:
    auth.login("admin")
    drafts = read_back(export(auth.client, annotator="anna", by=by).data)
    first = drafts[0]
    assert [e.source for e in first.entities] == ["model:zh-ner", "manual", "manual"]
    assert [c.source for c in first.claims] == ["manual", "manual"]
    assert first.sentiment_source == "model:senti"
    ministry = first.entities[2].old_id
    assert first.targets == [(ministry, "positive")]
    assert first.target_sources == {ministry: "manual"}


def test_a_native_file_without_provenance_still_reads(auth: Auth, world: int) -> None:
    auth.login("admin")
    record: dict[str, Any] = jsonl_lines(export(auth.client, annotator="anna").data)[0]
    for span in record["entities"] + record["claims"] + record["sentiment"]["targets"]:
        del span["source"]
    del record["sentiment"]["source"]
    jsonschema.validate(record, SCHEMA)
    (draft,) = read_back(json.dumps(record).encode())
    assert {e.source for e in draft.entities} == {None}
    assert draft.sentiment == "negative" and draft.sentiment_source is None
