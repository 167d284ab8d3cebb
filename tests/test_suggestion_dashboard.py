"""The project dashboard counts suggestions per source and label: accepted, rejected, left."""

from __future__ import annotations

from flask import Flask
from flask.testing import FlaskClient

from annotator.extensions import db
from annotator.suggestions.store import SuggestedSpan, replace_suggestions
from tests.api_helpers import api_for, paragraph_with, span_of
from tests.conftest import Auth


def test_accepted_rejected_and_left_per_source_and_label(
    app: Flask, client: FlaskClient, auth: Auth, seed_article: int
) -> None:
    paragraph_id, text = paragraph_with(app, seed_article, "Cho Tae-yul")
    with app.app_context():
        items = [
            SuggestedSpan(paragraph_id, "entity", "PERSON", *span_of(text, name))
            for name in ("Cho Tae-yul", "Wang Yi")
        ]
        items.append(SuggestedSpan(paragraph_id, "entity", "GPE", *span_of(text, "Seoul")))
        replace_suggestions(db.session, [paragraph_id], "model:ner", items)
        db.session.commit()
    for name, decisions in (("anna", ("accept", "reject")), ("bob", ("accept",))):
        api = api_for(client, auth, name)
        ghosts = api.get(f"/articles/{seed_article}/suggestions").get_json()["suggestions"]
        people = [g for g in ghosts if g["label"] == "PERSON"]
        for ghost, action in zip(people, decisions, strict=False):
            assert api.send("POST", f"/suggestions/{ghost['id']}/{action}", {}).status_code < 300
        auth.logout()
    auth.login("admin")

    data = client.get("/admin/projects/default/dashboard.json").get_json()
    page = client.get("/admin/projects/default/dashboard").get_data(as_text=True)

    assert data["suggestions"] == [
        {"source": "model:ner", "label": "GPE", "accepted": 0, "rejected": 0, "left": 1},
        {"source": "model:ner", "label": "PERSON", "accepted": 2, "rejected": 1, "left": 0},
    ]
    assert "<h2>Suggestions</h2>" in page
    assert (
        '<td><code>model:ner</code></td><td>PERSON</td><td class="num">2</td>'
        '<td class="num">1</td><td class="num">0</td>'
    ) in page


def test_a_project_without_suggestions_says_how_to_get_some(auth: Auth) -> None:
    auth.login("admin")
    page = auth.client.get("/admin/projects/default/dashboard").get_data(as_text=True)
    assert "No suggestions yet" in page
