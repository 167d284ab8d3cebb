"""An edit of the label schema and a write that checks its labels against the schema: whichever
commits first, the other sees it (annotations.writer.shared). No write stores a label that an
edit had just renamed away, and two edits of the schema at once both land. Each test puts the
other side exactly in between, on its own session and connection, as another request would."""

from __future__ import annotations

import threading
from collections.abc import Callable
from typing import Any

import pytest
from flask import Flask
from sqlalchemy import Engine, select
from sqlalchemy.orm import Session

from annotator.admin.labels import add_label, names, rename_label
from annotator.annotations import writer
from annotator.annotations.importer import import_annotations
from annotator.annotations.rules import Proposal
from annotator.annotations.types import AnnotationError
from annotator.extensions import db
from annotator.formats.drafts import RecordDraft, SpanDraft
from annotator.ingest import IngestError
from annotator.models import Annotation, Paragraph, Project, User
from tests.api_helpers import CHO, Api, span_of
from tests.test_save_before_lock import reads_of_the_scope

#: Long enough for the other side to reach its lock and wait there.
WAIT = 0.4


def default_project(session: Session) -> Project:
    project = session.scalar(select(Project).where(Project.slug == "default"))
    assert project is not None
    return project


def edit_schema(engine: Engine, admin_id: int, change: Callable[..., Any], *args: Any) -> None:
    """An admin's edit of the default project's schema, on its own session, committed."""
    with Session(engine) as other:
        admin = other.get(User, admin_id)
        assert admin is not None
        change(other, admin, default_project(other), *args)
        other.commit()


def engine_of(app: Flask) -> Engine:
    with app.app_context():
        return db.engine


def label_names(app: Flask, kind: str = "entity") -> list[str]:
    with app.app_context():
        return names(default_project(db.session).label_schema, kind)


def stored_labels(app: Flask) -> list[str]:
    with app.app_context():
        return list(db.session.scalars(select(Annotation.label).order_by(Annotation.id)))


class Elsewhere:
    """Something run on another thread (another request), whose outcome is kept."""

    def __init__(self, work: Callable[[], Any]) -> None:
        self.error: BaseException | None = None
        self.thread = threading.Thread(target=self._run, args=(work,))
        self.thread.start()

    def _run(self, work: Callable[[], Any]) -> None:
        try:
            work()
        except BaseException as error:  # noqa: BLE001  (handed to the test)
            self.error = error

    def waiting(self) -> bool:
        """Still running after WAIT: it waits for the lock the test's session holds."""
        self.thread.join(WAIT)
        return self.thread.is_alive()

    def finished(self) -> BaseException | None:
        self.thread.join(30)
        assert not self.thread.is_alive()
        return self.error


# --- a save that read the schema before it claimed its scope ---------------------------


def rename_after_the_saves_read(
    monkeypatch: pytest.MonkeyPatch, engine: Engine, admin_id: int, old: str, new: str
) -> list[str]:
    """Rename a label right after the save's first read of its scope, before its claim."""
    rename = (engine, admin_id, rename_label, "entity", old, new)
    return reads_of_the_scope(monkeypatch, lambda: edit_schema(*rename))


def test_a_save_whose_label_was_renamed_after_it_read_the_schema_is_refused(
    app: Flask,
    api: Api,
    users: dict[str, int],
    cho: tuple[int, str],
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    start, end = span_of(cho[1], CHO)
    engine = engine_of(app)
    reads = rename_after_the_saves_read(monkeypatch, engine, users["admin"], "PERSON", "PER")
    response = api.entity(cho[0], start, end, label="PERSON")
    assert reads == ["read", "read"]  # the claim saw the edit: read and checked again
    assert response.status_code == 422
    assert response.get_json()["error"]["field"] == "label"
    assert stored_labels(app) == []
    assert "PER" in label_names(app) and "PERSON" not in label_names(app)


def test_a_save_with_a_label_the_edit_kept_goes_in_after_reading_again(
    app: Flask,
    api: Api,
    users: dict[str, int],
    cho: tuple[int, str],
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    start, end = span_of(cho[1], CHO)
    reads = rename_after_the_saves_read(
        monkeypatch, engine_of(app), users["admin"], "ORG", "ORGANISATION"
    )
    assert api.entity(cho[0], start, end, label="PERSON").status_code == 201
    assert reads == ["read", "read"]
    assert stored_labels(app) == ["PERSON"]


# --- writes that claim first, then check: the edit and the write wait for each other -----


def test_an_edit_waits_for_a_write_in_flight_and_then_renames_what_it_stored(
    app: Flask, users: dict[str, int], cho: tuple[int, str]
) -> None:
    start, end = span_of(cho[1], CHO)
    with app.app_context():
        engine = db.engine
        with Session(engine) as session:
            anna = session.get(User, users["anna"])
            paragraph = session.get(Paragraph, cho[0])
            assert anna is not None and paragraph is not None
            writer.create(session, anna, paragraph, Proposal("entity", start, end, "PERSON"))
            session.flush()
            edit = Elsewhere(
                lambda: edit_schema(engine, users["admin"], rename_label, "entity", "PERSON", "PER")
            )
            assert edit.waiting()
            session.commit()
        assert edit.finished() is None
    assert stored_labels(app) == ["PER"]


def test_a_write_waits_for_an_edit_in_flight_and_then_checks_against_the_new_schema(
    app: Flask, users: dict[str, int], cho: tuple[int, str]
) -> None:
    start, end = span_of(cho[1], CHO)

    def save_person(engine: Engine) -> None:
        with Session(engine) as other:
            anna = other.get(User, users["anna"])
            paragraph = other.get(Paragraph, cho[0])
            assert anna is not None and paragraph is not None
            writer.create(other, anna, paragraph, Proposal("entity", start, end, "PERSON"))
            other.commit()

    with app.app_context():
        engine = db.engine
        with Session(engine) as session:
            admin = session.get(User, users["admin"])
            assert admin is not None
            rename_label(session, admin, default_project(session), "entity", "PERSON", "PER")
            save = Elsewhere(lambda: save_person(engine))
            assert save.waiting()
            session.commit()
        error = save.finished()
    assert isinstance(error, AnnotationError) and error.field == "label", error
    assert stored_labels(app) == []


def test_an_import_checks_against_the_schema_as_it_is_when_it_writes(
    app: Flask, users: dict[str, int], cho: tuple[int, str]
) -> None:
    """The project was read before a rename committed elsewhere; its first batch is
    checked against the renamed schema all the same."""
    start, end = span_of(cho[1], CHO)
    draft = RecordDraft(1, cho[1], None, None, None, None, [SpanDraft(start, end, "PERSON")])
    with app.app_context():
        project = default_project(db.session)
        assert "PERSON" in names(project.label_schema, "entity")
        edit_schema(db.engine, users["admin"], rename_label, "entity", "PERSON", "PER")
        with pytest.raises(IngestError, match="label"):
            import_annotations(db.session, project, "late.jsonl", [draft], as_annotator="anna")
        db.session.rollback()
    assert stored_labels(app) == []


# --- two edits of the schema ------------------------------------------------------------


def test_an_edit_from_a_page_read_before_another_edit_keeps_that_edit(
    app: Flask, users: dict[str, int]
) -> None:
    """Both admins' pages showed the same schema; the second add keeps the first one's."""
    with app.app_context():
        admin = db.session.get(User, users["admin"])
        project = default_project(db.session)
        assert admin is not None and project.label_schema is not None  # read: the page
        edit_schema(db.engine, users["admin"], add_label, "claim_type", {"name": "first"})
        add_label(db.session, admin, project, "claim_type", {"name": "second"})
        db.session.commit()
    assert {"first", "second"} <= set(label_names(app, "claim_type"))


def test_two_edits_at_once_go_one_after_the_other(app: Flask, users: dict[str, int]) -> None:
    with app.app_context():
        engine = db.engine
        with Session(engine) as session:
            admin = session.get(User, users["admin"])
            assert admin is not None
            add_label(session, admin, default_project(session), "claim_type", {"name": "first"})
            entry = {"name": "second"}
            second = Elsewhere(
                lambda: edit_schema(engine, users["admin"], add_label, "claim_type", entry)
            )
            assert second.waiting()
            session.commit()
        assert second.finished() is None
    assert {"first", "second"} <= set(label_names(app, "claim_type"))
    with app.app_context():
        assert default_project(db.session).schema_revision == 2
