"""A request that waits too long for a lock other work holds gets a clear 503, never a 500.

Long work holds locks: an import holds SQLite's write lock for its whole transaction, an
admin's schema edit holds the project's row on PostgreSQL. A save that cannot have them
within the configured wait (SQLITE_BUSY_TIMEOUT_MS, POSTGRES_LOCK_TIMEOUT_MS) is answered
503 "busy" with Retry-After, stores nothing, and the page retries it (savequeue: every 5xx),
saying the database is busy. Once the lock is let go, the same save is stored.
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager

import pytest
from flask import Flask
from flask.testing import FlaskClient
from sqlalchemy import create_engine, text
from sqlalchemy.exc import OperationalError

from annotator.engines import is_contention, problem
from annotator.extensions import db
from tests.admin_support import post, project
from tests.api_helpers import CHO, api_for, counts, paragraph_with, span_of
from tests.conftest import Auth, add_user, app_on, import_text

SHORT_WAIT_MS = 200
#: Settings under which the app waits at most SHORT_WAIT_MS for a lock, on either database.
IMPATIENT = {"SQLITE_BUSY_TIMEOUT_MS": SHORT_WAIT_MS, "POSTGRES_LOCK_TIMEOUT_MS": SHORT_WAIT_MS}


@pytest.fixture
def impatient_app(migrated: str) -> Iterator[Flask]:
    with app_on(migrated, **IMPATIENT) as app:
        yield app


@contextmanager
def project_held_by_other_work(app: Flask) -> Iterator[None]:
    """Another connection holds what a save must have, as long work does: SQLite's write
    lock (an import), or the project's row on PostgreSQL (a schema edit)."""
    engine = create_engine(app.config["SQLALCHEMY_DATABASE_URI"])
    try:
        with engine.connect() as connection:
            if engine.dialect.name == "sqlite":
                connection.exec_driver_sql("BEGIN IMMEDIATE")
            else:
                connection.execute(text("SELECT id FROM project FOR UPDATE")).all()
            try:
                yield
            finally:
                connection.rollback()
    finally:
        engine.dispose()


@pytest.fixture
def saving(impatient_app: Flask) -> tuple[FlaskClient, dict[str, object]]:
    """anna logged in to the impatient app, and the save of an entity on Cho Tae-yul."""
    add_user(impatient_app, "anna")
    article = import_text(impatient_app, "seed.txt", f"Talks\n\n{CHO} met his counterpart.")
    paragraph_id, paragraph_text = paragraph_with(impatient_app, article, CHO)
    start, end = span_of(paragraph_text, CHO)
    body = {"paragraph_id": paragraph_id, "layer": "entity", "start": start, "end": end}
    client = impatient_app.test_client()
    return client, {**body, "label": "PERSON"}


def test_a_save_that_cannot_have_its_lock_in_time_is_told_the_database_is_busy(
    impatient_app: Flask, saving: tuple[FlaskClient, dict[str, object]]
) -> None:
    client, body = saving
    api = api_for(client, Auth(client))
    with project_held_by_other_work(impatient_app):
        refused = api.create(**body)
    assert refused.status_code == 503
    assert refused.headers["Retry-After"] == "1"
    error = refused.get_json()["error"]
    assert error["code"] == "busy"
    assert "busy" in error["message"] and "try again" in error["message"]
    assert counts(impatient_app) == (0, 0)  # nothing half-written

    stored = api.create(**body)  # the page's retry, once the lock is let go
    assert stored.status_code == 201, stored.get_json()
    assert counts(impatient_app) == (1, 1)


def test_an_admin_page_waiting_too_long_gets_the_busy_page(impatient_app: Flask) -> None:
    """A label rename while an import holds the database: the error page says why, and the
    schema is as it was."""
    add_user(impatient_app, "admin", "admin")
    client = impatient_app.test_client()
    Auth(client).login("admin")
    rename = {"kind": "entity", "old": "PERSON", "new": "PER"}
    with project_held_by_other_work(impatient_app):
        answer = post(client, "/admin/projects/default/labels/rename", rename)
    assert answer.status_code == 503
    assert answer.headers["Retry-After"] == "1"
    assert "text/html" in answer.content_type
    assert "The database is busy" in answer.get_data(as_text=True)
    assert "PERSON" in [e["name"] for e in project(impatient_app).label_schema["entities"]]

    assert post(client, "/admin/projects/default/labels/rename", rename).status_code == 302


def test_contention_is_told_apart_from_other_database_errors(impatient_app: Flask) -> None:
    """What 503 means: the wait for a lock ran out (SQLite busy, PostgreSQL's lock timeout,
    deadlock or serialization failure), not any error the database raised."""
    with impatient_app.app_context():
        with project_held_by_other_work(impatient_app):
            with pytest.raises(OperationalError) as waited:
                db.session.execute(text("UPDATE project SET name = name"))
                db.session.flush()
            db.session.rollback()
        assert is_contention(waited.value)
        url = impatient_app.config["SQLALCHEMY_DATABASE_URI"]
        assert "was busy with other work" in problem(waited.value, url)  # what the CLI says
        with pytest.raises(Exception) as other:
            db.session.execute(text("SELECT * FROM no_such_table"))
        db.session.rollback()
        assert not is_contention(other.value)
