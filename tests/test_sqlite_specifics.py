"""What only SQLite has: its own database here, whatever TEST_DATABASE_URL names, so that
these run (and count) in the PostgreSQL pass of CI too rather than being skipped there."""

from __future__ import annotations

import re
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

import pytest
from flask import Flask
from sqlalchemy import Engine, event, text

from annotator import create_app, database
from annotator.extensions import db
from annotator.projects import ensure_default_project
from tests.api_helpers import Api
from tests.conftest import make_config
from tests.test_query_counts import _save, _words


@pytest.fixture
def app(tmp_path: Path) -> Iterator[Flask]:
    """The suite's app, on a SQLite file built as `db upgrade` builds an empty one."""
    app = create_app(make_config(f"sqlite:///{tmp_path / 'sqlite.db'}"))
    with app.app_context():
        database.upgrade()
        ensure_default_project(db.session)
        db.session.commit()
    yield app
    with app.app_context():
        db.session.remove()
        db.engine.dispose()


def test_sqlite_commits_are_durable_by_default(app: Flask) -> None:
    """An acknowledged save survives a power cut: synchronous=FULL unless a setting says so."""
    with app.app_context():
        assert db.engine.dialect.name == "sqlite"
        assert db.session.execute(text("PRAGMA synchronous")).scalar() == 2  # FULL


FULL_SCAN = re.compile(r"^SCAN (annotation|paragraph)(_\d+)?( |$)")


def test_a_save_walks_indexes_never_a_whole_annotation_or_paragraph_table(
    app: Flask, api: Api, cho: tuple[int, str]
) -> None:
    """SQLite's plan for each statement of a save: a full SCAN would make every save as slow
    as the corpus is large (the nested join once scanned every annotation, 133 ms a save)."""
    spans = _words(cho[1])
    assert _save(api, cho[0], spans[0], "c-0")().status_code == 201  # type: ignore[operator]
    with app.app_context():
        assert db.engine.dialect.name == "sqlite"
        with _sent(db.engine) as sent:
            assert _save(api, cho[0], spans[1], "c-1")().status_code == 201  # type: ignore[operator]
        plans = {statement: _plan(statement, parameters) for statement, parameters in sent}

    assert len(plans) >= 4, plans
    scans = {s: [step for step in plan if FULL_SCAN.match(step)] for s, plan in plans.items()}
    assert not [s for s, found in scans.items() if found], scans


#: A bound value that SQLite compares with a partial index's condition (`layer =
#: 'sentiment'` on annotation): SQLite then marks the statement to be prepared afresh
#: whenever that parameter is bound again, which is every time it runs.
BOUND_LAYER = re.compile(r"\blayer\s*=\s*\?")


def test_a_save_and_a_fetch_bind_no_value_a_partial_index_condition_compares(
    app: Flask, api: Api, cho: tuple[int, str]
) -> None:
    """Their statements stay prepared from one request to the next: re-preparing the save's
    scope read, which bound the entity layer, was a twelfth of a save's CPU (issue 13)."""
    spans = _words(cho[1])
    with app.app_context(), _sent(db.engine) as sent:
        assert _save(api, cho[0], spans[0], "c-0")().status_code == 201  # type: ignore[operator]
        assert api.get(f"/paragraphs/{cho[0]}/annotations").status_code == 200

    assert len(sent) >= 6, sent
    assert not [statement for statement, _ in sent if BOUND_LAYER.search(statement)]


@contextmanager
def _sent(engine: Engine) -> Iterator[list[tuple[str, Any]]]:
    """Every statement sent inside the block, with its parameters (PRAGMAs aside)."""
    sent: list[tuple[str, Any]] = []

    def record(_conn: Any, _cursor: Any, statement: str, parameters: Any, *_args: Any) -> None:
        if not statement.lstrip().upper().startswith("PRAGMA"):
            sent.append((statement, parameters))

    event.listen(engine, "before_cursor_execute", record)
    try:
        yield sent
    finally:
        event.remove(engine, "before_cursor_execute", record)


def _plan(statement: str, parameters: Any) -> list[str]:
    with db.engine.connect() as connection:
        rows = connection.exec_driver_sql(f"EXPLAIN QUERY PLAN {statement}", parameters)
        return [str(row[3]) for row in rows]


@pytest.mark.parametrize(
    ("column", "index"),
    [("target_id", "uq_annotation_target_id"), ("annotator_id", "sqlite_autoindex_annotation_1")],
)
def test_annotations_are_found_by_target_and_by_annotator_through_an_index(
    app: Flask, column: str, index: str
) -> None:
    """A sentiment by its entity, an annotator's work: an index search, never a scan, though
    neither column has an index of its own (the partial target index, uq_annotation_client_id)."""
    with app.app_context():
        plan = _plan(f"SELECT id FROM annotation WHERE {column} = ?", (1,))
    assert plan == [f"SEARCH annotation USING COVERING INDEX {index} ({column}=?)"]


@pytest.mark.parametrize(
    ("statement", "index"),
    [
        ("DELETE FROM annotation WHERE id = ?", "uq_annotation_target_id"),
        ("DELETE FROM user WHERE id = ?", "sqlite_autoindex_annotation_1"),
    ],
)
def test_foreign_key_actions_find_child_annotations_through_an_index(
    app: Flask, statement: str, index: str
) -> None:
    """Deleting an entity cascades to its sentiment, and deleting a user first checks that no
    annotation is theirs: SQLite opens the index for each (else every delete scans the table)."""
    with app.app_context():
        assert index in _indexes_opened(statement)


def _indexes_opened(statement: str) -> set[str]:
    """The indexes the statement's program reads, from its bytecode's OpenRead root pages."""
    with db.engine.connect() as connection:
        names = dict(connection.exec_driver_sql("SELECT rootpage, name FROM sqlite_master").all())
        program = connection.exec_driver_sql(f"EXPLAIN {statement}", (1,)).all()
    return {names[row[3]] for row in program if row[1] == "OpenRead" and row[3] in names}
