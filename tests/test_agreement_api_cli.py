"""Who sees agreement (API), and the same figures from `annotator agreement` as JSON and CSV."""

from __future__ import annotations

import csv
import io
import json
from typing import Any

import pytest
from flask import Flask

from annotator.extensions import db
from annotator.models import Project, ProjectMember
from annotator.schema import DEFAULT_SCHEMA
from tests.agreement_support import anna_and_bob, talks
from tests.conftest import Auth

URL = "/api/v1/projects/default/agreement"


@pytest.fixture
def example(app: Flask, users: dict[str, int]) -> int:
    article = talks(app)
    anna_and_bob(app, article)
    return article


def _member(app: Flask, user_id: int, role: str, slug: str = "default") -> None:
    with app.app_context():
        project = db.session.scalar(db.select(Project).where(Project.slug == slug))
        assert project is not None
        db.session.add(ProjectMember(project_id=project.id, user_id=user_id, role=role))
        db.session.commit()


def _closed_project(app: Flask) -> None:
    """A project whose only member is bob: closed to anna."""
    with app.app_context():
        db.session.add(Project(name="Closed", slug="closed", label_schema=DEFAULT_SCHEMA))
        db.session.commit()


@pytest.mark.parametrize("who", ["admin", "rita"])
def test_admins_and_reviewers_get_the_figures(auth: Auth, example: int, who: str) -> None:
    auth.login(who)
    answer = auth.client.get(URL)
    assert answer.status_code == 200
    body = answer.get_json()
    assert body["layers"]["entity"]["f1_exact"] == 0.5
    assert body["layers"]["sentiment"]["percent"] == 0.5
    assert body["pairs"][0]["annotators"] == ["anna", "bob"]
    assert "NaN" not in answer.get_data(as_text=True)


def test_an_annotator_gets_403(auth: Auth, example: int) -> None:
    auth.login("anna")
    answer = auth.client.get(URL)
    assert answer.status_code == 403
    assert answer.get_json()["error"]["code"] == "forbidden"


def test_a_project_member_with_the_reviewer_role_gets_the_figures(
    app: Flask, auth: Auth, example: int, users: dict[str, int]
) -> None:
    _member(app, users["anna"], "reviewer")
    _member(app, users["bob"], "annotator")
    auth.login("anna")
    assert auth.client.get(URL).status_code == 200
    auth.logout()
    auth.login("bob")
    assert auth.client.get(URL).status_code == 403


def test_missing_and_closed_projects_are_the_same_404(
    app: Flask, auth: Auth, users: dict[str, int]
) -> None:
    _closed_project(app)
    _member(app, users["bob"], "reviewer", slug="closed")
    auth.login("anna")
    closed = auth.client.get("/api/v1/projects/closed/agreement")
    missing = auth.client.get("/api/v1/projects/nope/agreement")
    assert closed.status_code == missing.status_code == 404
    assert closed.get_json() == missing.get_json()


def test_anonymous_clients_get_401(client: Any) -> None:
    assert client.get(URL).status_code == 401


# --- the command -------------------------------------------------------------------------


def test_cli_prints_the_report_as_json(runner: Any, example: int) -> None:
    result = runner.invoke(args=["agreement", "--project", "default"])
    assert result.exit_code == 0, result.output
    report = json.loads(result.output)
    assert report["layers"]["entity"] == {"f1_exact": 0.5, "f1_overlap": 0.75, "items": 8}
    assert report["layers"]["target_sentiment"]["items"] == 1


def test_cli_prints_one_csv_row_per_figure(runner: Any, example: int) -> None:
    result = runner.invoke(args=["agreement", "--project", "default", "--format", "csv"])
    assert result.exit_code == 0, result.output
    rows = list(csv.DictReader(io.StringIO(result.output)))
    assert list(rows[0]) == [
        "scope",
        "annotators",
        "article_id",
        "layer",
        "label",
        "figure",
        "value",
    ]
    found = {
        (r["scope"], r["annotators"], r["layer"], r["label"], r["figure"]): r["value"] for r in rows
    }
    assert found["project", "", "entity", "", "f1_overlap"] == "0.75"
    assert found["pair", "anna|bob", "claim", "", "claimant_agreement"] == "1.0"
    assert found["label", "", "entity", "PERSON", "items"] == "3"
    assert found["confusion", "", "entity", "ORG|PERSON", "count"] == "1"
    assert found["article", "anna|bob", "", "", "disagreements"] == "8"


def test_cli_leaves_undefined_figures_empty(runner: Any, app: Flask) -> None:
    result = runner.invoke(args=["agreement", "--project", "default", "--format", "csv"])
    rows = list(csv.DictReader(io.StringIO(result.output)))
    kappa = next(r for r in rows if r["layer"] == "sentiment" and r["figure"] == "kappa_mean")
    assert kappa["value"] == ""


def test_cli_names_a_missing_project(runner: Any, app: Flask) -> None:
    result = runner.invoke(args=["agreement", "--project", "nope"])
    assert result.exit_code != 0
    assert "No project with slug 'nope'" in result.output
