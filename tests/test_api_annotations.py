"""The JSON API's entity and claim rules: every bad request is a 4xx naming the field, unwritten."""

from __future__ import annotations

from typing import Any

import pytest
from flask import Flask
from flask.testing import FlaskClient

from tests.api_helpers import CHO, Api, api_for, counts, paragraph_with, span_of
from tests.conftest import Auth, import_text


def test_article_lists_paragraphs_schema_and_only_my_annotations(
    app: Flask, client: FlaskClient, auth: Auth, seed_article: int, cho: tuple[int, str]
) -> None:
    bob = api_for(client, auth, "bob")
    assert bob.entity(cho[0], *span_of(cho[1], CHO)).status_code == 201
    auth.logout()
    anna = api_for(client, auth, "anna")

    response = anna.get(f"/articles/{seed_article}")

    assert response.status_code == 200
    body = response.get_json()
    assert len(body["paragraphs"]) == 30
    assert sum(p["is_boilerplate"] for p in body["paragraphs"]) == 17
    assert body["schema"]["entities"][0]["name"] == "PERSON"
    assert body["settings"]["snap_to_words"] is True
    assert body["annotations"] == []
    assert body["article"]["status"] == "not_started"


def test_create_entity_returns_it_with_version_1_and_starts_the_article(
    api: Api, seed_article: int, cho: tuple[int, str]
) -> None:
    start, end = span_of(cho[1], CHO)
    response = api.create(
        paragraph_id=cho[0], layer="entity", start=start, end=end, label="PERSON", text=CHO
    )

    assert response.status_code == 201
    annotation = response.get_json()["annotation"]
    assert annotation["start"] == start and annotation["end"] == end
    assert annotation["label"] == "PERSON" and annotation["version"] == 1
    assert annotation["attributes"] == {}
    listed = api.get(f"/articles/{seed_article}").get_json()
    assert listed["annotations"] == [annotation]
    assert listed["article"]["status"] == "in_progress"


@pytest.mark.parametrize(
    ("change", "field"),
    [
        ({"start": "3"}, "start"),
        ({"start": 2.0}, "start"),
        ({"start": True}, "start"),
        ({"start": None}, "start"),
        ({"start": -1}, "start"),
        ({"end": None}, "end"),
        ({"end": 10_000}, "end"),
        ({"start": 5, "end": 5}, "end"),
        ({"start": 9, "end": 5}, "end"),
        ({"text": "Wang Yi"}, "text"),
        ({"label": "VILLAIN"}, "label"),
        ({"label": 7}, "label"),
        ({"layer": "mood"}, "layer"),
        ({"attributes": {"attribution": "reported"}}, "attributes"),
        ({"attributes": []}, "attributes"),
        ({"colour": "red"}, "colour"),
        ({"paragraph_id": "x"}, "paragraph_id"),
    ],
)
def test_a_bad_entity_is_refused_naming_the_field_and_nothing_is_written(
    app: Flask, api: Api, cho: tuple[int, str], change: dict[str, Any], field: str
) -> None:
    start, end = span_of(cho[1], CHO)
    body = {"paragraph_id": cho[0], "layer": "entity", "start": start, "end": end}
    body.update({"label": "PERSON", "text": CHO}, **change)

    response = api.create(**body)

    assert response.status_code in (400, 422)
    error = response.get_json()["error"]
    assert error["field"] == field
    assert error["message"]
    assert counts(app) == (0, 0)


def test_unknown_paragraph_is_404(api: Api, seed_article: int) -> None:
    response = api.create(paragraph_id=999_999, layer="entity", start=0, end=1, label="PERSON")
    assert response.status_code == 404
    assert response.get_json()["error"]["code"] == "not_found"


def test_entity_spans_of_one_annotator_may_not_overlap(
    app: Flask, client: FlaskClient, auth: Auth, api: Api, cho: tuple[int, str]
) -> None:
    start, end = span_of(cho[1], CHO)
    assert api.entity(cho[0], start, end).status_code == 201

    for overlapping in [(start, end), (start + 4, end + 5), (start - 3, start + 1)]:
        response = api.entity(cho[0], *overlapping, label="ORG")
        assert response.status_code == 409
        assert response.get_json()["error"]["field"] == "start"
        assert "overlaps" in response.get_json()["error"]["message"]
        assert response.get_json()["current"]["start"] == start
    assert counts(app) == (1, 1)
    # touching is not overlapping, and another annotator has a layer of their own
    assert api.entity(cho[0], end, end + 4, label="ORG").status_code == 201
    auth.logout()
    assert api_for(client, auth, "bob").entity(cho[0], start, end).status_code == 201


def test_claims_may_contain_and_cross_entities(api: Api, cho: tuple[int, str]) -> None:
    pid, text = cho
    api.entity(pid, *span_of(text, CHO))
    api.entity(pid, *span_of(text, "Wang Yi"))
    claim = {"attribution": "reported", "claimant": None, "checkworthy": "yes"}

    whole = api.create(
        paragraph_id=pid,
        layer="claim",
        start=0,
        end=len(text) - 1,
        label="factual",
        attributes=claim,
    )
    crossing = api.create(
        paragraph_id=pid,
        layer="claim",
        start=text.index("Tae-yul"),
        end=text.index(" agreed"),
        label="factual",
        attributes=claim,
    )

    assert whole.status_code == 201 and crossing.status_code == 201
    assert whole.get_json()["annotation"]["attributes"] == claim


def test_claim_with_an_entity_claimant_and_free_text_claimant(
    api: Api, cho: tuple[int, str]
) -> None:
    pid, text = cho
    ministry = api.entity(pid, *span_of(text, "Seoul"), label="GPE").get_json()["annotation"]
    start, end = span_of(text, "Seoul has said the meeting could take place on May 26-27.")

    linked = api.create(
        paragraph_id=pid,
        layer="claim",
        start=start,
        end=end,
        label="prediction",
        attributes={
            "attribution": "reported",
            "claimant": {"entity_id": ministry["id"]},
            "checkworthy": "yes",
        },
    )
    free = api.create(
        paragraph_id=pid,
        layer="claim",
        start=0,
        end=10,
        label="opinion",
        attributes={"claimant": {"entity_id": None, "text": " Foreign Ministry "}},
    )

    assert linked.status_code == 201, linked.get_json()
    assert linked.get_json()["annotation"]["attributes"]["claimant"] == {
        "entity_id": ministry["id"],
        "text": "Seoul",
    }
    assert free.get_json()["annotation"]["attributes"] == {
        "attribution": None,
        "claimant": {"entity_id": None, "text": "Foreign Ministry"},
        "checkworthy": None,
    }


@pytest.mark.parametrize(
    ("attributes", "field"),
    [
        ({"attribution": "rumour"}, "attributes.attribution"),
        ({"checkworthy": "maybe"}, "attributes.checkworthy"),
        ({"mood": "x"}, "attributes.mood"),
        ({"claimant": "Wang"}, "attributes.claimant"),
        ({"claimant": {"entity_id": None, "text": "  "}}, "attributes.claimant.text"),
        ({"claimant": {"entity_id": "1"}}, "attributes.claimant.entity_id"),
        ({"claimant": {"entity_id": 999_999}}, "attributes.claimant.entity_id"),
    ],
)
def test_a_bad_claim_attribute_is_refused(
    app: Flask, api: Api, cho: tuple[int, str], attributes: dict[str, Any], field: str
) -> None:
    response = api.create(
        paragraph_id=cho[0], layer="claim", start=0, end=10, label="factual", attributes=attributes
    )
    assert response.status_code == 422
    assert response.get_json()["error"]["field"] == field
    assert counts(app) == (0, 0)


def test_claim_type_must_be_in_the_schema(app: Flask, api: Api, cho: tuple[int, str]) -> None:
    response = api.create(paragraph_id=cho[0], layer="claim", start=0, end=10, label="PERSON")
    assert response.status_code == 422
    assert response.get_json()["error"]["field"] == "label"


@pytest.mark.parametrize(
    ("layer", "span", "label"),
    [("entity", (0, 3), "VILLAIN"), ("claim", (0, 10), "rumour"), ("sentiment", None, "meh")],
)
def test_a_label_outside_the_schema_is_told_apart_as_unknown_label(
    app: Flask, api: Api, cho: tuple[int, str], layer: str, span: Any, label: str
) -> None:
    """So that a page opened before an admin renamed a label knows to reload its labels."""
    offsets = {"start": span[0], "end": span[1]} if span else {}
    response = api.create(paragraph_id=cho[0], layer=layer, label=label, **offsets)
    assert response.status_code == 422
    error = response.get_json()["error"]
    assert (error["code"], error["field"]) == ("unknown_label", "label")
    assert label in error["message"]
    assert counts(app) == (0, 0)


def test_claimant_must_be_my_entity_in_the_same_article(
    app: Flask, client: FlaskClient, auth: Auth, cho: tuple[int, str]
) -> None:
    other_article = import_text(app, "other.txt", "Other title\nWang Yi spoke in Seoul today.\n")
    other_pid, other_text = paragraph_with(app, other_article, "Wang Yi")
    bob = api_for(client, auth, "bob")
    bobs = bob.entity(cho[0], *span_of(cho[1], "Wang Yi")).get_json()["annotation"]
    auth.logout()
    anna = api_for(client, auth, "anna")
    elsewhere = anna.entity(other_pid, 0, 7).get_json()["annotation"]

    for entity in (bobs, elsewhere):
        response = anna.create(
            paragraph_id=cho[0],
            layer="claim",
            start=0,
            end=10,
            label="factual",
            attributes={"claimant": {"entity_id": entity["id"]}},
        )
        assert response.status_code == 422
        assert response.get_json()["error"]["field"] == "attributes.claimant.entity_id"
    assert counts(app) == (2, 2)


def test_offsets_are_code_points_with_emoji_cjk_and_combining_accents(app: Flask, api: Api) -> None:
    text = "😀 𠀋 Cafe\u0301 met Cho Tae-yul 😀 in Seoul."
    article = import_text(app, "unicode.txt", f"Unicode title\n{text}\n")
    pid, stored = paragraph_with(app, article, "Cho")
    start, end = span_of(stored, "Cho Tae-yul")
    assert start == 14  # code points: 😀 and 𠀋 count one each (UTF-16 would say 16)

    response = api.create(
        paragraph_id=pid, layer="entity", start=start, end=end, label="PERSON", text="Cho Tae-yul"
    )
    cafe = api.create(
        paragraph_id=pid, layer="entity", start=4, end=9, label="ORG", text="Cafe\u0301"
    )

    assert response.status_code == 201 and cafe.status_code == 201
    saved = api.get(f"/articles/{article}").get_json()["annotations"]
    assert [stored[a["start"] : a["end"]] for a in saved] == ["Cafe\u0301", "Cho Tae-yul"]
