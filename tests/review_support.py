"""Two annotators' finished work on the seed article, for the review tests."""

from __future__ import annotations

from dataclasses import dataclass

import pytest
from flask import Flask
from flask.testing import FlaskClient
from sqlalchemy import select

from annotator.extensions import db
from annotator.models import Annotation
from tests.api_helpers import CHO, Api, api_for, paragraph_with, span_of
from tests.conftest import Auth

WANG = "Wang Yi"


@dataclass
class Reviewed:
    """The seed article and the paragraph both annotators worked on."""

    article: int
    paragraph: int
    text: str


def in_own_browser(app: Flask, name: str) -> Api:
    """`name` logged in from a browser of their own (their own test client)."""
    client = app.test_client()
    return api_for(client, Auth(client), name)


def annotate_as(client: FlaskClient, auth: Auth, name: str, work: Reviewed, wang: str) -> Api:
    """Cho as PERSON and a neutral paragraph (both alike); Wang Yi as `wang`; then done."""
    api = api_for(client, auth, name)
    assert api.entity(work.paragraph, *span_of(work.text, CHO)).status_code == 201
    assert api.entity(work.paragraph, *span_of(work.text, WANG), label=wang).status_code == 201
    body = {"label": "neutral", "version": None}
    assert api.send("PUT", f"/paragraphs/{work.paragraph}/sentiment", body).status_code == 200
    done = api.send("PUT", f"/articles/{work.article}/status", {"status": "done"})
    assert done.status_code == 200
    auth.logout()
    return api


@pytest.fixture
def reviewed(app: Flask, client: FlaskClient, auth: Auth, seed_article: int) -> Reviewed:
    """anna and bob finished the seed article: they agree on Cho and the sentiment, not on
    Wang Yi (PERSON against ORG)."""
    paragraph, text = paragraph_with(app, seed_article, CHO)
    work = Reviewed(seed_article, paragraph, text)
    annotate_as(client, auth, "anna", work, "PERSON")
    annotate_as(client, auth, "bob", work, "ORG")
    return work


def gold_rows(app: Flask) -> list[tuple[str, int | None, int | None, str, str]]:
    """(layer, start, end, label, reviewer name) of every gold annotation."""
    with app.app_context():
        rows = db.session.scalars(
            select(Annotation).where(Annotation.is_gold.is_(True)).order_by(Annotation.id)
        )
        return [(a.layer, a.start, a.end, a.label, a.annotator.username) for a in rows]


def annotation_of(app: Flask, username_id: int, label: str) -> int:
    """The id of the user's (not gold) annotation with this label."""
    with app.app_context():
        found = db.session.scalar(
            select(Annotation.id).where(
                Annotation.annotator_id == username_id,
                Annotation.label == label,
                Annotation.is_gold.is_(False),
            )
        )
        assert found is not None
        return found
