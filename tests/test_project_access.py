"""Who works on which project: members, open projects, archived ones, across every area."""

from __future__ import annotations

import copy

import pytest
from flask import Flask
from flask.testing import FlaskClient
from sqlalchemy import select

from annotator.extensions import db
from annotator.ingest import parse_text_article, store_articles
from annotator.models import Annotation, Project, ProjectMember, utcnow
from annotator.schema import DEFAULT_SCHEMA, DEFAULT_SETTINGS
from tests.api_helpers import api_for
from tests.conftest import Auth


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
        article = store_articles(db.session, project, [draft]).articles[0]
        db.session.commit()
        paragraph = article.paragraphs[0]
        return {"project": project.id, "article": article.id, "paragraph": paragraph.id}


def test_an_annotator_outside_the_members_gets_403_everywhere(
    app: Flask, client: FlaskClient, auth: Auth, closed: dict[str, int]
) -> None:
    api = api_for(client, auth, "anna")
    assert client.get("/").headers["Location"] == "/projects/default/"  # the only one she sees
    assert client.get("/projects/closed/").status_code == 403
    assert client.get("/projects/closed/next").status_code == 403
    assert client.get(f"/articles/{closed['article']}").status_code == 403
    assert client.get("/projects/closed/export").status_code == 403
    assert client.get("/projects/closed/exports").status_code == 403
    assert api.get(f"/articles/{closed['article']}").status_code == 403
    created = api.entity(closed["paragraph"], 0, 7)
    assert created.status_code == 403
    assert created.get_json()["error"]["code"] == "forbidden"
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
    assert client.get("/projects/default/").status_code == 403
    assert client.get(f"/articles/{seed_article}").status_code == 403
    auth.logout()
    auth.login("admin")
    assert client.get("/projects/default/").status_code == 200
