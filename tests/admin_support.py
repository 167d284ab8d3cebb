"""Helpers shared by the admin, profile and queue tests."""

from __future__ import annotations

from typing import Any

from flask import Flask
from flask.testing import FlaskClient
from sqlalchemy import select

from annotator.extensions import db
from annotator.models import Annotation, Article, AuditLog, Paragraph, Project, User
from tests.conftest import csrf_token


def post(client: FlaskClient, path: str, data: dict[str, Any] | None = None, **kw: Any) -> Any:
    """POST as the browser would: with the session's CSRF token read from a page."""
    token = csrf_token(client, "/profile/")
    return client.post(path, data={"csrf_token": token, **(data or {})}, **kw)


def project(app: Flask, slug: str = "default") -> Project:
    with app.app_context():
        found = db.session.scalar(select(Project).where(Project.slug == slug))
        assert found is not None
        db.session.expunge(found)
        return found


def user_id(app: Flask, username: str) -> int:
    with app.app_context():
        found = db.session.scalar(select(User.id).where(User.username_key == username))
        assert found is not None
        return found


def annotate(
    app: Flask,
    article_id: int,
    username: str,
    layer: str,
    label: str,
    attributes: dict[str, Any] | None = None,
    position: int = 0,
) -> int:
    """Store one annotation as the workspace would (see docs/data-model.md); its id."""
    with app.app_context():
        paragraph = db.session.scalar(
            select(Paragraph).where(
                Paragraph.article_id == article_id, Paragraph.position == position
            )
        )
        assert paragraph is not None
        spans = layer != "sentiment"
        annotation = Annotation(
            paragraph_id=paragraph.id,
            annotator_id=user_id(app, username),
            layer=layer,
            start=0 if spans else None,
            end=5 if spans else None,
            label=label,
            attributes=attributes or {},
            target_id=(attributes or {}).get("target_id"),
        )
        db.session.add(annotation)
        db.session.commit()
        return annotation.id


def annotation(app: Flask, annotation_id: int) -> Annotation:
    with app.app_context():
        found = db.session.get(Annotation, annotation_id)
        assert found is not None
        db.session.expunge(found)
        return found


def audit_actions(app: Flask) -> list[str]:
    with app.app_context():
        return list(db.session.scalars(select(AuditLog.action).order_by(AuditLog.id)))


def last_audit(app: Flask) -> AuditLog:
    with app.app_context():
        entry = db.session.scalar(select(AuditLog).order_by(AuditLog.id.desc()).limit(1))
        assert entry is not None
        db.session.expunge(entry)
        return entry


def article_count(app: Flask) -> int:
    with app.app_context():
        return len(list(db.session.scalars(select(Article.id))))
