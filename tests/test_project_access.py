"""Who works on which project: members, open projects, archived ones, across every area."""

from __future__ import annotations

import copy
from typing import Any

import pytest
from flask import Flask
from flask.testing import FlaskClient
from sqlalchemy import select

from annotator.extensions import db
from annotator.ingest import parse_text_article, store_articles
from annotator.models import Annotation, Paragraph, Project, ProjectMember, utcnow
from annotator.schema import DEFAULT_SCHEMA, DEFAULT_SETTINGS
from tests.admin_support import annotate, post
from tests.api_helpers import api_for, counts
from tests.conftest import CSRF_INPUT, Auth
from tests.test_tokens import create_token


@pytest.fixture
def closed(app: Flask, users: dict[str, int]) -> dict[str, int]:
    """A project whose only member is bob, with one article."""
    with app.app_context():
        project = Project(
            name="Closed desk",
            slug="closed",
            label_schema=copy.deepcopy(DEFAULT_SCHEMA),
            settings=dict(DEFAULT_SETTINGS),
        )
        db.session.add(project)
        db.session.flush()
        db.session.add(ProjectMember(project_id=project.id, user_id=users["bob"]))
        draft = parse_text_article("closed.txt", b"Closed story\nWang Yi met Cho Tae-yul.\n")
        article = store_articles(db.session, project, [draft]).preview[0]
        db.session.commit()
        paragraph = db.session.scalar(
            select(Paragraph.id).where(Paragraph.article_id == article.id)
        )
        return {"project": project.id, "article": article.id, "paragraph": paragraph}


def test_an_annotator_outside_the_members_gets_404_everywhere(
    app: Flask, client: FlaskClient, auth: Auth, closed: dict[str, int]
) -> None:
    api = api_for(client, auth, "anna")
    assert client.get("/").headers["Location"] == "/projects/default/"  # the only one she sees
    assert client.get("/projects/closed/").status_code == 404
    assert client.get("/projects/closed/next").status_code == 404
    assert post(client, "/projects/closed/next").status_code == 404
    assert client.get(f"/articles/{closed['article']}").status_code == 404
    assert client.get("/projects/closed/export").status_code == 404
    assert client.get("/projects/closed/exports").status_code == 404
    assert api.get(f"/articles/{closed['article']}").status_code == 404
    created = api.entity(closed["paragraph"], 0, 7)
    assert created.status_code == 404
    assert created.get_json()["error"]["code"] == "not_found"
    with app.app_context():
        assert db.session.scalars(select(Annotation)).all() == []


def test_members_reviewers_and_admins_reach_the_project(
    app: Flask, client: FlaskClient, auth: Auth, closed: dict[str, int]
) -> None:
    for name in ["bob", "rita", "admin"]:
        auth.login(name)
        assert client.get("/projects/closed/").status_code == 200, name
        assert client.get(f"/articles/{closed['article']}").status_code == 200, name
        auth.logout()
    api = api_for(client, auth, "bob")
    assert api.entity(closed["paragraph"], 0, 7).status_code == 201
    assert "Closed desk" in client.get("/").get_data(as_text=True)  # bob chooses between two


def test_a_project_without_members_is_open_to_every_annotator(
    client: FlaskClient, auth: Auth, seed_article: int
) -> None:
    api = api_for(client, auth, "anna")
    assert client.get("/projects/default/").status_code == 200
    assert api.get(f"/articles/{seed_article}").status_code == 200


def test_an_archived_project_is_closed_to_annotators_but_not_to_admins(
    app: Flask, client: FlaskClient, auth: Auth, seed_article: int
) -> None:
    with app.app_context():
        default = db.session.scalars(select(Project).where(Project.slug == "default")).one()
        default.archived_at = utcnow()
        db.session.commit()
    auth.login("anna")
    assert client.get("/projects/default/").status_code == 404
    assert client.get(f"/articles/{seed_article}").status_code == 404
    auth.logout()
    auth.login("admin")
    assert client.get("/projects/default/").status_code == 200


# --- one 404 for missing and forbidden: nothing can be probed -----------------------------

MISSING: dict[str, Any] = {
    "project": "no-such-project",
    "article": 999_999,
    "paragraph": 999_999,
    "annotation": 999_999,
}


def same_but_csrf(response: Any) -> tuple[int, str, str]:
    """Status, type and body; the page's CSRF token is signed with the clock, so it is masked."""
    body = CSRF_INPUT.sub('name="csrf_token" value="…"', response.get_data(as_text=True))
    return response.status_code, response.mimetype, body


@pytest.fixture
def forbidden(app: Flask, closed: dict[str, int]) -> dict[str, Any]:
    """The closed project's slug, article, paragraph and one of bob's annotations there."""
    annotation = annotate(app, closed["article"], "bob", "entity", "PERSON")
    return {**closed, "project": "closed", "annotation": annotation}


API_CALLS = [
    ("GET", "/api/v1/articles/{article}", None),
    ("GET", "/api/v1/articles/{article}/progress", None),
    ("GET", "/api/v1/paragraphs/{paragraph}/annotations", None),
    ("POST", "/api/v1/annotations", {"paragraph_id": "{paragraph}", "layer": "entity"}),
    ("PUT", "/api/v1/paragraphs/{paragraph}/sentiment", {"label": "positive"}),
    ("PUT", "/api/v1/articles/{article}/status", {"status": "done"}),
    ("PATCH", "/api/v1/annotations/{annotation}", {"version": 1, "label": "ORG"}),
    ("DELETE", "/api/v1/annotations/{annotation}", {"version": 1}),
]
PAGES = [
    "/articles/{article}",
    "/projects/{project}/",
    "/projects/{project}/?q=a&status=done&mine=1",
    "/projects/{project}/next",
    "/projects/{project}/exports",
    "/projects/{project}/export",
    "/projects/{project}/export?format=doccano&by=article",
    "/projects/{project}/export/count",
]


def filled(template: Any, ids: dict[str, Any]) -> Any:
    """The path or body with {kind} placeholders replaced by ids[kind]."""
    if isinstance(template, dict):
        return {key: filled(value, ids) for key, value in template.items()}
    if isinstance(template, str) and template.startswith("{") and template.endswith("}"):
        return ids[template[1:-1]]
    return template.format(**ids) if isinstance(template, str) else template


@pytest.mark.parametrize(("method", "path", "body"), API_CALLS)
def test_the_api_answers_a_missing_and_a_forbidden_id_alike(
    app: Flask,
    client: FlaskClient,
    auth: Auth,
    forbidden: dict[str, Any],
    method: str,
    path: str,
    body: dict[str, Any] | None,
) -> None:
    api = api_for(client, auth, "anna")
    before = counts(app)
    answers = [
        api.client.open(
            filled(path, ids),
            method=method,
            json=filled(body, ids),
            headers={"X-CSRFToken": api.token},
        )
        for ids in (MISSING, forbidden)
    ]
    missing, refused = answers
    assert missing.status_code == refused.status_code == 404
    assert missing.get_json() == refused.get_json()
    assert refused.get_json()["error"]["code"] == "not_found"
    assert counts(app) == before


@pytest.mark.parametrize("path", PAGES)
@pytest.mark.parametrize("accept", ["text/html", "application/json"])
def test_pages_and_exports_answer_a_missing_and_a_forbidden_object_alike(
    client: FlaskClient, auth: Auth, forbidden: dict[str, Any], path: str, accept: str
) -> None:
    auth.login("anna")
    headers = {"Accept": accept}
    missing = client.get(filled(path, MISSING), headers=headers)
    refused = client.get(filled(path, forbidden), headers=headers)
    assert same_but_csrf(missing) == same_but_csrf(refused)
    assert refused.status_code == 404
    json_expected = accept == "application/json" or path.endswith("/count")
    assert refused.mimetype == ("application/json" if json_expected else "text/html")


@pytest.mark.parametrize("path", [p for p in PAGES if "/export" in p])
def test_a_script_with_a_token_gets_the_same_json_404_for_both(
    app: Flask, auth: Auth, forbidden: dict[str, Any], path: str
) -> None:
    auth.login("anna")
    clear = create_token(auth)
    script = app.test_client()
    headers = {"Authorization": f"Bearer {clear}"}
    missing = script.get(filled(path, MISSING), headers=headers)
    refused = script.get(filled(path, forbidden), headers=headers)
    assert (missing.status_code, missing.get_json()) == (refused.status_code, refused.get_json())
    assert refused.status_code == 404 and refused.get_json()["error"]["code"] == "not_found"


def test_role_checks_stay_403(client: FlaskClient, auth: Auth, forbidden: dict[str, Any]) -> None:
    """Being in the wrong role is not a secret: an annotator on an admin page is told so."""
    auth.login("anna")
    assert client.get("/admin/projects/closed/edit").status_code == 403
    assert client.get("/projects/default/export?annotator=bob").status_code == 403
