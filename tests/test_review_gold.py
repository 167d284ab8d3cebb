"""Adjudication writes gold through the one writer: accept, accept all agreements, edit,
reject, and two reviewers on one article getting the annotators' 409."""

from __future__ import annotations

from flask import Flask
from flask.testing import FlaskClient
from sqlalchemy import func, select

from annotator.extensions import db
from annotator.models import Annotation, AnnotationEvent, ArticleReview
from tests.api_helpers import CHO, api_for, span_of
from tests.conftest import Auth
from tests.review_support import WANG, Reviewed, annotation_of, gold_rows, in_own_browser


def test_accept_all_agreements_stores_what_everyone_marked_alike(
    app: Flask, client: FlaskClient, auth: Auth, reviewed: Reviewed
) -> None:
    rita = api_for(client, auth, "rita")
    response = rita.send("POST", f"/review/articles/{reviewed.article}/accept-agreements", {})
    assert response.status_code == 200
    body = response.get_json()
    assert body["skipped"] == 0
    assert body["review"]["status"] == "in_review"
    cho = span_of(reviewed.text, CHO)
    assert gold_rows(app) == [
        ("entity", *cho, "PERSON", "rita"),
        ("sentiment", None, None, "neutral", "rita"),
    ]
    with app.app_context():
        gold = db.session.scalars(select(Annotation).where(Annotation.is_gold.is_(True))).all()
        assert {a.source for a in gold} == {"adjudication"}
        events = db.session.scalars(
            select(AnnotationEvent).where(AnnotationEvent.annotation_id.in_([a.id for a in gold]))
        ).all()
        assert [(e.action, e.user_id) for e in events] == [("create", gold[0].annotator_id)] * 2
    again = rita.send("POST", f"/review/articles/{reviewed.article}/accept-agreements", {})
    assert again.get_json()["created"] == [] and len(gold_rows(app)) == 2


def test_accept_all_refuses_a_body_with_fields_as_every_endpoint_does(
    app: Flask, client: FlaskClient, auth: Auth, reviewed: Reviewed
) -> None:
    rita = api_for(client, auth, "rita")
    path = f"/review/articles/{reviewed.article}/accept-agreements"
    response = rita.send("POST", path, {"paragraphs": [1]})
    assert response.status_code == 400
    assert response.get_json()["error"]["field"] == "paragraphs"
    assert gold_rows(app) == []


def test_accepting_one_version_of_a_disagreement_and_the_rules_on_gold(
    app: Flask, client: FlaskClient, auth: Auth, reviewed: Reviewed, users: dict[str, int]
) -> None:
    rita = api_for(client, auth, "rita")
    annas = annotation_of(app, users["anna"], "PERSON")  # Cho or Wang: both are PERSON
    bobs = annotation_of(app, users["bob"], "ORG")
    first = rita.send("POST", f"/review/annotations/{annas}/accept", {"client_id": "c-1"})
    assert first.status_code == 201
    replay = rita.send("POST", f"/review/annotations/{annas}/accept", {"client_id": "c-1"})
    assert replay.status_code == 200
    assert replay.get_json()["annotation"]["id"] == first.get_json()["annotation"]["id"]
    accepted = rita.send("POST", f"/review/annotations/{bobs}/accept", {})
    assert accepted.status_code == 201
    wang = span_of(reviewed.text, WANG)
    # The gold has Wang Yi now; another span over it is in the way, as for an annotator.
    overlapping = rita.send(
        "POST",
        "/review/gold",
        {
            "paragraph_id": reviewed.paragraph,
            "layer": "entity",
            "start": wang[0],
            "end": wang[1],
            "label": "GPE",
        },
    )
    assert overlapping.status_code == 409
    assert overlapping.get_json()["current"]["label"] == "ORG"
    # Gold is everyone's: the span in the way is the gold's, maybe another reviewer's.
    assert "overlaps the gold ORG span" in overlapping.get_json()["error"]["message"]
    bad = rita.send(
        "POST",
        "/review/gold",
        {
            "paragraph_id": reviewed.paragraph,
            "layer": "entity",
            "start": 0,
            "end": 5,
            "label": "NOPE",
        },
    )
    assert (bad.status_code, bad.get_json()["error"]["field"]) == (422, "label")


def test_two_reviewers_on_one_article_get_409_with_the_stored_state(
    app: Flask, reviewed: Reviewed
) -> None:
    rita, admin = in_own_browser(app, "rita"), in_own_browser(app, "admin")
    start, end = span_of(reviewed.text, CHO)
    entity = {"paragraph_id": reviewed.paragraph, "layer": "entity", "start": start, "end": end}
    created = rita.send("POST", "/review/gold", {**entity, "label": "PERSON"})
    assert created.status_code == 201
    gold_id = created.get_json()["annotation"]["id"]
    # The admin's page had not seen it: the same span is someone else's gold now.
    assert admin.send("POST", "/review/gold", {**entity, "label": "ORG"}).status_code == 409
    changed = rita.send("PATCH", f"/review/gold/{gold_id}", {"label": "ORG", "version": 1})
    assert changed.get_json()["annotation"]["version"] == 2
    stale = admin.send("PATCH", f"/review/gold/{gold_id}", {"label": "GPE", "version": 1})
    assert stale.status_code == 409
    assert stale.get_json()["current"]["label"] == "ORG"
    stale_delete = admin.send("DELETE", f"/review/gold/{gold_id}", {"version": 1})
    assert stale_delete.status_code == 409
    path = f"/review/paragraphs/{reviewed.paragraph}/sentiment"
    assert rita.send("PUT", path, {"label": "positive", "version": None}).status_code == 200
    second = admin.send("PUT", path, {"label": "negative", "version": None})
    assert second.status_code == 409
    assert second.get_json()["current"]["label"] == "positive"
    assert admin.send("DELETE", f"/review/gold/{gold_id}", {"version": 2}).status_code == 200
    assert [row[3] for row in gold_rows(app)] == ["positive"]


def test_gold_writes_cannot_touch_annotators_work_nor_annotators_gold(
    app: Flask, client: FlaskClient, auth: Auth, reviewed: Reviewed, users: dict[str, int]
) -> None:
    annas = annotation_of(app, users["anna"], "PERSON")
    rita = api_for(client, auth, "rita")
    assert (
        rita.send("PATCH", f"/review/gold/{annas}", {"label": "ORG", "version": 1}).status_code
        == 404
    )
    accepted = rita.send("POST", f"/review/annotations/{annas}/accept", {}).get_json()["annotation"]
    auth.logout()
    anna = api_for(client, auth, "anna")
    change = anna.send("PATCH", f"/annotations/{accepted['id']}", {"label": "ORG", "version": 1})
    assert change.status_code == 404  # gold is not hers to change
    assert anna.send("POST", f"/review/annotations/{annas}/accept", {}).status_code == 403


def test_review_status_moves_on_with_versions(
    app: Flask, client: FlaskClient, auth: Auth, reviewed: Reviewed
) -> None:
    rita = api_for(client, auth, "rita")
    path = f"/review/articles/{reviewed.article}"
    assert rita.get(path).get_json()["review"] == {
        "article_id": reviewed.article,
        "status": "not_reviewed",
        "version": 1,
        "reviewer_id": None,
    }
    assert client.get(f"/review/articles/{reviewed.article}").status_code == 200  # opens it
    opened = rita.get(path).get_json()["review"]
    assert (opened["status"], opened["version"]) == ("in_review", 2)
    stale = rita.send("PUT", f"{path}/status", {"status": "adjudicated", "version": 1})
    assert stale.status_code == 409
    assert stale.get_json()["current"]["status"] == "in_review"
    done = rita.send("PUT", f"{path}/status", {"status": "adjudicated", "version": 2})
    assert done.get_json()["review"]["status"] == "adjudicated"
    assert done.get_json()["review"]["version"] == 3
    bad = rita.send("PUT", f"{path}/status", {"status": "not_reviewed", "version": 3})
    assert (bad.status_code, bad.get_json()["error"]["field"]) == (422, "status")
    with app.app_context():
        row = db.session.get(ArticleReview, reviewed.article)
        assert row is not None and row.status == "adjudicated"
        assert db.session.scalar(select(func.count()).select_from(ArticleReview)) == 1
