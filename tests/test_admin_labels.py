"""The label-schema editor keeps annotations and schema in step."""

from __future__ import annotations

import copy

import pytest
from flask import Flask

from annotator.schema import DEFAULT_SCHEMA, SchemaError, validate_schema
from tests.admin_support import annotate, annotation, last_audit, post, project
from tests.conftest import Auth

LABELS = "/admin/projects/default/labels"


def _flash(auth: Auth, response) -> str:  # type: ignore[no-untyped-def]
    assert response.status_code == 302
    return auth.client.get(response.headers["Location"]).get_data(as_text=True)


def test_editor_lists_labels_with_usage(app: Flask, auth: Auth, seed_article: int) -> None:
    annotate(app, seed_article, "anna", "entity", "PERSON")
    auth.login("admin")
    page = auth.client.get(LABELS).get_data(as_text=True)
    assert "PERSON" in page and "Claim types" in page and "Sentiment scale" in page
    assert "Merge into" in page  # PERSON is used: removal becomes a merge


def test_rename_entity_label_renames_annotations_in_one_go(
    app: Flask, auth: Auth, seed_article: int
) -> None:
    first = annotate(app, seed_article, "anna", "entity", "PERSON")
    second = annotate(app, seed_article, "bob", "entity", "PERSON", position=1)
    other = annotate(app, seed_article, "bob", "entity", "ORG", position=2)
    auth.login("admin")
    data = {"kind": "entity", "old": "PERSON", "new": "PER"}
    page = _flash(auth, post(auth.client, f"{LABELS}/rename", data))
    assert "in 2 annotation(s)" in page
    names = [e["name"] for e in project(app).label_schema["entities"]]
    assert names[0] == "PER" and "PERSON" not in names
    assert annotation(app, first).label == annotation(app, second).label == "PER"
    assert annotation(app, first).version == 2
    assert annotation(app, other).label == "ORG"
    entry = last_audit(app)
    assert entry.action == "label.rename"
    assert entry.after == {"kind": "entity", "name": "PER", "annotations": 2}


def test_rename_claim_type_sentiment_and_attribution(
    app: Flask, auth: Auth, seed_article: int
) -> None:
    claim = annotate(
        app,
        seed_article,
        "anna",
        "claim",
        "factual",
        {"attribution": "reported", "claimant": None, "checkworthy": "yes"},
    )
    feeling = annotate(app, seed_article, "anna", "sentiment", "negative")
    auth.login("admin")
    post(auth.client, f"{LABELS}/rename", {"kind": "claim_type", "old": "factual", "new": "fact"})
    post(auth.client, f"{LABELS}/rename", {"kind": "sentiment", "old": "negative", "new": "neg"})
    post(
        auth.client,
        f"{LABELS}/rename",
        {"kind": "attribution", "old": "reported", "new": "indirect"},
    )
    assert annotation(app, claim).label == "fact"
    assert annotation(app, claim).attributes["attribution"] == "indirect"
    assert annotation(app, claim).attributes["checkworthy"] == "yes"
    assert annotation(app, feeling).label == "neg"
    schema = project(app).label_schema
    assert "fact" in schema["claims"]["types"] and "indirect" in schema["claims"]["attributions"]
    assert "neg" in schema["sentiment"]


def test_rename_to_an_existing_name_is_refused(app: Flask, auth: Auth, seed_article: int) -> None:
    used = annotate(app, seed_article, "anna", "entity", "PERSON")
    auth.login("admin")
    page = _flash(
        auth,
        post(auth.client, f"{LABELS}/rename", {"kind": "entity", "old": "PERSON", "new": "ORG"}),
    )
    assert "exists already" in page
    assert annotation(app, used).label == "PERSON"


def test_labels_that_differ_only_by_case_are_refused(app: Flask, auth: Auth) -> None:
    """A model's GPE (pipelines map labels case aside) or an import's could mean either."""
    auth.login("admin")
    before = project(app).label_schema
    entity = {"kind": "entity", "name": "gpe", "color": "#123abc", "key": ""}
    added = _flash(auth, post(auth.client, f"{LABELS}/add", entity))
    assert "&#39;GPE&#39; exists already (labels must differ by more than case)" in added
    sentiment = _flash(
        auth, post(auth.client, f"{LABELS}/add", {"kind": "sentiment", "name": "Positive"})
    )
    assert "&#39;positive&#39; exists already" in sentiment
    renamed = {"kind": "entity", "old": "PERSON", "new": "org"}
    assert "&#39;ORG&#39; exists already" in _flash(
        auth, post(auth.client, f"{LABELS}/rename", renamed)
    )
    assert project(app).label_schema == before

    recased = {"kind": "entity", "old": "PERSON", "new": "Person"}  # the same label, recased
    _flash(auth, post(auth.client, f"{LABELS}/rename", recased))
    assert "Person" in [e["name"] for e in project(app).label_schema["entities"]]


def test_removing_a_used_label_is_refused_with_the_count(
    app: Flask, auth: Auth, seed_article: int
) -> None:
    annotate(app, seed_article, "anna", "entity", "MONEY")
    annotate(app, seed_article, "bob", "entity", "MONEY")
    auth.login("admin")
    page = _flash(auth, post(auth.client, f"{LABELS}/remove", {"kind": "entity", "name": "MONEY"}))
    assert "2 annotations use &#39;MONEY&#39;: it cannot be removed" in page
    assert "Merge it into another label instead" in page
    assert "MONEY" in [e["name"] for e in project(app).label_schema["entities"]]


def test_merging_a_used_label_moves_its_annotations(
    app: Flask, auth: Auth, seed_article: int
) -> None:
    used = annotate(app, seed_article, "anna", "entity", "PERCENT")
    auth.login("admin")
    data = {"kind": "entity", "name": "PERCENT", "merge_into": "MONEY"}
    page = _flash(auth, post(auth.client, f"{LABELS}/remove", data))
    assert "Merged &#39;PERCENT&#39; into &#39;MONEY&#39;: 1 annotation(s)" in page
    assert annotation(app, used).label == "MONEY"
    assert "PERCENT" not in [e["name"] for e in project(app).label_schema["entities"]]
    assert last_audit(app).action == "label.merge"


def test_removing_an_unused_label(app: Flask, auth: Auth) -> None:
    auth.login("admin")
    post(auth.client, f"{LABELS}/remove", {"kind": "sentiment", "name": "mixed"})
    assert project(app).label_schema["sentiment"] == ["negative", "neutral", "positive"]


def test_add_and_edit_entity_labels_are_validated(app: Flask, auth: Auth) -> None:
    auth.login("admin")
    ok = {"kind": "entity", "name": "LAW", "color": "#123abc", "key": "g", "description": "Laws"}
    post(auth.client, f"{LABELS}/add", ok)
    assert project(app).label_schema["entities"][-1] == {
        "name": "LAW",
        "color": "#123abc",
        "key": "g",
        "description": "Laws",
    }
    bad_key = _flash(auth, post(auth.client, f"{LABELS}/add", {**ok, "name": "ACT"}))
    assert "key &#39;g&#39; is used twice" in bad_key
    bad_colour = _flash(
        auth, post(auth.client, f"{LABELS}/entity", {"name": "LAW", "color": "red", "key": "g"})
    )
    assert "must be a colour like #1f77b4" in bad_colour
    duplicate = _flash(auth, post(auth.client, f"{LABELS}/add", {**ok, "key": ""}))
    assert "exists already" in duplicate
    post(
        auth.client,
        f"{LABELS}/entity",
        {"name": "LAW", "color": "#00ff00", "key": "", "description": "Statutes"},
    )
    assert project(app).label_schema["entities"][-1]["color"] == "#00ff00"
    assert last_audit(app).action == "label.update"


def test_last_value_of_a_list_cannot_be_removed(app: Flask, auth: Auth) -> None:
    auth.login("admin")
    for value in ["yes"]:
        post(auth.client, f"{LABELS}/remove", {"kind": "checkworthy", "name": value})
    page = _flash(
        auth, post(auth.client, f"{LABELS}/remove", {"kind": "checkworthy", "name": "no"})
    )
    assert "must be a non-empty list" in page
    assert project(app).label_schema["claims"]["checkworthy"] == ["no"]


def test_a_schema_with_names_equal_but_for_case_is_invalid() -> None:
    entities = copy.deepcopy(DEFAULT_SCHEMA)
    entities["entities"].append({**entities["entities"][0], "name": "person", "key": ""})
    sentiments = copy.deepcopy(DEFAULT_SCHEMA)
    sentiments["sentiment"].append("Neutral")
    for schema in (entities, sentiments):
        with pytest.raises(SchemaError, match="case aside"):
            validate_schema(schema)
    validate_schema(copy.deepcopy(DEFAULT_SCHEMA))
