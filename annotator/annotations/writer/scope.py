"""Reading the owner's scope afresh, after the lock: what the rules compare with."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from sqlalchemy import and_, or_, select
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
    (projects.remember_membership) and the client_id replay, in one statement.

    Flat LEFT JOINs (the article's paragraphs, then the owner's annotations of each), so
    both databases walk the paragraph and annotation indexes: a nested join, or an OR with
    the replay in the join condition, made SQLite scan every annotation of the database on
    each save. The replay is a scalar subquery on the (annotator, client_id) unique index."""
    target, theirs = aliased(Paragraph), aliased(Paragraph)
    mine = and_(
        Annotation.paragraph_id == theirs.id,
        owned(owner),
        or_(Annotation.paragraph_id == target.id, Annotation.layer == "entity"),
    )
    replay_id: Any = None
    if client_id is not None:
        replay_id = (
            select(Annotation.id)
            .where(Annotation.annotator_id == owner.user_id, Annotation.client_id == client_id)
            .scalar_subquery()
        )
    listed, role = membership_columns(Project.id, owner.user_id)
    query = (
        select(target, listed, role, Annotation, theirs.text, theirs.article_id, replay_id)
        .join(target.article)
        .join(Article.project)
        .outerjoin(theirs, theirs.article_id == target.article_id)
        .outerjoin(Annotation, mine)
        .where(target.id == paragraph_id)
        .options(contains_eager(target.article).contains_eager(Article.project))
        .execution_options(populate_existing=True)
    )
    with session.no_autoflush:
        found = session.execute(query).all()
    return _paragraph_scope(session, found, owner)


def _paragraph_scope(session: DbSession, found: Sequence[Any], owner: Owner) -> ParagraphScope:
    if not found:
        return ParagraphScope(None, [], None)
    paragraph: Paragraph = found[0][0]
    project_id = paragraph.article.project_id
    remember_membership(session, project_id, owner.user_id, found[0][1], found[0][2])
    others = [
        existing(row, text)
        for _, _, _, row, text, article_id, _ in found
        if row is not None and _in_scope(row, article_id, paragraph, owner)
    ]
    replay_id = found[0][6]
    replay = session.get(Annotation, replay_id) if replay_id is not None else None
    return ParagraphScope(paragraph, others, replay)


def _in_scope(row: Annotation, article_id: int, paragraph: Paragraph, owner: Owner) -> bool:
    """The replay row may lie outside the scope; everything else the query matched is in."""
    if row.is_gold != owner.gold or (not owner.gold and row.annotator_id != owner.user_id):
        return False
    if article_id != paragraph.article_id:
        return False
    return row.paragraph_id == paragraph.id or row.layer == "entity"


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
