"""Read-side queries for the workspace pages, free of request globals."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from sqlalchemy import ColumnElement, Select, case, exists, func, select
from sqlalchemy.orm import aliased

from annotator.models import (
    Article,
    ArticleReview,
    ArticleStatus,
    Assignment,
    DbSession,
    Paragraph,
    Project,
    ReviewStatus,
    Status,
)


@dataclass(frozen=True)
class ArticleRow:
    """One line of a project's article list."""

    id: int
    title: str
    source: str | None
    paragraphs: int
    content_paragraphs: int
    status: str
    review: str = ReviewStatus.NOT_REVIEWED.value


#: The article list's review filter, an allow-list.
REVIEW_FILTERS = tuple(s.value for s in ReviewStatus)
#: The article list's status filter (the user's own status), an allow-list.
STATUS_FILTERS = tuple(s.value for s in Status)
#: Longer searches are refused: a LIKE over every paragraph is paid per character.
SEARCH_MAX = 200


@dataclass(frozen=True)
class ListFilters:
    """What the article list is narrowed to; every field is optional, all of them combine."""

    #: Words in the title or the text, matched literally (% and _ are not wildcards).
    search: str = ""
    #: The user's own status on the article.
    status: str | None = None
    #: Only the articles assigned to the user.
    mine: bool = False
    review: str | None = None


def article_rows(
    session: DbSession,
    project: Project,
    user_id: int,
    page: int,
    per_page: int,
    filters: ListFilters | None = None,
) -> tuple[list[ArticleRow], int]:
    """A page of the project's articles that pass the filters, with paragraph counts, this
    user's status and the review status; and how many articles pass in all."""
    filters = filters or ListFilters()
    counts = (
        select(
            Paragraph.article_id,
            func.count().label("total"),
            func.sum(case((Paragraph.is_boilerplate.is_(False), 1), else_=0)).label("content"),
        )
        .group_by(Paragraph.article_id)
        .subquery()
    )
    wanted = [Article.project_id == project.id, *_conditions(filters, user_id)]
    in_project = _reviewed_as(select(Article.id), filters.review).where(*wanted)
    query = (
        _reviewed_as(
            select(Article, counts.c.total, counts.c.content, ArticleStatus.status)
            .add_columns(ArticleReview.status)
            .join(counts, counts.c.article_id == Article.id)
            .outerjoin(
                ArticleStatus,
                (ArticleStatus.article_id == Article.id) & (ArticleStatus.user_id == user_id),
            ),
            filters.review,
        )
        .where(*wanted)
        .order_by(Article.id)
        .limit(per_page)
        .offset((page - 1) * per_page)
    )
    rows = [
        ArticleRow(
            id=article.id,
            title=article.title,
            source=article.source,
            paragraphs=total,
            content_paragraphs=int(content or 0),
            status=status or Status.NOT_STARTED.value,
            review=review_status or ReviewStatus.NOT_REVIEWED.value,
        )
        for article, total, content, status, review_status in session.execute(query)
    ]
    total = session.scalar(select(func.count()).select_from(in_project.subquery())) or 0
    return rows, total


def _conditions(filters: ListFilters, user_id: int) -> list[ColumnElement[bool]]:
    conditions: list[ColumnElement[bool]] = []
    if filters.search:
        conditions.append(_mentions(filters.search))
    if filters.status is not None:
        conditions.append(_status_is(filters.status, user_id))
    if filters.mine:
        mine = (Assignment.article_id == Article.id) & (Assignment.user_id == user_id)
        conditions.append(exists().where(mine))
    return conditions


def _mentions(search: str) -> ColumnElement[bool]:
    """The title or a paragraph contains the text, case-insensitively, taken literally:
    autoescape makes % and _ (and the escape character) plain characters."""
    in_text = exists().where(
        Paragraph.article_id == Article.id, Paragraph.text.icontains(search, autoescape=True)
    )
    return Article.title.icontains(search, autoescape=True) | in_text


def _status_is(status: str, user_id: int) -> ColumnElement[bool]:
    """The user's status; no row at all is not started. An alias: the list's query joins
    ArticleStatus too, and a correlated subquery must not take that join's table."""
    row = aliased(ArticleStatus)
    mine = (row.article_id == Article.id) & (row.user_id == user_id)
    if status == Status.NOT_STARTED.value:
        started = (Status.IN_PROGRESS.value, Status.DONE.value)
        return ~exists().where(mine, row.status.in_(started))
    return exists().where(mine, row.status == status)


def _reviewed_as(query: Select[Any], review: str | None) -> Select[Any]:
    """Join the review status; keep one status only when asked (no row: not reviewed)."""
    query = query.outerjoin(ArticleReview, ArticleReview.article_id == Article.id)
    if review == ReviewStatus.NOT_REVIEWED.value:
        return query.where((ArticleReview.status.is_(None)) | (ArticleReview.status == review))
    if review is not None:
        return query.where(ArticleReview.status == review)
    return query
