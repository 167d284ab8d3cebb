"""A paragraph made boilerplate and a write in it: whichever commits first, the other sees it
(annotations.writer.shared). A paragraph someone is annotating stays content, and no
sentiment lands on a paragraph that became boilerplate after the write read it. Each test
puts the other side exactly in between, on its own session and connection."""

from __future__ import annotations

from typing import Any

import pytest
from flask import Flask
from sqlalchemy import Engine, select, update
from sqlalchemy.orm import Session

from annotator.annotations import importer, writer
from annotator.annotations.importer import import_annotations
from annotator.annotations.rules import Proposal
from annotator.annotations.types import AnnotationError
from annotator.annotations.writer.shared import lock_paragraphs_for_flag, locked_flags
from annotator.extensions import db
from annotator.formats.drafts import RecordDraft
from annotator.ingest import IngestError
from annotator.models import Annotation, Paragraph, Project, User
from tests.admin_support import post
from tests.api_helpers import CHO, Api, span_of
from tests.conftest import Auth
from tests.test_save_before_lock import reads_of_the_scope
from tests.test_schema_edits_and_writes import Elsewhere, engine_of

BOILERPLATE = "Boilerplate paragraphs get no sentiment."


def make_boilerplate(engine: Engine, paragraph_id: int) -> None:
    """Another request makes the paragraph boilerplate, as every such change does: its row
    taken first, then the flag, committed."""
    with Session(engine) as other:
        lock_paragraphs_for_flag(other, project_of(other, paragraph_id), [paragraph_id])
        paragraph = other.get(Paragraph, paragraph_id)
        assert paragraph is not None
        paragraph.is_boilerplate = True
        other.commit()


def project_of(session: Session, paragraph_id: int) -> int:
    paragraph = session.get(Paragraph, paragraph_id)
    assert paragraph is not None
    return paragraph.article.project_id


def is_boilerplate(app: Flask, paragraph_id: int) -> bool:
    with app.app_context():
        return bool(
            db.session.scalar(select(Paragraph.is_boilerplate).where(Paragraph.id == paragraph_id))
        )


def stored(app: Flask) -> list[tuple[str, str]]:
    with app.app_context():
        return [(a.layer, a.label) for a in db.session.scalars(select(Annotation))]


def test_a_sentiment_save_whose_paragraph_became_boilerplate_after_it_read_it_is_refused(
    app: Flask, api: Api, cho: tuple[int, str], monkeypatch: pytest.MonkeyPatch
) -> None:
    engine = engine_of(app)
    reads = reads_of_the_scope(monkeypatch, lambda: make_boilerplate(engine, cho[0]))
    response = api.create(paragraph_id=cho[0], layer="sentiment", label="positive")
    assert reads == ["read", "read"]  # the claim saw the change: read and checked again
    assert response.status_code == 422
    assert response.get_json()["error"]["message"] == BOILERPLATE
    assert stored(app) == []


def test_a_paragraph_being_annotated_stays_content_when_made_boilerplate_at_that_moment(
    app: Flask, users: dict[str, int], cho: tuple[int, str]
) -> None:
    """The admin's change waits for the write in flight, then sees its annotation."""
    admin = Auth(app.test_client())
    admin.login("admin")
    start, end = span_of(cho[1], CHO)
    path = f"/admin/projects/default/paragraphs/{cho[0]}/boilerplate"
    with app.app_context(), Session(db.engine) as session:
        anna = session.get(User, users["anna"])
        paragraph = session.get(Paragraph, cho[0])
        assert anna is not None and paragraph is not None
        writer.create(session, anna, paragraph, Proposal("entity", start, end, "PERSON"))
        session.flush()
        change = Elsewhere(lambda: post(admin.client, path, {"boilerplate": "1"}))
        assert change.waiting()
        session.commit()
    assert change.finished() is None
    assert not is_boilerplate(app, cho[0])
    assert stored(app) == [("entity", "PERSON")]


def test_a_sentiment_waiting_for_a_change_to_boilerplate_is_refused_after_it(
    app: Flask, users: dict[str, int], cho: tuple[int, str]
) -> None:
    def set_sentiment(engine: Engine) -> None:
        with Session(engine) as other:
            anna = other.get(User, users["anna"])
            paragraph = other.get(Paragraph, cho[0])
            assert anna is not None and paragraph is not None
            writer.set_paragraph_sentiment(other, anna, paragraph, "positive")
            other.commit()

    with app.app_context():
        engine = db.engine
        with Session(engine) as session:
            lock_paragraphs_for_flag(session, project_of(session, cho[0]), [cho[0]])
            paragraph = session.get(Paragraph, cho[0])
            assert paragraph is not None
            paragraph.is_boilerplate = True
            session.flush()
            save = Elsewhere(lambda: set_sentiment(engine))
            assert save.waiting()
            session.commit()
        error = save.finished()
    assert isinstance(error, AnnotationError) and error.message == BOILERPLATE, error
    assert stored(app) == []


def test_an_import_checks_the_flag_as_it_is_when_it_writes(
    app: Flask, users: dict[str, int], cho: tuple[int, str], monkeypatch: pytest.MonkeyPatch
) -> None:
    """The importer found the paragraph as content; it became boilerplate before the batch
    was written, and the batch is refused all the same."""
    engine = engine_of(app)
    real = importer._Resolver.targets

    def found_then_changed(self: Any, drafts: Any) -> Any:
        targets = real(self, drafts)
        make_boilerplate(engine, cho[0])
        return targets

    monkeypatch.setattr(importer._Resolver, "targets", found_then_changed)
    draft = RecordDraft(1, cho[1], None, None, None, None, sentiment="positive")
    with app.app_context():
        project = db.session.scalar(select(Project).where(Project.slug == "default"))
        assert project is not None
        with pytest.raises(IngestError, match="Boilerplate"):
            import_annotations(db.session, project, "late.jsonl", [draft], as_annotator="anna")
        db.session.rollback()
    assert stored(app) == []


def test_an_import_and_a_change_of_several_flags_wait_for_each_other_and_neither_fails(
    app: Flask, seed_article: int
) -> None:
    """An import's batches take their paragraphs in the file's order; a rule's change takes
    its paragraphs in id order. The import holds a later paragraph, the change takes an
    earlier one and waits for the later, then the import's next batch wants the earlier:
    on PostgreSQL a deadlock, which failed one of them, unless the change waits first for
    the imports in flight (writer.shared's flags lock). On SQLite the change waits for the
    import's write lock."""
    with app.app_context():
        engine = db.engine
        ids = list(
            db.session.scalars(
                select(Paragraph.id)
                .where(Paragraph.article_id == seed_article, Paragraph.is_boilerplate.is_(False))
                .order_by(Paragraph.id)
            )
        )
        project_id = project_of(db.session, ids[0])
    earlier, later = ids[1], ids[-1]

    def change_both() -> None:
        with Session(engine) as other:
            lock_paragraphs_for_flag(other, project_id, [earlier, later])
            other.execute(
                update(Paragraph)
                .where(Paragraph.id.in_([earlier, later]))
                .values(is_boilerplate=True)
            )
            other.commit()

    with Session(engine) as importing:
        claim_write_lock(importing)  # an import's scope claim holds it on SQLite
        assert locked_flags(importing, project_id, [later]) == {later: False}  # first batch
        change = Elsewhere(change_both)
        assert change.waiting()
        assert locked_flags(importing, project_id, [earlier])[earlier] is False  # next batch
        importing.commit()
    assert change.finished() is None
    assert is_boilerplate(app, earlier) and is_boilerplate(app, later)


def claim_write_lock(session: Session) -> None:
    """What an import's first claim does to the database on SQLite: take its write lock (a
    no-op write); on PostgreSQL its claims hold rows the change never takes."""
    if session.get_bind().dialect.name == "sqlite":
        session.execute(update(Project).where(Project.id == -1).values(name=Project.name))
