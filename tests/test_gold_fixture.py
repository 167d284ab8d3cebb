"""The seed article's gold set (tests/data/gold/), which bench/actions.py annotates in the
browser: every span is the text it names, in code points, and only uses labels of the schema."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest

from annotator.ingest import parse_text_article
from annotator.schema import DEFAULT_SCHEMA, entity_labels

ROOT = Path(__file__).resolve().parents[1]
GOLD = ROOT / "tests" / "data" / "gold" / "bloomberg-china-korea-talks.json"


@pytest.fixture(scope="module")
def gold() -> dict[str, Any]:
    return json.loads(GOLD.read_text(encoding="utf-8"))


@pytest.fixture(scope="module")
def paragraphs(gold: dict[str, Any]) -> list[Any]:
    seed = ROOT / gold["article"]
    return parse_text_article(seed.name, seed.read_bytes()).paragraphs


def spans_in(gold: dict[str, Any], kind: str) -> list[tuple[int, dict[str, Any]]]:
    return [(p["position"], item) for p in gold["paragraphs"] for item in p[kind]]


def test_it_is_the_size_of_the_seed_articles_work(gold: dict[str, Any]) -> None:
    assert len(spans_in(gold, "entities")) == 85
    assert len(spans_in(gold, "claims")) == 6
    assert len([p for p in gold["paragraphs"] if p["sentiment"]]) == 13
    assert len(spans_in(gold, "targets")) == 1


def test_every_content_paragraph_and_only_those_has_a_sentiment(
    gold: dict[str, Any], paragraphs: list[Any]
) -> None:
    content = [i for i, p in enumerate(paragraphs) if not p.is_boilerplate]
    assert [p["position"] for p in gold["paragraphs"]] == content
    assert {p["sentiment"] for p in gold["paragraphs"]} <= set(DEFAULT_SCHEMA["sentiment"])


def test_every_span_is_the_text_it_names_in_code_points(
    gold: dict[str, Any], paragraphs: list[Any]
) -> None:
    for kind in ("entities", "claims"):
        for position, span in spans_in(gold, kind):
            text = paragraphs[position].text
            assert text[span["start"] : span["end"]] == span["text"], (position, span)
            assert span["text"] == span["text"].strip()


def test_labels_are_the_schemas_and_entities_never_overlap(gold: dict[str, Any]) -> None:
    labels = set(entity_labels(DEFAULT_SCHEMA))
    for paragraph in gold["paragraphs"]:
        entities = sorted(paragraph["entities"], key=lambda e: e["start"])
        assert {e["label"] for e in entities} <= labels
        for left, right in zip(entities, entities[1:], strict=False):
            assert left["end"] <= right["start"], (left, right)
    assert {c["label"] for _, c in spans_in(gold, "claims")} <= set(
        DEFAULT_SCHEMA["claims"]["types"]
    )


def test_claimants_and_sentiment_targets_are_entities_of_the_gold_set(
    gold: dict[str, Any],
) -> None:
    entities = {(pos, e["start"], e["end"], e["text"]) for pos, e in spans_in(gold, "entities")}
    for _, claim in spans_in(gold, "claims"):
        who = claim["claimant"]
        assert (who["position"], who["start"], who["end"], who["text"]) in entities
    for position, target in spans_in(gold, "targets"):
        entity = target["entity"]
        assert (position, entity["start"], entity["end"], entity["text"]) in entities
        assert target["label"] in DEFAULT_SCHEMA["sentiment"]
