"""Progress counts what the project asks of each content paragraph (a sentiment; a claimant
for every attributed claim), and the API lists what is missing by paragraph number."""

import json
from pathlib import Path
from typing import Any

from flask import Flask
from sqlalchemy import select

from annotator.annotations.progress import lacks_claimant, paragraph_missing, requirements
from annotator.extensions import db
from annotator.models import Paragraph
from annotator.schema import DEFAULT_SCHEMA
from tests.api_helpers import Api, api_for, paragraph_with, span_of
from tests.conftest import Auth

#: Shared with tests/js/progress.test.mjs: the page's rule and this one answer alike.
CASES = json.loads((Path(__file__).parent / "data" / "progress-cases.json").read_text())
CLAIM = "Seoul has said the meeting could take place on May 26-27"


def content_numbers(app: Flask, article_id: int) -> list[int]:
    with app.app_context():
        query = select(Paragraph.position).where(
            Paragraph.article_id == article_id, Paragraph.is_boilerplate.is_(False)
        )
        return sorted(position + 1 for position in db.session.scalars(query))


def progress(api: Api, article_id: int) -> Any:
    response = api.get(f"/articles/{article_id}/progress")
    assert response.status_code == 200
    return response.get_json()


def set_sentiment(api: Api, paragraph_id: int, label: str | None = "neutral") -> None:
    response = api.send("PUT", f"/paragraphs/{paragraph_id}/sentiment", {"label": label})
    assert response.status_code == 200


def reported_claim(api: Api, cho: tuple[int, str], claimant: Any = None) -> Any:
    start, end = span_of(cho[1], CLAIM)
    attributes = {"attribution": "reported", "claimant": claimant, "checkworthy": "yes"}
    body = {"paragraph_id": cho[0], "layer": "claim", "start": start, "end": end}
    response = api.create(**body, label="prediction", attributes=attributes)
    assert response.status_code == 201, response.get_json()
    return response.get_json()["annotation"]


def test_the_default_schema_asks_a_sentiment_per_paragraph_and_a_claimant_per_claim() -> None:
    assert requirements(DEFAULT_SCHEMA) == ("sentiment", "claimant")
    only_unattributed = {**DEFAULT_SCHEMA, "claims": {"attributions": ["unattributed"]}}
    assert requirements(only_unattributed) == ("sentiment",)
    assert requirements({"sentiment": [], "claims": {}}) == ()


def test_the_shared_cases_lack_what_the_page_says_they_lack() -> None:
    for name, expected in CASES["requirements"].items():
        assert list(requirements(CASES["schemas"][name])) == expected, name
    for case in CASES["paragraphs"]:
        required = requirements(CASES["schemas"][case["schema"]])
        missing = paragraph_missing(required, case["sentiment"], case["claims"])
        assert list(missing) == case["missing"], case["why"]


def test_a_claim_lacks_its_claimant_only_when_attributed_to_nobody() -> None:
    assert lacks_claimant({"attribution": "reported", "claimant": None})
    assert lacks_claimant({"attribution": "direct_quote", "claimant": {"text": "  "}})
    assert not lacks_claimant({"attribution": "reported", "claimant": {"text": "Seoul"}})
    assert not lacks_claimant({"attribution": "reported", "claimant": {"entity_id": 3}})
    assert not lacks_claimant({"attribution": "unattributed", "claimant": None})


def test_an_untouched_article_lists_every_content_paragraph_as_missing_its_sentiment(
    app: Flask, api: Api, seed_article: int
) -> None:
    body = progress(api, seed_article)

    numbers = content_numbers(app, seed_article)
    assert body["required"] == ["sentiment", "claimant"]
    assert (body["content_paragraphs"], body["complete"]) == (13, 0)
    assert [gap["number"] for gap in body["missing"]] == numbers
    assert all(gap["missing"] == ["sentiment"] for gap in body["missing"])


def test_a_paragraph_with_its_sentiment_is_complete_and_boilerplate_is_never_listed(
    app: Flask, api: Api, seed_article: int, cho: tuple[int, str]
) -> None:
    set_sentiment(api, cho[0])
    body = progress(api, seed_article)

    assert body["complete"] == 1
    listed = {gap["paragraph_id"] for gap in body["missing"]}
    assert cho[0] not in listed
    boilerplate, _ = paragraph_with(app, seed_article, "Most Read from Bloomberg")
    assert boilerplate not in listed


def test_an_attributed_claim_without_claimant_keeps_its_paragraph_incomplete(
    api: Api, seed_article: int, cho: tuple[int, str]
) -> None:
    set_sentiment(api, cho[0])
    claim = reported_claim(api, cho)

    [gap] = [g for g in progress(api, seed_article)["missing"] if g["paragraph_id"] == cho[0]]
    assert gap["missing"] == ["claimant"]

    named = {**claim["attributes"], "claimant": {"entity_id": None, "text": "Seoul"}}
    changed = api.send(
        "PATCH", f"/annotations/{claim['id']}", {"attributes": named, "version": claim["version"]}
    )
    assert changed.status_code == 200, changed.get_json()
    assert cho[0] not in {g["paragraph_id"] for g in progress(api, seed_article)["missing"]}


def test_only_the_users_own_work_counts(
    client: Any, auth: Auth, seed_article: int, cho: tuple[int, str]
) -> None:
    bob = api_for(client, auth, "bob")
    set_sentiment(bob, cho[0])
    auth.logout()
    anna = api_for(client, auth, "anna")
    assert progress(anna, seed_article)["complete"] == 0


def test_done_is_the_annotators_call_and_its_answer_lists_what_is_missing(
    api: Api, seed_article: int, cho: tuple[int, str]
) -> None:
    set_sentiment(api, cho[0])
    response = api.send("PUT", f"/articles/{seed_article}/status", {"status": "done"})

    assert response.status_code == 200
    body = response.get_json()
    assert body["status"] == "done"
    assert body["missing"] == progress(api, seed_article)["missing"]
    assert len(body["missing"]) == 12


def test_progress_of_an_article_the_user_cannot_see_is_a_404(api: Api, seed_article: int) -> None:
    assert api.get(f"/articles/{seed_article + 1000}/progress").status_code == 404
