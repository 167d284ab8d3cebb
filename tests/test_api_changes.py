"""Updates, deletes, versions, history, sentiment, status and the API's guards."""

from __future__ import annotations

from typing import Any

import pytest
from flask import Flask
from flask.testing import FlaskClient
from sqlalchemy import select
from sqlalchemy.orm import Session
from sqlalchemy.orm.attributes import set_committed_value
from sqlalchemy.orm.exc import StaleDataError

from annotator.extensions import db
from annotator.models import AnnotationEvent, ArticleStatus
from tests.api_helpers import CHO, Api, api_for, counts, paragraph_with, span_of
from tests.conftest import Auth


@pytest.fixture
def entity(api: Api, cho: tuple[int, str]) -> dict[str, Any]:
    created: dict[str, Any] = api.entity(cho[0], *span_of(cho[1], CHO)).get_json()["annotation"]
    return created


def events(app: Flask) -> list[AnnotationEvent]:
    with app.app_context():
        found = list(db.session.scalars(select(AnnotationEvent).order_by(AnnotationEvent.id)))
        db.session.expunge_all()
        return found


def test_update_bumps_the_version_and_records_before_and_after(
    app: Flask, api: Api, entity: dict[str, Any]
) -> None:
    response = api.send("PATCH", f"/annotations/{entity['id']}", {"version": 1, "label": "ORG"})

    assert response.status_code == 200
    changed = response.get_json()["annotation"]
    assert changed["label"] == "ORG" and changed["version"] == 2
    history = events(app)
    assert [e.action for e in history] == ["create", "update"]
    assert history[1].before == entity and history[1].after == changed
    assert history[1].user_id == entity["annotator_id"]


def test_a_stale_update_is_a_409_with_the_current_state(
    app: Flask, api: Api, entity: dict[str, Any]
) -> None:
    api.send("PATCH", f"/annotations/{entity['id']}", {"version": 1, "label": "ORG"})

    response = api.send("PATCH", f"/annotations/{entity['id']}", {"version": 1, "label": "GPE"})

    assert response.status_code == 409
    body = response.get_json()
    assert body["error"]["code"] == "conflict" and body["error"]["field"] == "version"
    assert body["current"]["label"] == "ORG" and body["current"]["version"] == 2
    assert counts(app) == (1, 2)


def test_a_stale_delete_is_a_409_and_deletes_nothing(
    app: Flask, api: Api, entity: dict[str, Any]
) -> None:
    api.send("PATCH", f"/annotations/{entity['id']}", {"version": 1, "label": "ORG"})

    response = api.send("DELETE", f"/annotations/{entity['id']}", {"version": 1})

    assert response.status_code == 409
    assert response.get_json()["current"]["version"] == 2
    assert counts(app) == (1, 2)


def test_update_without_a_version_names_the_field(api: Api, entity: dict[str, Any]) -> None:
    response = api.send("PATCH", f"/annotations/{entity['id']}", {"label": "ORG"})
    assert response.status_code == 422
    assert response.get_json()["error"]["field"] == "version"


def test_update_is_validated_like_a_create(
    app: Flask, api: Api, cho: tuple[int, str], entity: dict[str, Any]
) -> None:
    wang = api.entity(cho[0], *span_of(cho[1], "Wang Yi")).get_json()["annotation"]
    for change, field, status in [
        ({"start": entity["start"], "end": wang["end"]}, "start", 409),
        ({"label": "VILLAIN"}, "label", 422),
        ({"end": 10_000}, "end", 422),
        ({"layer": "claim"}, "layer", 422),
    ]:
        response = api.send("PATCH", f"/annotations/{wang['id']}", {"version": 1, **change})
        assert response.status_code == status, change
        assert response.get_json()["error"]["field"] == field
    assert counts(app) == (2, 2)


def test_delete_records_the_last_state_and_history_outlives_the_row(
    app: Flask, api: Api, entity: dict[str, Any]
) -> None:
    response = api.send("DELETE", f"/annotations/{entity['id']}", {"version": 1})

    assert response.status_code == 200
    assert response.get_json() == {"deleted": [entity["id"]], "changed": []}
    assert counts(app) == (0, 2)
    deleted = events(app)[-1]
    assert deleted.action == "delete" and deleted.before == entity and deleted.after is None


def test_someone_elses_annotation_is_not_found_by_an_annotator_and_forbidden_to_a_reviewer(
    client: FlaskClient, auth: Auth, entity: dict[str, Any]
) -> None:
    auth.logout()
    bob = api_for(client, auth, "bob")
    missing = bob.send("PATCH", "/annotations/999999", {"version": 1, "label": "ORG"})
    for method, body in [("PATCH", {"version": 1, "label": "ORG"}), ("DELETE", {"version": 1})]:
        response = bob.send(method, f"/annotations/{entity['id']}", body)
        assert response.status_code == 404
        assert response.get_json()["error"]["code"] == missing.get_json()["error"]["code"]
    auth.logout()
    rita = api_for(client, auth, "rita")
    response = rita.send("DELETE", f"/annotations/{entity['id']}", {"version": 1})
    assert response.status_code == 403
    assert response.get_json()["error"]["code"] == "forbidden"


def test_paragraph_sentiment_is_set_changed_and_cleared_one_per_paragraph(
    app: Flask, api: Api, cho: tuple[int, str]
) -> None:
    path = f"/paragraphs/{cho[0]}/sentiment"
    first = api.send("PUT", path, {"label": "positive"}).get_json()["annotation"]
    second = api.send("PUT", path, {"label": "mixed"}).get_json()["annotation"]

    assert first["layer"] == "sentiment" and first["start"] is None and first["end"] is None
    assert second["id"] == first["id"] and second["label"] == "mixed" and second["version"] == 2
    duplicate = api.create(paragraph_id=cho[0], layer="sentiment", label="negative")
    assert duplicate.status_code == 409
    assert duplicate.get_json()["error"]["field"] == "paragraph_id"
    assert duplicate.get_json()["current"] == second
    cleared = api.send("PUT", path, {"label": None})
    assert cleared.get_json() == {"annotation": None}
    assert [e.action for e in events(app)] == ["create", "update", "delete"]


@pytest.mark.parametrize(
    ("body", "field"),
    [
        ({"label": "furious"}, "label"),
        ({"label": 3}, "label"),
        ({}, "label"),
        ({"label": "x", "y": 1}, "y"),
    ],
)
def test_bad_paragraph_sentiment_is_refused(
    app: Flask, api: Api, cho: tuple[int, str], body: dict[str, Any], field: str
) -> None:
    response = api.send("PUT", f"/paragraphs/{cho[0]}/sentiment", body)
    assert response.status_code in (400, 422)
    assert response.get_json()["error"]["field"] == field
    assert counts(app) == (0, 0)


def test_boilerplate_gets_no_sentiment(app: Flask, api: Api, seed_article: int) -> None:
    pid, _ = paragraph_with(app, seed_article, "Read More:")
    response = api.send("PUT", f"/paragraphs/{pid}/sentiment", {"label": "neutral"})
    assert response.status_code == 422


def test_sentiment_towards_an_entity_of_the_same_paragraph(
    app: Flask, api: Api, seed_article: int, cho: tuple[int, str], entity: dict[str, Any]
) -> None:
    towards = {"paragraph_id": cho[0], "layer": "sentiment", "label": "positive"}
    created = api.create(**towards, attributes={"target_id": entity["id"]})
    assert created.status_code == 201
    assert created.get_json()["annotation"]["attributes"] == {"target_id": entity["id"]}

    again = api.create(**towards, attributes={"target_id": entity["id"]})
    assert again.get_json()["error"]["field"] == "attributes.target_id"
    other_pid, other_text = paragraph_with(app, seed_article, "Wang pledged")
    elsewhere = api.entity(other_pid, 0, 4).get_json()["annotation"]
    wrong = api.create(**towards, attributes={"target_id": elsewhere["id"]})
    assert wrong.status_code == 422
    assert wrong.get_json()["error"]["field"] == "attributes.target_id"
    offsets = api.create(**towards, start=0, end=3)
    assert offsets.get_json()["error"]["field"] == "start"


def test_a_target_given_as_an_equal_float_is_stored_as_the_entitys_id(
    app: Flask, api: Api, cho: tuple[int, str], entity: dict[str, Any]
) -> None:
    towards = {"paragraph_id": cho[0], "layer": "sentiment", "label": "positive"}
    created = api.create(**towards, attributes={"target_id": float(entity["id"])})
    assert created.status_code == 201, created.get_json()
    stored = created.get_json()["annotation"]["attributes"]
    assert stored == {"target_id": entity["id"]} and type(stored["target_id"]) is int
    with app.app_context():
        after = db.session.scalars(select(AnnotationEvent.after)).all()[-1]
        assert type(after["attributes"]["target_id"]) is int


def test_deleting_an_entity_takes_its_sentiment_and_unlinks_claimants(
    app: Flask, api: Api, cho: tuple[int, str], entity: dict[str, Any]
) -> None:
    sentiment = api.create(
        paragraph_id=cho[0],
        layer="sentiment",
        label="negative",
        attributes={"target_id": entity["id"]},
    ).get_json()["annotation"]
    claim = api.create(
        paragraph_id=cho[0],
        layer="claim",
        start=0,
        end=20,
        label="factual",
        attributes={"claimant": {"entity_id": entity["id"]}},
    ).get_json()
    claim = claim["annotation"]

    response = api.send("DELETE", f"/annotations/{entity['id']}", {"version": 1})

    body = response.get_json()
    assert body["deleted"] == [entity["id"], sentiment["id"]]
    [changed] = body["changed"]
    assert changed["id"] == claim["id"] and changed["version"] == 2
    assert changed["attributes"]["claimant"] == {"entity_id": None, "text": CHO}
    assert counts(app) == (1, 6)


def test_article_status_can_be_set_and_is_validated(
    app: Flask, api: Api, seed_article: int
) -> None:
    response = api.send("PUT", f"/articles/{seed_article}/status", {"status": "done"})
    body = response.get_json()
    assert (body["article_id"], body["status"]) == (seed_article, "done")
    assert len(body["missing"]) == 13  # done all the same: what is missing is a reminder
    bad = api.send("PUT", f"/articles/{seed_article}/status", {"status": "finished"})
    assert bad.status_code == 422 and bad.get_json()["error"]["field"] == "status"
    with app.app_context():
        [row] = db.session.scalars(select(ArticleStatus))
        assert row.status == "done"


def test_mutations_without_the_csrf_header_are_refused(
    app: Flask, api: Api, cho: tuple[int, str]
) -> None:
    body = {"paragraph_id": cho[0], "layer": "entity", "start": 0, "end": 5, "label": "ORG"}
    response = api.client.post("/api/v1/annotations", json=body)
    assert response.status_code == 400
    assert response.get_json()["error"]["code"] == "csrf"
    assert counts(app) == (0, 0)


def test_anonymous_requests_get_401_json(
    app: Flask, client: FlaskClient, cho: tuple[int, str]
) -> None:
    """Reads and writes alike: a write without session or token was a "400 csrf"."""
    body = {"paragraph_id": cho[0], "layer": "entity", "start": 0, "end": 5, "label": "ORG"}
    for response in (
        client.get(f"/api/v1/paragraphs/{cho[0]}/annotations"),
        client.post("/api/v1/annotations", json=body),
        client.delete("/api/v1/annotations/1"),
    ):
        assert response.status_code == 401
        assert response.get_json()["error"]["code"] == "unauthorized"
    assert counts(app) == (0, 0)


def test_bodies_over_the_limit_are_413_and_bad_json_is_400(
    app: Flask, api: Api, cho: tuple[int, str]
) -> None:
    huge = {
        "paragraph_id": cho[0],
        "layer": "entity",
        "start": 0,
        "end": 5,
        "label": "ORG",
        "text": "x" * (app.config["API_MAX_BODY_BYTES"] + 1),
    }
    response = api.create(**huge)
    assert response.status_code == 413
    assert response.get_json()["error"]["code"] == "request_entity_too_large"

    for data, content_type in [
        ("{not json", "application/json"),
        ("[]", "application/json"),
        ("label=ORG", "application/x-www-form-urlencoded"),
    ]:
        response = api.send("POST", "/annotations", None, data=data, content_type=content_type)
        assert response.status_code == 400
        assert response.get_json()["error"]["code"] == "bad_request"
    assert counts(app) == (0, 0)


def test_conflict_reload_lists_one_paragraphs_annotations(
    api: Api, cho: tuple[int, str], entity: dict[str, Any]
) -> None:
    response = api.get(f"/paragraphs/{cho[0]}/annotations")
    assert response.status_code == 200
    assert response.get_json()["annotations"] == [entity]
    assert response.get_json()["paragraph"]["text"] == cho[1]


def test_a_paragraphs_reload_answers_each_annotation_as_its_save_did_in_offset_order(
    app: Flask, api: Api, cho: tuple[int, str]
) -> None:
    """The fetch reads its rows without the ORM: the same fields, attributes as objects,
    a sentiment's null offsets, spans ordered by start; another annotator's work is left out."""
    pid, text = cho
    seoul = api.entity(pid, *span_of(text, "Seoul"), label="GPE").get_json()["annotation"]
    claim_body = {"claimant": {"entity_id": seoul["id"]}, "checkworthy": "yes"}
    start, end = span_of(text, "Seoul has said the meeting could take place on May 26-27.")
    claim = api.create(
        paragraph_id=pid,
        layer="claim",
        start=start,
        end=end,
        label="prediction",
        attributes=claim_body,
    ).get_json()["annotation"]
    cho_span = api.entity(pid, *span_of(text, CHO)).get_json()["annotation"]
    sentiment = api.send("PUT", f"/paragraphs/{pid}/sentiment", {"label": "negative"})
    other_client = app.test_client()
    other = api_for(other_client, Auth(other_client), "bob")
    assert other.entity(pid, *span_of(text, CHO)).status_code == 201

    response = api.get(f"/paragraphs/{pid}/annotations")

    expected = sorted([seoul, claim, cho_span], key=lambda a: (a["start"], a["id"]))
    answered = response.get_json()["annotations"]
    assert [a for a in answered if a["start"] is not None] == expected
    assert [a for a in answered if a["start"] is None] == [sentiment.get_json()["annotation"]]
    assert claim["attributes"]["checkworthy"] == "yes"


def test_a_write_that_races_past_the_version_check_is_refused_not_applied(
    app: Flask, api: Api, cho: tuple[int, str]
) -> None:
    """Two workers read version 1; the first saves. The writer re-reads under its lock and
    refuses the second; a raw UPDATE of the stale row still matches no row (version_id_col)."""
    from annotator.annotations import ConflictError, Proposal, writer
    from annotator.models import Annotation, User

    pid, text = cho
    created = api.entity(pid, *span_of(text, CHO)).get_json()["annotation"]
    with app.app_context(), Session(db.engine) as other:  # another worker's session
        stale = other.get(Annotation, created["id"])
        anna = other.get(User, created["annotator_id"])
        assert stale is not None and anna is not None and stale.version == 1
        first = {"label": "ORG", "version": 1}
        assert api.send("PATCH", f"/annotations/{created['id']}", first).status_code == 200
        late = Proposal(layer=None, label="GPE")
        with pytest.raises(ConflictError):
            writer.update(other, anna, stale, late, {"label"}, 1)
        other.rollback()
        stale = other.get(Annotation, created["id"])
        assert stale is not None
        # as a worker that read before the first save would hold it
        set_committed_value(stale, "version", 1)
        stale.label = "GPE"
        with pytest.raises(StaleDataError):
            other.flush()
        other.rollback()
        saved = other.get(Annotation, created["id"])
        assert saved is not None and (saved.label, saved.version) == ("ORG", 2)


def test_a_stale_write_becomes_a_409_conflict_in_json(
    app: Flask, api: Api, cho: tuple[int, str], monkeypatch: pytest.MonkeyPatch
) -> None:
    from annotator.api import views

    pid, text = cho
    created = api.entity(pid, *span_of(text, CHO)).get_json()["annotation"]

    def racing(*_args: object) -> None:
        raise StaleDataError("UPDATE statement on table 'annotation' expected to update 1 row")

    monkeypatch.setattr(views.writer, "update", racing)
    response = api.send("PATCH", f"/annotations/{created['id']}", {"label": "ORG", "version": 1})
    assert response.status_code == 409
    assert response.get_json()["error"]["code"] == "conflict"
