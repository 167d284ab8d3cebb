"""A gold decision is made once, on what the reviewer saw, and an adjudicated article's gold
is final: no contradictory twin claims from two pages, no accept of an annotation the
annotator changed since, no gold change behind an adjudication."""

from __future__ import annotations

from flask import Flask
from flask.testing import FlaskClient

from tests.api_helpers import Api, span_of
from tests.conftest import Auth, add_user
from tests.review_support import WANG, Reviewed, annotation_of, gold_rows, in_own_browser

CLAIM = {"attribution": "reported", "claimant": None, "checkworthy": "yes"}


def claim(api: Api, work: Reviewed, label: str) -> int:
    """A claim over the whole first sentence of the reviewed paragraph."""
    end = work.text.index(".") + 1
    response = api.create(
        paragraph_id=work.paragraph,
        layer="claim",
        start=0,
        end=end,
        label=label,
        attributes=CLAIM,
    )
    assert response.status_code == 201
    return int(response.get_json()["annotation"]["id"])


def test_two_reviewers_cannot_store_two_claims_over_the_same_text(
    app: Flask, client: FlaskClient, auth: Auth, reviewed: Reviewed
) -> None:
    annas = claim(in_own_browser(app, "anna"), reviewed, "prediction")
    bobs = claim(in_own_browser(app, "bob"), reviewed, "factual")
    rita = in_own_browser(app, "rita")
    add_user(app, "ravi", "reviewer")
    ravi = in_own_browser(app, "ravi")

    assert rita.send("POST", f"/review/annotations/{annas}/accept", {}).status_code == 201
    # Ravi's page still shows no gold there: his accept of bob's version must not add a twin.
    refused = ravi.send("POST", f"/review/annotations/{bobs}/accept", {})
    assert refused.status_code == 409
    assert "'prediction' claim" in refused.get_json()["error"]["message"]
    assert refused.get_json()["current"]["label"] == "prediction"
    # The same accept sent again (no client_id to replay) is not a second copy either.
    again = rita.send("POST", f"/review/annotations/{annas}/accept", {})
    assert again.status_code == 409
    assert "holds this already" in again.get_json()["error"]["message"]
    claims = [row for row in gold_rows(app) if row[0] == "claim"]
    assert [row[3] for row in claims] == ["prediction"]


def test_a_reviewer_adds_no_claim_where_gold_has_one(
    app: Flask, client: FlaskClient, auth: Auth, reviewed: Reviewed
) -> None:
    annas = claim(in_own_browser(app, "anna"), reviewed, "prediction")
    rita = in_own_browser(app, "rita")
    assert rita.send("POST", f"/review/annotations/{annas}/accept", {}).status_code == 201
    end = reviewed.text.index(".") + 1
    body = {"paragraph_id": reviewed.paragraph, "layer": "claim", "start": 0, "end": end}
    added = rita.send("POST", "/review/gold", {**body, "label": "opinion", "attributes": CLAIM})
    assert added.status_code == 409
    assert [row[3] for row in gold_rows(app) if row[0] == "claim"] == ["prediction"]


def test_an_accept_of_an_annotation_changed_since_it_was_read_is_a_conflict(
    app: Flask, client: FlaskClient, auth: Auth, reviewed: Reviewed, users: dict[str, int]
) -> None:
    annas = annotation_of(app, users["anna"], "PERSON")
    rita = in_own_browser(app, "rita")
    seen = rita.send("GET", f"/review/paragraphs/{reviewed.paragraph}").get_json()
    version = next(a["version"] for a in seen["annotations"] if a["id"] == annas)
    anna = in_own_browser(app, "anna")
    changed = anna.send("PATCH", f"/annotations/{annas}", {"label": "ORG", "version": version})
    assert changed.status_code == 200
    rita = in_own_browser(app, "rita")
    stale = rita.send("POST", f"/review/annotations/{annas}/accept", {"version": version})
    assert stale.status_code == 409
    assert stale.get_json()["current"]["label"] == "ORG"
    assert gold_rows(app) == []
    fresh = rita.send("POST", f"/review/annotations/{annas}/accept", {"version": version + 1})
    assert fresh.status_code == 201 and gold_rows(app)[0][3] == "ORG"
    wrong = rita.send("POST", f"/review/annotations/{annas}/accept", {"version": "2"})
    assert wrong.status_code == 422 or wrong.status_code == 400


def test_an_adjudicated_articles_gold_is_final_until_it_is_back_in_review(
    app: Flask, client: FlaskClient, auth: Auth, reviewed: Reviewed, users: dict[str, int]
) -> None:
    rita = in_own_browser(app, "rita")
    review = rita.send("GET", f"/review/articles/{reviewed.article}").get_json()["review"]
    path = f"/review/articles/{reviewed.article}/status"
    done = rita.send("PUT", path, {"status": "adjudicated", "version": review["version"]})
    assert done.status_code == 200
    bobs = annotation_of(app, users["bob"], "ORG")

    late = rita.send("POST", f"/review/annotations/{bobs}/accept", {})
    assert late.status_code == 409
    assert "adjudicated" in late.get_json()["error"]["message"]
    assert late.get_json()["current"]["status"] == "adjudicated"
    wang = span_of(reviewed.text, WANG)
    body = {"paragraph_id": reviewed.paragraph, "layer": "entity", "label": "GPE"}
    added = rita.send("POST", "/review/gold", {**body, "start": wang[0], "end": wang[1]})
    assert added.status_code == 409
    accept_all = rita.send("POST", f"/review/articles/{reviewed.article}/accept-agreements", {})
    assert accept_all.status_code == 409
    assert gold_rows(app) == []

    version = done.get_json()["review"]["version"]
    reopened = rita.send("PUT", path, {"status": "in_review", "version": version})
    assert reopened.status_code == 200
    assert rita.send("POST", f"/review/annotations/{bobs}/accept", {}).status_code == 201


def test_work_its_annotator_has_not_finished_is_neither_accepted_nor_commented(
    app: Flask, client: FlaskClient, auth: Auth, reviewed: Reviewed, users: dict[str, int]
) -> None:
    """The review page shows finished work only; the API holds to it too."""
    anna = in_own_browser(app, "anna")
    reopened = anna.send("PUT", f"/articles/{reviewed.article}/status", {"status": "in_progress"})
    assert reopened.status_code == 200
    annas = annotation_of(app, users["anna"], "PERSON")
    rita = in_own_browser(app, "rita")
    accepted = rita.send("POST", f"/review/annotations/{annas}/accept", {})
    assert accepted.status_code == 409
    assert "not finished" in accepted.get_json()["error"]["message"]
    said = rita.send("POST", f"/review/annotations/{annas}/comments", {"body": "Check the span."})
    assert said.status_code == 409
    assert gold_rows(app) == []


def test_a_claim_waits_for_its_claimant_entity_to_be_in_gold(
    app: Flask, reviewed: Reviewed, users: dict[str, int]
) -> None:
    """Accepting a claim before its claimant's entity stored it with no entity, and the
    link never came back; a sentiment's target is asked for first, and so is a claimant."""
    person = annotation_of(app, users["anna"], "PERSON")  # Cho or Wang Yi: either will do
    anna = in_own_browser(app, "anna")
    end = reviewed.text.index(".") + 1
    attributes = {**CLAIM, "claimant": {"entity_id": person, "text": ""}}
    made = anna.create(
        paragraph_id=reviewed.paragraph,
        layer="claim",
        start=0,
        end=end,
        label="factual",
        attributes=attributes,
    )
    assert made.status_code == 201
    claim_id = made.get_json()["annotation"]["id"]
    rita = in_own_browser(app, "rita")
    early = rita.send("POST", f"/review/annotations/{claim_id}/accept", {})
    assert early.status_code == 422
    assert "claimant" in early.get_json()["error"]["message"]
    entity = rita.send("POST", f"/review/annotations/{person}/accept", {}).get_json()
    accepted = rita.send("POST", f"/review/annotations/{claim_id}/accept", {})
    assert accepted.status_code == 201
    claimant = accepted.get_json()["annotation"]["attributes"]["claimant"]
    assert claimant["entity_id"] == entity["annotation"]["id"]
