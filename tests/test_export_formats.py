"""Every format exports the seed article's annotations exactly as the hand-checked files say."""

from __future__ import annotations

import json
from typing import Any

import pytest
from flask import Flask
from flask.testing import FlaskClient

from annotator.export.filters import FORMATS as OFFERED
from annotator.formats.registry import FORMATS
from tests.conftest import Auth
from tests.test_export_support import EXPECTED, Seeded, annotate_seed, expected_jsonl, jsonl_lines


@pytest.fixture
def seeded(app: Flask, users: dict[str, int], seed_article: int) -> Seeded:
    return annotate_seed(app, seed_article)


def export(client: FlaskClient, **params: str) -> Any:
    response = client.get("/projects/default/export", query_string=params)
    assert response.status_code == 200, response.get_data(as_text=True)
    return response


@pytest.mark.parametrize(
    ("fmt", "expected"),
    [
        ("native", "native.jsonl"),
        ("spacy", "spacy.jsonl"),
        ("doccano", "doccano.jsonl"),
    ],
)
def test_jsonl_formats_match_the_hand_checked_files(
    auth: Auth, seeded: Seeded, fmt: str, expected: str
) -> None:
    auth.login("rita")
    records = jsonl_lines(export(auth.client, format=fmt).data)
    assert [seeded.normalise(r) for r in records] == expected_jsonl(expected)


def test_native_by_article_matches_the_hand_checked_file(auth: Auth, seeded: Seeded) -> None:
    auth.login("rita")
    records = jsonl_lines(export(auth.client, by="article").data)
    assert [seeded.normalise(r) for r in records] == expected_jsonl("native-by-article.jsonl")


def test_label_studio_tasks_match_the_hand_checked_file(auth: Auth, seeded: Seeded) -> None:
    auth.login("rita")
    tasks = json.loads(export(auth.client, format="labelstudio").data)
    expected = json.loads((EXPECTED / "labelstudio.json").read_text(encoding="utf-8"))
    assert seeded.normalise(tasks) == expected


def test_label_studio_config_matches_the_hand_checked_file(auth: Auth, seeded: Seeded) -> None:
    auth.login("rita")
    config = export(auth.client, format="labelstudio-config").get_data(as_text=True)
    assert config == (EXPECTED / "labelstudio.xml").read_text(encoding="utf-8")


def test_conll_matches_the_hand_checked_file(auth: Auth, seeded: Seeded) -> None:
    auth.login("rita")
    text = export(auth.client, format="conll", annotator="anna").get_data(as_text=True)
    assert text == (EXPECTED / "anna.conll").read_text(encoding="utf-8")


def test_the_filters_offer_exactly_the_registered_formats() -> None:
    assert list(OFFERED) == list(FORMATS)
