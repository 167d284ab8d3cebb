"""A logged-in JSON API client for tests, sending the CSRF token as the page does."""

from __future__ import annotations

from typing import Any

import pytest
from flask import Flask
from flask.testing import FlaskClient
from sqlalchemy import func, select

from annotator.extensions import db
from annotator.models import Annotation, AnnotationEvent, Paragraph
from tests.conftest import Auth, csrf_token

CHO = "Cho Tae-yul"


class Api:
    """Calls /api/v1 as a logged-in user; every mutating call carries X-CSRFToken."""

    def __init__(self, client: FlaskClient, token: str) -> None:
        self.client = client
        self.token = token

    def get(self, path: str) -> Any:
        return self.client.get(f"/api/v1{path}")

    def send(self, method: str, path: str, body: Any = None, **kwargs: Any) -> Any:
        headers = {"X-CSRFToken": self.token, **kwargs.pop("headers", {})}
        return self.client.open(
            f"/api/v1{path}", method=method, json=body, headers=headers, **kwargs
        )

    def create(self, **body: Any) -> Any:
        return self.send("POST", "/annotations", body)

    def entity(self, paragraph_id: int, start: int, end: int, label: str = "PERSON") -> Any:
        body = {"paragraph_id": paragraph_id, "layer": "entity", "start": start, "end": end}
        return self.create(**body, label=label)


def api_for(client: FlaskClient, auth: Auth, username: str = "anna") -> Api:
    auth.login(username)
    return Api(client, csrf_token(client, "/projects/default/"))


def paragraph_with(app: Flask, article_id: int, needle: str) -> tuple[int, str]:
    """The id and text of the article's first paragraph containing needle."""
    with app.app_context():
        paragraph = db.session.scalar(
            select(Paragraph)
            .where(Paragraph.article_id == article_id, Paragraph.text.contains(needle))
            .order_by(Paragraph.position)
        )
        assert paragraph is not None, needle
        return paragraph.id, paragraph.text


def span_of(text: str, needle: str) -> tuple[int, int]:
    start = text.index(needle)
    return start, start + len(needle)


def counts(app: Flask) -> tuple[int, int]:
    """How many annotations and history events are stored."""
    with app.app_context():
        annotations = db.session.scalar(select(func.count()).select_from(Annotation))
        events = db.session.scalar(select(func.count()).select_from(AnnotationEvent))
        return annotations or 0, events or 0


# --- fixtures (registered for every test by tests/conftest.py's pytest_plugins) -----------


@pytest.fixture
def api(client: FlaskClient, auth: Auth) -> Api:
    """anna, logged in, calling the API as her page does."""
    return api_for(client, auth)


@pytest.fixture
def cho(app: Flask, seed_article: int) -> tuple[int, str]:
    """The id and text of the seed paragraph that names Cho Tae-yul."""
    return paragraph_with(app, seed_article, CHO)
