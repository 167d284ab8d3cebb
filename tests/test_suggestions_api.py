"""Suggestions through the API: propagation from the user's own labels, suggestions for
everyone, accept (keeping the source), reject, accept a paragraph's all, and who sees what."""

from __future__ import annotations

from typing import Any

import pytest
from flask import Flask
from flask.testing import FlaskClient
from sqlalchemy import select

from annotator.extensions import db
from annotator.models import Annotation, Paragraph, SuggestionDecision
from annotator.suggestions.store import SuggestedSpan, replace_suggestions
from tests.api_helpers import Api, api_for, paragraph_with, span_of
from tests.conftest import Auth, import_text
from tests.test_project_access import closed  # noqa: F401  (fixture)

KOREA = "South Korea"


def label_first(api: Api, article_id: int, needle: str, label: str = "GPE") -> dict[str, Any]:
    paragraph_id, text = paragraph_with(api.client.application, article_id, needle)
    response = api.entity(paragraph_id, *span_of(text, needle), label=label)
    assert response.status_code == 201, response.get_json()
    return response.get_json()["annotation"]


def suggestions(api: Api, article_id: int) -> list[dict[str, Any]]:
    response = api.get(f"/articles/{article_id}/suggestions")
    assert response.status_code == 200, response.get_json()
    return response.get_json()["suggestions"]


def model_suggestion(app: Flask, article_id: int, needle: str, label: str = "GPE") -> int:
    """A suggestion for everyone in the project, as a model run stores it."""
    paragraph_id, text = paragraph_with(app, article_id, needle)
    with app.app_context():
        item = SuggestedSpan(paragraph_id, "entity", label, *span_of(text, needle), score=0.8)
        replace_suggestions(db.session, [paragraph_id], "model:ner", [item], model_version="3")
        db.session.commit()
    return paragraph_id


# --- propagation ------------------------------------------------------------------------


def test_a_labelled_string_is_suggested_elsewhere_in_the_article(
    api: Api, seed_article: int
) -> None:
    labelled = label_first(api, seed_article, KOREA)

    found = suggestions(api, seed_article)

    korea = [s for s in found if s["text"] == KOREA]
    assert len(korea) >= 4
    assert {(s["label"], s["source"]) for s in korea} == {("GPE", "propagation")}
    assert all(
        (s["paragraph_id"], s["start"]) != (labelled["paragraph_id"], labelled["start"])
        for s in found
    )


def test_propagation_reaches_the_annotators_other_articles_only(
    app: Flask, client: FlaskClient, auth: Auth, seed_article: int
) -> None:
    other = import_text(app, "later.txt", "Later story\nSeoul and South Korea’s envoy met.\n")
    anna = api_for(client, auth, "anna")
    label_first(anna, seed_article, KOREA)

    found = suggestions(anna, other)

    assert [(s["text"], s["label"], s["start"]) for s in found] == [(KOREA, "GPE", 10)]
    auth.logout()
    bob = api_for(client, auth, "bob")
    assert suggestions(bob, other) == []


def test_deleting_the_label_withdraws_its_propagation(api: Api, seed_article: int) -> None:
    labelled = label_first(api, seed_article, KOREA)
    assert suggestions(api, seed_article)

    api.send("DELETE", f"/annotations/{labelled['id']}", {"version": 1})

    assert suggestions(api, seed_article) == []


# --- accept and reject ------------------------------------------------------------------


def test_accepting_keeps_the_source_and_hides_the_suggestion(
    app: Flask, api: Api, seed_article: int
) -> None:
    label_first(api, seed_article, KOREA)
    first = suggestions(api, seed_article)[0]

    response = api.send("POST", f"/suggestions/{first['id']}/accept", {"client_id": "c-1"})

    assert response.status_code == 201
    annotation = response.get_json()["annotation"]
    assert (annotation["source"], annotation["label"]) == ("propagation", "GPE")
    assert (annotation["start"], annotation["end"]) == (first["start"], first["end"])
    assert first["id"] not in {s["id"] for s in suggestions(api, seed_article)}
    with app.app_context():
        decision = db.session.scalars(select(SuggestionDecision)).one()
        assert (decision.decision, decision.annotation_id) == ("accepted", annotation["id"])


def test_accepting_through_the_save_queues_create_is_the_same_accept(
    app: Flask, api: Api, seed_article: int
) -> None:
    paragraph_id = model_suggestion(app, seed_article, "Wang Yi", "PERSON")
    ghost = suggestions(api, seed_article)[0]
    body = {k: ghost[k] for k in ("paragraph_id", "layer", "start", "end", "label")}

    created = api.create(**body, suggestion_id=ghost["id"], client_id="q-1")
    replayed = api.create(**body, suggestion_id=ghost["id"], client_id="q-1")
    mismatch = api.create(**{**body, "label": "ORG"}, suggestion_id=ghost["id"])

    assert created.status_code == 201 and replayed.status_code == 200
    assert created.get_json()["annotation"]["source"] == "model:ner"
    assert created.get_json()["annotation"]["paragraph_id"] == paragraph_id
    assert mismatch.status_code == 422
    assert mismatch.get_json()["error"]["field"] == "suggestion_id"


@pytest.mark.parametrize("suggestion_id", [0, -1, 10**30, -(10**30)])
def test_a_suggestion_id_that_names_nothing_is_a_404_even_past_64_bits(
    app: Flask, api: Api, seed_article: int, suggestion_id: int
) -> None:
    paragraph_id, text = paragraph_with(app, seed_article, "Wang Yi")
    body = {"paragraph_id": paragraph_id, "layer": "entity", "label": "PERSON"}
    span = dict(zip(("start", "end"), span_of(text, "Wang Yi"), strict=True))
    sentiment = {"label": "neutral", "version": None, "suggestion_id": suggestion_id}

    created = api.create(**body, **span, suggestion_id=suggestion_id)
    put = api.send("PUT", f"/paragraphs/{paragraph_id}/sentiment", sentiment)

    for response in (created, put):
        assert response.status_code == 404, response.get_json()
        assert response.get_json()["error"]["code"] == "not_found"
    with app.app_context():
        assert db.session.scalars(select(Annotation)).all() == []


def test_one_annotator_accepting_does_not_hide_it_from_another(
    app: Flask, client: FlaskClient, auth: Auth, seed_article: int
) -> None:
    model_suggestion(app, seed_article, "Wang Yi", "PERSON")
    anna = api_for(client, auth, "anna")
    ghost = suggestions(anna, seed_article)[0]
    assert anna.send("POST", f"/suggestions/{ghost['id']}/accept", {}).status_code == 201
    assert suggestions(anna, seed_article) == []
    auth.logout()

    bob = api_for(client, auth, "bob")

    assert [s["id"] for s in suggestions(bob, seed_article)] == [ghost["id"]]


def test_rejecting_hides_it_for_that_user(api: Api, app: Flask, seed_article: int) -> None:
    model_suggestion(app, seed_article, "Wang Yi", "PERSON")
    ghost = suggestions(api, seed_article)[0]

    response = api.send("POST", f"/suggestions/{ghost['id']}/reject", {})

    assert response.status_code == 200
    assert response.get_json() == {"suggestion_id": ghost["id"], "decision": "rejected"}
    assert suggestions(api, seed_article) == []
    with app.app_context():
        assert db.session.scalars(select(Annotation)).all() == []


def test_accepting_over_an_own_annotation_is_a_409_saying_what_is_in_the_way(
    app: Flask, api: Api, seed_article: int
) -> None:
    model_suggestion(app, seed_article, "Wang Yi", "PERSON")
    ghost = suggestions(api, seed_article)[0]
    label_first(api, seed_article, "Wang", "PERSON")
    # It overlaps her span now: hidden (propagation of "Wang" may show elsewhere).
    assert ghost["id"] not in {s["id"] for s in suggestions(api, seed_article)}

    response = api.send("POST", f"/suggestions/{ghost['id']}/accept", {})

    assert response.status_code == 409
    assert "overlaps your PERSON span" in response.get_json()["error"]["message"]


def test_accept_all_of_a_paragraph_skips_clashes_and_counts_them(
    app: Flask, api: Api, seed_article: int
) -> None:
    paragraph_id, text = paragraph_with(app, seed_article, "Cho Tae-yul")
    with app.app_context():
        items = [
            SuggestedSpan(paragraph_id, "entity", "PERSON", *span_of(text, "Cho Tae-yul")),
            SuggestedSpan(paragraph_id, "entity", "PERSON", *span_of(text, "Wang Yi")),
            SuggestedSpan(paragraph_id, "entity", "PERSON", *span_of(text, "Wang")),  # clashes
            SuggestedSpan(paragraph_id, "sentiment", "neutral"),
        ]
        replace_suggestions(db.session, [paragraph_id], "import:gold", items)
        db.session.commit()

    response = api.send("POST", f"/paragraphs/{paragraph_id}/suggestions/accept", {})

    assert response.status_code == 200
    body = response.get_json()
    assert body["skipped"] == 1
    assert sorted((a["layer"], a["label"]) for a in body["annotations"]) == [
        ("entity", "PERSON"),
        ("entity", "PERSON"),
        ("sentiment", "neutral"),
    ]
    assert {a["source"] for a in body["annotations"]} == {"import:gold"}


# --- who sees what ----------------------------------------------------------------------


def test_another_annotators_propagation_is_404(
    client: FlaskClient, auth: Auth, seed_article: int
) -> None:
    anna = api_for(client, auth, "anna")
    label_first(anna, seed_article, KOREA)
    ghost = suggestions(anna, seed_article)[0]
    auth.logout()
    bob = api_for(client, auth, "bob")

    for action in ("accept", "reject"):
        response = bob.send("POST", f"/suggestions/{ghost['id']}/{action}", {})
        assert response.status_code == 404


def test_suggestions_in_a_closed_project_are_404(
    app: Flask,
    client: FlaskClient,
    auth: Auth,
    closed: dict[str, int],  # noqa: F811
) -> None:
    with app.app_context():
        paragraph = db.session.get(Paragraph, closed["paragraph"])
        assert paragraph is not None
        item = SuggestedSpan(paragraph.id, "entity", "PERSON", 0, 7)
        replace_suggestions(db.session, [paragraph.id], "pattern", [item])
        db.session.commit()
    anna = api_for(client, auth, "anna")

    assert anna.get(f"/articles/{closed['article']}/suggestions").status_code == 404
    assert (
        anna.send("POST", f"/paragraphs/{closed['paragraph']}/suggestions/accept", {}).status_code
        == 404
    )
    assert anna.send("POST", "/suggestions/1/accept", {}).status_code == 404


@pytest.mark.parametrize("path", ["/suggestions/{id}/accept", "/suggestions/{id}/reject"])
def test_unknown_fields_are_a_400(app: Flask, api: Api, seed_article: int, path: str) -> None:
    model_suggestion(app, seed_article, "Wang Yi", "PERSON")
    ghost = suggestions(api, seed_article)[0]

    response = api.send("POST", path.format(id=ghost["id"]), {"label": "ORG"})

    assert response.status_code == 400
    assert response.get_json()["error"]["field"] == "label"


def test_setting_the_suggested_sentiment_accepts_it_with_its_source(
    app: Flask, api: Api, seed_article: int
) -> None:
    paragraph_id, _ = paragraph_with(app, seed_article, "Wang Yi")
    with app.app_context():
        item = SuggestedSpan(paragraph_id, "sentiment", "neutral")
        replace_suggestions(db.session, [paragraph_id], "model:senti", [item])
        db.session.commit()
    ghost = suggestions(api, seed_article)[0]
    path = f"/paragraphs/{paragraph_id}/sentiment"

    wrong = api.send(
        "PUT", path, {"label": "negative", "version": None, "suggestion_id": ghost["id"]}
    )
    right = api.send(
        "PUT", path, {"label": "neutral", "version": None, "suggestion_id": ghost["id"]}
    )

    assert wrong.status_code == 422
    assert right.status_code == 200
    assert right.get_json()["annotation"]["source"] == "model:senti"
    assert suggestions(api, seed_article) == []


def test_boilerplate_gets_no_suggestions(app: Flask, api: Api, seed_article: int) -> None:
    paragraph_id, text = paragraph_with(app, seed_article, "Most Read from Bloomberg")
    with app.app_context():
        items = [
            SuggestedSpan(paragraph_id, "entity", "ORG", *span_of(text, "Bloomberg")),
            SuggestedSpan(paragraph_id, "sentiment", "neutral"),
        ]
        replace_suggestions(db.session, [paragraph_id], "import:x", items)
        db.session.commit()

    assert suggestions(api, seed_article) == []
    accepted = api.send("POST", f"/paragraphs/{paragraph_id}/suggestions/accept", {})
    assert accepted.get_json() == {"annotations": [], "skipped": 0}


def test_deleting_what_an_accept_made_offers_the_suggestion_again(
    app: Flask, api: Api, seed_article: int
) -> None:
    model_suggestion(app, seed_article, "Wang Yi", "PERSON")
    ghost = suggestions(api, seed_article)[0]
    made = api.send("POST", f"/suggestions/{ghost['id']}/accept", {}).get_json()["annotation"]
    assert suggestions(api, seed_article) == []

    api.send("DELETE", f"/annotations/{made['id']}", {"version": made["version"]})

    assert [s["id"] for s in suggestions(api, seed_article)] == [ghost["id"]]


def test_listing_suggestions_takes_the_same_few_queries_however_many_there_are(
    app: Flask, api: Api, seed_article: int
) -> None:
    from annotator.extensions import db as database
    from tests.querycount import count_queries

    label_first(api, seed_article, KOREA)
    with app.app_context(), count_queries(database.engine) as few:
        assert len(suggestions(api, seed_article)) >= 4
    label_first(api, seed_article, "China")
    label_first(api, seed_article, "Beijing")
    with app.app_context(), count_queries(database.engine) as many:
        assert len(suggestions(api, seed_article)) >= 12
    # A few more when rows are inserted or replaced, never one per suggestion.
    assert len(few) <= 16 and len(many) <= 16
