"""An accepted suggestion keeps its provenance in the exports: `source` in native JSONL,
origin "prediction" in Label Studio (its word for a region taken from a prediction)."""

from __future__ import annotations

import json
from typing import Any

from flask import Flask
from flask.testing import FlaskClient

from annotator.extensions import db
from annotator.suggestions.store import SuggestedSpan, replace_suggestions
from tests.api_helpers import api_for, paragraph_with, span_of
from tests.conftest import Auth
from tests.test_export_formats import export


def accepted_pattern_and_manual(app: Flask, client: FlaskClient, auth: Auth, article: int) -> None:
    paragraph_id, text = paragraph_with(app, article, "Wang Yi")
    with app.app_context():
        items = [SuggestedSpan(paragraph_id, "entity", "PERSON", *span_of(text, "Wang Yi"))]
        replace_suggestions(db.session, [paragraph_id], "pattern", items)
        db.session.commit()
    anna = api_for(client, auth, "anna")
    ghost = anna.get(f"/articles/{article}/suggestions").get_json()["suggestions"][0]
    assert anna.send("POST", f"/suggestions/{ghost['id']}/accept", {}).status_code == 201
    assert anna.entity(paragraph_id, *span_of(text, "Cho Tae-yul")).status_code == 201
    auth.logout()
    auth.login("admin")


def entities(records: list[dict[str, Any]]) -> list[tuple[str, str]]:
    """(text, source) of every entity: one record per paragraph and annotator."""
    return sorted((e["text"], e["source"]) for r in records for e in r["entities"])


def test_native_jsonl_carries_the_source(
    app: Flask, client: FlaskClient, auth: Auth, seed_article: int
) -> None:
    accepted_pattern_and_manual(app, client, auth, seed_article)

    lines = export(client, format="native").get_data(as_text=True).splitlines()

    records = [json.loads(line) for line in lines if line.strip()]
    assert entities(records) == [("Cho Tae-yul", "manual"), ("Wang Yi", "pattern")]


def test_label_studio_marks_accepted_regions_as_taken_from_a_prediction(
    app: Flask, client: FlaskClient, auth: Auth, seed_article: int
) -> None:
    accepted_pattern_and_manual(app, client, auth, seed_article)

    tasks = json.loads(export(client, format="labelstudio").data)

    regions = {
        r["value"]["text"]: r["origin"]
        for t in tasks
        for a in t["annotations"]
        for r in a["result"]
        if r.get("from_name") == "label"
    }
    assert regions == {"Wang Yi": "prediction", "Cho Tae-yul": "manual"}
