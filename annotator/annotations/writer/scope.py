"""Reading the owner's scope afresh, after the lock: what the rules compare with."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from sqlalchemy import JSON, and_, func, or_, select, type_coerce
from sqlalchemy.orm import aliased, contains_eager

from annotator.annotations.rules import Existing
from annotator.annotations.types import ConflictError
from annotator.models import (
    Annotation,
    Article,
    DbSession,
    Paragraph,
    Project,
)
from annotator.projects import membership_columns, remember_membership

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
    if owner.gold:
        return Annotation.is_gold.is_(True)
    return (Annotation.annotator_id == owner.user_id) & (Annotation.is_gold.is_(False))


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


@dataclass
class ParagraphScope:
    """What one query after the lock reads for a save to a paragraph named by id."""

    #: The paragraph with its article and project; None when there is no such paragraph.
    paragraph: Paragraph | None
    #: The owner's annotations of the paragraph and entities of the article.
    others: list[Existing]
    #: The owner's annotation stored earlier under the save's client_id, if any.
    replay: Annotation | None


def scope_at(
    session: DbSession, paragraph_id: int, owner: Owner, client_id: str | None
) -> ParagraphScope:
    """scope_of, the paragraph itself, its project's membership facts for the owner
    (projects.remember_membership) and the client_id replay, in one statement of one row.

    The owner's annotations come as one JSON array (a correlated aggregate walking the
    article's paragraphs, then the annotation index of each), with each span's text cut by
    the database: a row per annotation repeated the paragraph, its project's JSON schema
    and a paragraph text, and decoding those forty times was most of a save's time. The
    replay is a scalar subquery on the (annotator, client_id) unique index."""
    target = aliased(Paragraph)
    replay_id: Any = None
    if client_id is not None:
        replay_id = (
            select(Annotation.id)
            .where(Annotation.annotator_id == owner.user_id, Annotation.client_id == client_id)
            .scalar_subquery()
        )
    listed, role = membership_columns(Project.id, owner.user_id)
    others = _scope_array(session, target, owner)
    query = (
        select(target, listed, role, others, replay_id)
        .join(target.article)
        .join(Article.project)
        .where(target.id == paragraph_id)
        .options(contains_eager(target.article).contains_eager(Article.project))
        .execution_options(populate_existing=True)
    )
    with session.no_autoflush:
        found = session.execute(query).first()
    return _paragraph_scope(session, found, owner)


#: The columns of Existing, in order, as each element of the scope's JSON array holds them.
_SCOPE_COLUMNS = ("id", "paragraph_id", "layer", "start", "end", "label", "target_id")


def _scope_array(session: DbSession, target: Any, owner: Owner) -> Any:
    """The owner's annotations of the target paragraph and entities of its article, as a
    JSON array of arrays (_SCOPE_COLUMNS then the span's text), correlated to `target`."""
    columns = [getattr(Annotation, name) for name in _SCOPE_COLUMNS]
    # A LEFT JOIN, which SQLite never reorders: from the article's paragraphs to the
    # annotation index of each, not through all of the owner's annotations in the database.
    # Paragraphs without any give one array of nulls, dropped when read.
    mine = and_(
        Annotation.paragraph_id == Paragraph.id,
        owned(owner),
        or_(Annotation.paragraph_id == target.id, Annotation.layer == "entity"),
    )
    text = func.substr(Paragraph.text, Annotation.start + 1, Annotation.end - Annotation.start)
    if session.get_bind().dialect.name == "postgresql":
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
    paragraph, listed, role, rows, replay_id = found
    remember_membership(session, paragraph.article.project_id, owner.user_id, listed, role)
    found_rows = [row for row in rows or [] if row[0] is not None]
    others = sorted((_existing_from(row) for row in found_rows), key=lambda e: e.id)
    replay = session.get(Annotation, replay_id) if replay_id is not None else None
    return ParagraphScope(paragraph, others, replay)


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
