"""Boilerplate proposals: annotators propose through the API, reviewers and admins decide in
a list; wrong roles get 403, unseen articles 404, bad input a 4xx naming the problem."""

from __future__ import annotations

import copy
from typing import Any

import pytest
from flask import Flask
from flask.testing import FlaskClient
from sqlalchemy import select

from annotator.boilerplate.proposals import _insert
from annotator.extensions import db
from annotator.ingest import parse_text_article, store_articles
from annotator.models import BoilerplateProposal, Paragraph, Project, ProjectMember, User
from annotator.schema import DEFAULT_SCHEMA, DEFAULT_SETTINGS
from tests.admin_support import annotate, audit_actions, post
from tests.api_helpers import Api, api_for
from tests.conftest import Auth, import_text
from tests.test_tokens import create_token

ARTICLE = (
    "Rates held steady\nThe bank kept its rate.\nMarkets rose after the decision.\n"
    "Analysts were surprised.\n"
)


@pytest.fixture
def article(app: Flask, users: dict[str, int]) -> int:
    return import_text(app, "rates.txt", ARTICLE)


def paragraph_id(app: Flask, article: int, position: int) -> int:
    with app.app_context():
        found = db.session.scalar(
            select(Paragraph.id).where(
                Paragraph.article_id == article, Paragraph.position == position
            )
        )
        assert found is not None
        return found


def is_boilerplate(app: Flask, pid: int) -> bool:
    with app.app_context():
        paragraph = db.session.get(Paragraph, pid)
        assert paragraph is not None
        return paragraph.is_boilerplate


def proposals(app: Flask) -> list[tuple[int, bool, str]]:
    with app.app_context():
        rows = db.session.scalars(select(BoilerplateProposal).order_by(BoilerplateProposal.id))
        return [(p.paragraph_id, p.makes_boilerplate, p.status) for p in rows]


def propose(api: Api, pid: int, flag: str = "boilerplate") -> Any:
    return api.send("POST", f"/paragraphs/{pid}/boilerplate-proposals", {"flag": flag})


@pytest.fixture
def proposed(app: Flask, client: FlaskClient, auth: Auth, article: int) -> int:
    """anna's pending proposal that paragraph 2 is boilerplate; its id. Logged out after."""
    api = api_for(client, auth, "anna")
    response = propose(api, paragraph_id(app, article, 1))
    assert response.status_code == 201
    auth.logout()
    return int(response.get_json()["proposal"]["id"])


# --- proposing -----------------------------------------------------------------------------


def test_an_annotator_proposes_and_the_article_lists_it_as_pending(
    app: Flask, client: FlaskClient, auth: Auth, article: int
) -> None:
    api = api_for(client, auth, "anna")
    pid = paragraph_id(app, article, 1)
    created = propose(api, pid)
    assert created.status_code == 201
    assert created.get_json()["proposal"] | {"id": 0, "created_at": ""} == {
        "id": 0,
        "paragraph_id": pid,
        "flag": "boilerplate",
        "status": "pending",
        "proposed_by": "anna",
        "created_at": "",
    }
    again = propose(api, pid)
    assert again.status_code == 200 and again.get_json() == created.get_json()
    listed = api.get(f"/articles/{article}/boilerplate-proposals").get_json()["proposals"]
    assert [p["paragraph_id"] for p in listed] == [pid]
    assert proposals(app) == [(pid, True, "pending")]
    assert not is_boilerplate(app, pid)
    assert audit_actions(app) == ["boilerplate.propose"]


def test_a_second_annotator_proposing_the_same_gets_the_pending_one(
    app: Flask, client: FlaskClient, auth: Auth, article: int, proposed: int
) -> None:
    api = api_for(client, auth, "bob")
    response = propose(api, paragraph_id(app, article, 1))
    assert response.status_code == 200
    assert response.get_json()["proposal"]["id"] == proposed
    assert len(proposals(app)) == 1


@pytest.mark.parametrize(
    ("body", "status", "field"),
    [
        ({"flag": "content"}, 422, None),  # it is content already
        ({"flag": "sidebar"}, 400, "flag"),
        ({}, 400, "flag"),
        ({"flag": "boilerplate", "extra": 1}, 400, "extra"),
    ],
)
def test_bad_proposals_are_refused_naming_the_problem(
    app: Flask,
    client: FlaskClient,
    auth: Auth,
    article: int,
    body: dict[str, Any],
    status: int,
    field: str | None,
) -> None:
    api = api_for(client, auth, "anna")
    response = api.send(
        "POST", f"/paragraphs/{paragraph_id(app, article, 1)}/boilerplate-proposals", body
    )
    assert response.status_code == status
    assert response.get_json()["error"]["field"] == field
    assert proposals(app) == []


def test_a_proposal_without_the_csrf_token_is_refused(
    app: Flask, client: FlaskClient, auth: Auth, article: int
) -> None:
    auth.login("anna")
    pid = paragraph_id(app, article, 1)
    response = client.post(
        f"/api/v1/paragraphs/{pid}/boilerplate-proposals", json={"flag": "boilerplate"}
    )
    assert response.status_code == 400
    assert response.get_json()["error"]["code"] == "csrf"
    assert proposals(app) == []


def test_paragraphs_the_user_cannot_see_are_404_alike(
    app: Flask, client: FlaskClient, auth: Auth, users: dict[str, int]
) -> None:
    with app.app_context():
        project = Project(
            name="Closed",
            slug="closed",
            label_schema=copy.deepcopy(DEFAULT_SCHEMA),
            settings=dict(DEFAULT_SETTINGS),
        )
        db.session.add(project)
        db.session.flush()
        db.session.add(ProjectMember(project_id=project.id, user_id=users["bob"]))
        draft = parse_text_article("closed.txt", b"Closed\nA paragraph.\n")
        article = store_articles(db.session, project, [draft]).preview[0]
        db.session.commit()
        article_id = article.id
        hidden = db.session.scalars(
            select(Paragraph.id).where(Paragraph.article_id == article_id)
        ).one()
    api = api_for(client, auth, "anna")
    closed = propose(api, hidden)
    missing = propose(api, hidden + 1000)
    assert closed.status_code == missing.status_code == 404
    assert closed.get_json() == missing.get_json()
    assert api.get(f"/articles/{article_id}/boilerplate-proposals").status_code == 404


def test_a_script_proposes_with_an_annotate_token_but_not_with_a_read_one(
    app: Flask, client: FlaskClient, auth: Auth, article: int
) -> None:
    auth.login("anna")
    annotate_token = create_token(auth, "proposer", ("annotate",))
    read_token = create_token(auth, "reader", ("read",))
    auth.logout()
    pid = paragraph_id(app, article, 1)
    url = f"/api/v1/paragraphs/{pid}/boilerplate-proposals"
    refused = client.post(
        url, json={"flag": "boilerplate"}, headers={"Authorization": f"Bearer {read_token}"}
    )
    assert refused.status_code == 403
    accepted = client.post(
        url, json={"flag": "boilerplate"}, headers={"Authorization": f"Bearer {annotate_token}"}
    )
    assert accepted.status_code == 201


# --- deciding ------------------------------------------------------------------------------


def test_annotators_cannot_decide_in_the_api_or_the_pages(
    app: Flask, client: FlaskClient, auth: Auth, proposed: int
) -> None:
    api = api_for(client, auth, "bob")
    assert api.send("POST", f"/boilerplate-proposals/{proposed}/confirm", {}).status_code == 403
    assert api.send("POST", f"/boilerplate-proposals/{proposed}/decline", {}).status_code == 403
    assert post(client, f"/boilerplate-proposals/{proposed}/confirm").status_code == 403
    assert client.get("/projects/default/boilerplate-proposals").status_code == 403
    assert client.get("/admin/projects/default/boilerplate").status_code == 403
    assert proposals(app)[0][2] == "pending"


def test_a_missing_proposal_is_404(client: FlaskClient, auth: Auth, proposed: int) -> None:
    api = api_for(client, auth, "rita")
    assert (
        api.send("POST", f"/boilerplate-proposals/{proposed + 99}/confirm", {}).status_code == 404
    )
    assert post(client, f"/boilerplate-proposals/{proposed + 99}/decline").status_code == 404


def test_a_reviewer_confirms_in_the_list_and_the_paragraph_becomes_boilerplate(
    app: Flask, client: FlaskClient, auth: Auth, article: int, proposed: int
) -> None:
    auth.login("rita")
    page = client.get("/projects/default/boilerplate-proposals").get_data(as_text=True)
    assert "Markets rose after the decision." in page and "anna" in page
    response = post(client, f"/boilerplate-proposals/{proposed}/confirm")
    assert response.status_code == 302
    assert response.headers["Location"].endswith("/projects/default/boilerplate-proposals")
    assert is_boilerplate(app, paragraph_id(app, article, 1))
    assert proposals(app)[0][2] == "confirmed"
    assert audit_actions(app)[-1] == "boilerplate.confirm"
    again = post(client, f"/boilerplate-proposals/{proposed}/confirm", follow_redirects=True)
    assert "already confirmed or declined" in again.get_data(as_text=True)


def test_declining_keeps_the_flag(
    app: Flask, client: FlaskClient, auth: Auth, article: int, proposed: int
) -> None:
    api = api_for(client, auth, "admin")
    response = api.send("POST", f"/boilerplate-proposals/{proposed}/decline", {})
    assert response.status_code == 200
    assert response.get_json()["proposal"]["status"] == "declined"
    assert not is_boilerplate(app, paragraph_id(app, article, 1))
    assert api.send("POST", f"/boilerplate-proposals/{proposed}/decline", {}).status_code == 409
    assert audit_actions(app)[-1] == "boilerplate.decline"


def test_confirming_boilerplate_over_annotations_warns_and_lists_them_first(
    app: Flask, client: FlaskClient, auth: Auth, article: int, proposed: int
) -> None:
    annotate(app, article, "bob", "entity", "ORG", position=1)
    auth.login("admin")
    warning = post(client, f"/boilerplate-proposals/{proposed}/confirm", {"back": "admin"})
    assert warning.status_code == 409
    text = warning.get_data(as_text=True)
    assert "bob" in text and "ORG" in text and "Confirm anyway" in text
    pid = paragraph_id(app, article, 1)
    assert not is_boilerplate(app, pid) and proposals(app)[0][2] == "pending"
    data = {"include_annotated": "1", "back": "admin"}
    confirmed = post(client, f"/boilerplate-proposals/{proposed}/confirm", data)
    assert confirmed.headers["Location"].endswith("/admin/projects/default/boilerplate")
    assert is_boilerplate(app, pid)


def test_the_api_lists_the_annotations_a_confirmation_would_hide(
    app: Flask, client: FlaskClient, auth: Auth, article: int, proposed: int
) -> None:
    annotate(app, article, "bob", "sentiment", "neutral", position=1)
    api = api_for(client, auth, "rita")
    warned = api.send("POST", f"/boilerplate-proposals/{proposed}/confirm", {})
    assert warned.status_code == 409
    body = warned.get_json()
    assert body["error"]["code"] == "annotated"
    assert [(a["annotator"], a["label"]) for a in body["annotations"]] == [("bob", "neutral")]
    done = api.send(
        "POST", f"/boilerplate-proposals/{proposed}/confirm", {"include_annotated": True}
    )
    assert done.status_code == 200
    assert is_boilerplate(app, paragraph_id(app, article, 1))


def test_a_content_proposal_on_boilerplate_brings_the_paragraph_back(
    app: Flask, client: FlaskClient, auth: Auth, article: int
) -> None:
    pid = paragraph_id(app, article, 2)
    with app.app_context():
        paragraph = db.session.get(Paragraph, pid)
        assert paragraph is not None
        paragraph.is_boilerplate = True
        db.session.commit()
    api = api_for(client, auth, "anna")
    proposal = propose(api, pid, "content").get_json()["proposal"]["id"]
    auth.logout()
    reviewer = api_for(client, auth, "rita")
    assert (
        reviewer.send("POST", f"/boilerplate-proposals/{proposal}/confirm", {}).status_code == 200
    )
    assert not is_boilerplate(app, pid)


def test_the_admin_tab_lists_pending_proposals(
    client: FlaskClient, auth: Auth, proposed: int
) -> None:
    auth.login("admin")
    page = client.get("/admin/projects/default/boilerplate").get_data(as_text=True)
    assert f'id="proposal-{proposed}"' in page and "1 pending." in page
    assert 'name="back" value="admin"' in page


def test_a_project_reviewer_decides_though_an_annotator_elsewhere(
    app: Flask, client: FlaskClient, auth: Auth, article: int, proposed: int, users: dict[str, int]
) -> None:
    with app.app_context():
        default = db.session.scalar(select(Project.id).where(Project.slug == "default"))
        db.session.add_all(
            [
                ProjectMember(project_id=default, user_id=users["bob"], role="reviewer"),
                ProjectMember(project_id=default, user_id=users["anna"]),
            ]
        )
        db.session.commit()
    auth.login("bob")
    assert client.get("/projects/default/boilerplate-proposals").status_code == 200
    assert post(client, f"/boilerplate-proposals/{proposed}/decline").status_code == 302
    assert proposals(app)[0][2] == "declined"


def test_a_proposal_racing_another_on_the_same_paragraph_is_not_stored_twice(
    app: Flask, article: int, proposed: int, users: dict[str, int]
) -> None:
    with app.app_context():
        bob = db.session.get(User, users["bob"])
        paragraph = db.session.get(Paragraph, paragraph_id(app, article, 1))
        assert bob is not None and paragraph is not None
        assert _insert(db.session, bob, paragraph, True) is None  # the unique index refused it
        db.session.commit()
    assert len(proposals(app)) == 1
