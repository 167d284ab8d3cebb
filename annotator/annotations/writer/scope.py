"""Reading the owner's scope afresh: what the rules compare with."""

from __future__ import annotations

import functools
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from sqlalchemy import (
    JSON,
    Integer,
    Select,
    and_,
    bindparam,
    func,
    literal_column,
    or_,
    select,
    type_coerce,
)
from sqlalchemy.orm import aliased
from sqlalchemy.sql.elements import ColumnClause

from annotator.annotations.rules import Existing, Place
from annotator.annotations.types import ConflictError
from annotator.models import (
    Annotation,
    Article,
    ArticleStatus,
    DbSession,
    Layer,
    Paragraph,
    Project,
)
from annotator.projects import (
    ProjectFacts,
    ProjectRow,
    membership_columns,
    remember_membership,
)

# --- reading the owner's scope ----------------------------------------------------------


@dataclass(frozen=True)
class Owner:
    user_id: int
    gold: bool


def owner_of(annotation: Annotation) -> Owner:
    return Owner(annotation.annotator_id, annotation.is_gold)


def owned(owner: Owner) -> Any:
    """The owner's rows: an annotator's own work, or the article's gold whoever stored it
    (gold is one scope per article, shared by its reviewers)."""
    return owned_by(owner.user_id, owner.gold)


def scope_of(
    session: DbSession, paragraph: Paragraph, owner: Owner, exclude: int | None = None
) -> list[Existing]:
    """The owner's annotations of the paragraph and entities of the article, read afresh."""
    query = (
        select(Annotation, Paragraph.text)
        .join(Paragraph, Annotation.paragraph_id == Paragraph.id)
        .where(Paragraph.article_id == paragraph.article_id, owned(owner))
        .where(or_(Annotation.paragraph_id == paragraph.id, Annotation.layer == "entity"))
        .execution_options(populate_existing=True)
    )
    if exclude is not None:
        query = query.where(Annotation.id != exclude)
    with session.no_autoflush:
        return [existing(row, text) for row, text in session.execute(query)]


@dataclass(frozen=True)
class SaveTarget:
    """The paragraph a save names by id, as its one read found it: no ORM objects."""

    place: Place
    article_id: int
    #: The project's id and archived_at, for the access rule (access.check_project).
    project: ProjectFacts
    label_schema: dict[str, Any]
    #: The schema's edits so far (writer.shared): the claim goes ahead only while it holds.
    schema_revision: int


@dataclass
class ParagraphScope:
    """What one query reads for a save to a paragraph named by id."""

    #: The paragraph with its project's facts; None when there is no such paragraph.
    target: SaveTarget | None
    #: The owner's annotations of the paragraph and entities of the article.
    others: list[Existing]
    #: The owner's annotation stored earlier under the save's client_id, if any.
    replay: Annotation | None
    #: How many times the owner's scope in the article had been claimed (0: never).
    revision: int = 0


def scope_at(
    session: DbSession, paragraph_id: int, owner: Owner, client_id: str | None
) -> ParagraphScope:
    """scope_of, the paragraph itself, its project's membership facts for the owner
    (projects.remember_membership), the client_id replay and the scope's revision (the
    owner's ArticleStatus row), in one statement of one row.

    The owner's annotations come as one JSON array (a correlated aggregate walking the
    article's paragraphs, then the annotation index of each), with each span's text cut by
    the database: a row per annotation repeated the paragraph, its project's JSON schema
    and a paragraph text, and decoding those forty times was most of a save's time. The
    replay is a scalar subquery on the (annotator, client_id) unique index.

    The statement is built once per dialect and owner kind (_scope_statement) and read as
    Core columns on the session's connection: building it, and loading three ORM entities
    from it, were most of a save's CPU (issue 13)."""
    connection = session.connection()
    statement = _scope_statement(connection.dialect.name, owner.gold)
    values = {"paragraph_id": paragraph_id, "owner_id": owner.user_id, "client_id": client_id}
    found = connection.execute(statement, values).first()
    return _paragraph_scope(session, found, owner)


#: The columns of Existing, in order, as each element of the scope's JSON array holds them.
_SCOPE_COLUMNS = ("id", "paragraph_id", "layer", "start", "end", "label", "target_id")


@functools.cache
def _scope_statement(dialect: str, gold: bool) -> Select[Any]:
    """scope_at's statement, with the paragraph, owner and client_id as bound parameters."""
    owner = bindparam("owner_id", type_=Integer)
    target = aliased(Paragraph)
    replay_id = (
        select(Annotation.id)
        .where(Annotation.annotator_id == owner, Annotation.client_id == bindparam("client_id"))
        .scalar_subquery()
    )
    listed, role = membership_columns(Project.id, owner)
    others = _scope_array(dialect, target, owned_by(owner, gold))
    revision = (
        select(ArticleStatus.revision)
        .where(ArticleStatus.article_id == target.article_id, ArticleStatus.user_id == owner)
        .scalar_subquery()
    )
    return (
        select(
            *(target.id, target.article_id, target.text, target.is_boilerplate),
            *(Project.id, Project.archived_at, Project.label_schema, Project.schema_revision),
            *(listed, role, others, replay_id, func.coalesce(revision, 0)),
        )
        .join(Article, Article.id == target.article_id)
        .join(Project, Project.id == Article.project_id)
        .where(target.id == bindparam("paragraph_id", type_=Integer))
    )


def owned_by(user_id: Any, gold: bool) -> Any:
    """owned() for a user id that may be a bound parameter."""
    if gold:
        return Annotation.is_gold.is_(True)
    return (Annotation.annotator_id == user_id) & (Annotation.is_gold.is_(False))


#: The entity layer written into the statement, not bound: SQLite compares a bound value
#: in a WHERE term with the partial indexes' conditions (layer = 'sentiment'), and then
#: prepares the statement afresh whenever that parameter is bound again, i.e. on every save
#: (a twelfth of its CPU, issue 13). A constant needs no parameter.
_ENTITY: ColumnClause[str] = literal_column(f"'{Layer.ENTITY.value}'")


def _scope_array(dialect: str, target: Any, mine_only: Any) -> Any:
    """The owner's annotations of the target paragraph and entities of its article, as a
    JSON array of arrays (_SCOPE_COLUMNS then the span's text), correlated to `target`."""
    columns = [getattr(Annotation, name) for name in _SCOPE_COLUMNS]
    # A LEFT JOIN, which SQLite never reorders: from the article's paragraphs to the
    # annotation index of each, not through all of the owner's annotations in the database.
    # Paragraphs without any give one array of nulls, dropped when read.
    mine = and_(
        Annotation.paragraph_id == Paragraph.id,
        mine_only,
        or_(Annotation.paragraph_id == target.id, Annotation.layer == _ENTITY),
    )
    text = func.substr(Paragraph.text, Annotation.start + 1, Annotation.end - Annotation.start)
    if dialect == "postgresql":
        aggregate = func.json_agg(func.json_build_array(*columns, text))
    else:
        aggregate = func.json_group_array(func.json_array(*columns, text))
    return (
        select(type_coerce(aggregate, JSON))
        .select_from(Paragraph)
        .outerjoin(Annotation, mine)
        .where(Paragraph.article_id == target.article_id)
        .correlate(target)
        .scalar_subquery()
    )


def _paragraph_scope(session: DbSession, found: Any, owner: Owner) -> ParagraphScope:
    if found is None:
        return ParagraphScope(None, [], None)
    (
        paragraph_id,
        article_id,
        text,
        boilerplate,
        *project,
        listed,
        role,
        rows,
        replay_id,
        revision,
    ) = found
    project_id, archived_at, label_schema, schema_revision = project
    remember_membership(session, project_id, owner.user_id, listed, role)
    place = Place(paragraph_id, text, bool(boilerplate))
    facts = ProjectRow(project_id, archived_at)
    target = SaveTarget(place, article_id, facts, label_schema, schema_revision)
    found_rows = [row for row in rows or [] if row[0] is not None]
    others = sorted((_existing_from(row) for row in found_rows), key=lambda e: e.id)
    replay = session.get(Annotation, replay_id) if replay_id is not None else None
    return ParagraphScope(target, others, replay, revision)


def _existing_from(row: Sequence[Any]) -> Existing:
    *values, text = row
    fields = dict(zip(_SCOPE_COLUMNS, values, strict=True))
    return Existing(**fields, text=text or "")


def article_annotations(session: DbSession, article_id: int, owner: Owner) -> list[Existing]:
    query = (
        select(Annotation, Paragraph.text)
        .join(Paragraph, Annotation.paragraph_id == Paragraph.id)
        .where(Paragraph.article_id == article_id, owned(owner))
    )
    return [existing(row, text) for row, text in session.execute(query)]


def existing(row: Annotation, paragraph_text: str, ref: Any = None) -> Existing:
    text = paragraph_text[row.start : row.end] if row.start is not None else ""
    return Existing(
        id=ref if ref is not None else row.id,
        paragraph_id=row.paragraph_id,
        layer=row.layer,
        start=row.start,
        end=row.end,
        label=row.label,
        target_id=row.target_id,
        text=text,
    )


def paragraph_sentiment(
    session: DbSession, paragraph: Paragraph, others: Sequence[Existing]
) -> Annotation | None:
    for other in others:
        if (
            other.layer == "sentiment"
            and other.target_id is None
            and (other.paragraph_id == paragraph.id)
        ):
            return session.get(Annotation, other.id)
    return None


def by_client_id(session: DbSession, owner_id: int, client_id: str) -> Annotation | None:
    query = select(Annotation).where(
        Annotation.annotator_id == owner_id, Annotation.client_id == client_id
    )
    return session.scalars(query.execution_options(populate_existing=True)).first()


def fresh(session: DbSession, annotation: Annotation, version: Any) -> Annotation:
    """The annotation as committed now; a changed version or a deleted row is a conflict."""
    query = select(Annotation).where(Annotation.id == annotation.id)
    current = session.scalars(query.execution_options(populate_existing=True)).first()
    if current is None:
        raise ConflictError(None, "This annotation was deleted elsewhere.")
    if version != current.version:
        raise ConflictError(current)
    return current
