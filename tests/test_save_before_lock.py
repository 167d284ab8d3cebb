"""A save reads and checks the owner's scope before it claims it (writer.create_at), so the
database's write lock is held for the claim and the inserts only. The claim's revision
says whether another writer claimed the scope in between; then the save reads and checks
again under the lock. These tests put that other writer exactly in between."""

from __future__ import annotations

from typing import Any

import pytest
from flask import Flask
from sqlalchemy import select
from sqlalchemy.orm import Session

from annotator.annotations import writer
from annotator.annotations.rules import Proposal
from annotator.extensions import db
from annotator.models import ArticleStatus, Paragraph, User
from tests.api_helpers import CHO, Api, counts, span_of


def revision(app: Flask, article_id: int, user_id: int) -> int | None:
    with app.app_context():
        query = select(ArticleStatus.revision).where(
            ArticleStatus.article_id == article_id, ArticleStatus.user_id == user_id
        )
        return db.session.scalar(query)


def store_elsewhere(user_id: int, paragraph_id: int, start: int, end: int) -> None:
    """Another writer (its own session and connection) stores and commits an entity span."""
    with Session(db.engine) as other:
        user = other.get(User, user_id)
        paragraph = other.get(Paragraph, paragraph_id)
        assert user is not None and paragraph is not None
        writer.create(other, user, paragraph, Proposal("entity", start, end, "PERSON"))
        other.commit()


def reads_of_the_scope(monkeypatch: pytest.MonkeyPatch, before_first: Any = None) -> list[str]:
    """Record each read create_at makes of the scope; before_first() runs right after the
    first read, where another writer would come in."""
    real = writer.scope_at
    reads: list[str] = []

    def recorded(*args: Any) -> Any:
        found = real(*args)
        reads.append("read")
        if len(reads) == 1 and before_first is not None:
            before_first()
        return found

    monkeypatch.setattr(writer, "scope_at", recorded)
    return reads


def test_every_claim_of_a_scope_adds_one_to_its_revision_and_a_refusal_claims_nothing(
    app: Flask, api: Api, users: dict[str, int], seed_article: int, cho: tuple[int, str]
) -> None:
    start, end = span_of(cho[1], CHO)
    assert revision(app, seed_article, users["anna"]) is None
    assert api.entity(cho[0], start, end).status_code == 201
    assert revision(app, seed_article, users["anna"]) == 1
    assert api.entity(cho[0], end + 1, end + 3, label="ORG").status_code == 201
    assert revision(app, seed_article, users["anna"]) == 2

    assert api.entity(cho[0], start, end).status_code == 409
    assert api.entity(cho[0], start, end, label="NOT_A_LABEL").status_code == 422
    assert revision(app, seed_article, users["anna"]) == 2


def test_a_save_nobody_came_before_reads_its_scope_once(
    api: Api, cho: tuple[int, str], monkeypatch: pytest.MonkeyPatch
) -> None:
    reads = reads_of_the_scope(monkeypatch)
    start, end = span_of(cho[1], CHO)
    assert api.entity(cho[0], start, end).status_code == 201
    assert reads == ["read"]


def test_a_span_stored_between_a_saves_read_and_its_claim_is_seen_under_the_lock(
    app: Flask,
    api: Api,
    users: dict[str, int],
    cho: tuple[int, str],
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    start, end = span_of(cho[1], CHO)
    reads = reads_of_the_scope(
        monkeypatch, lambda: store_elsewhere(users["anna"], cho[0], start, end)
    )
    response = api.entity(cho[0], start + 1, end + 2, label="ORG")
    assert reads == ["read", "read"]
    assert response.status_code == 409
    assert "overlaps" in response.get_json()["error"]["message"]
    assert response.get_json()["current"]["start"] == start
    assert counts(app) == (1, 1)


def test_a_span_elsewhere_in_the_scope_between_read_and_claim_still_lets_the_save_in(
    app: Flask,
    api: Api,
    users: dict[str, int],
    seed_article: int,
    cho: tuple[int, str],
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    start, end = span_of(cho[1], CHO)
    reads = reads_of_the_scope(
        monkeypatch, lambda: store_elsewhere(users["anna"], cho[0], end + 1, end + 3)
    )
    assert api.entity(cho[0], start, end).status_code == 201
    assert reads == ["read", "read"]
    assert counts(app) == (2, 2)
    assert revision(app, seed_article, users["anna"]) == 2


def test_another_annotators_save_in_between_is_no_reason_to_read_again(
    app: Flask,
    api: Api,
    users: dict[str, int],
    cho: tuple[int, str],
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    start, end = span_of(cho[1], CHO)
    reads = reads_of_the_scope(
        monkeypatch, lambda: store_elsewhere(users["bob"], cho[0], start, end)
    )
    assert api.entity(cho[0], start, end).status_code == 201
    assert reads == ["read"]
    assert counts(app) == (2, 2)
