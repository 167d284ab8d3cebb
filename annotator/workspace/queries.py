"""Read-side queries for the workspace pages, free of request globals."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from sqlalchemy import Select, case, func, select

from annotator.models import (
    Article,
    ArticleReview,
    ArticleStatus,
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


def article_rows(
    session: DbSession,
    project: Project,
    user_id: int,
    page: int,
    per_page: int,
    review: str | None = None,
) -> tuple[list[ArticleRow], int]:
    """A page of the project's articles with paragraph counts, this user's status and the
    review status; `review` keeps only articles in that review status."""
    counts = (
        select(
            Paragraph.article_id,
            func.count().label("total"),
            func.sum(case((Paragraph.is_boilerplate.is_(False), 1), else_=0)).label("content"),
        )
        .group_by(Paragraph.article_id)
        .subquery()
    )
    in_project = _reviewed_as(select(Article.id), review).where(Article.project_id == project.id)
    query = (
        _reviewed_as(
            select(Article, counts.c.total, counts.c.content, ArticleStatus.status)
            .add_columns(ArticleReview.status)
            .join(counts, counts.c.article_id == Article.id)
            .outerjoin(
                ArticleStatus,
                (ArticleStatus.article_id == Article.id) & (ArticleStatus.user_id == user_id),
            ),
            review,
        )
        .where(Article.project_id == project.id)
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


def _reviewed_as(query: Select[Any], review: str | None) -> Select[Any]:
    """Join the review status; keep one status only when asked (no row: not reviewed)."""
    query = query.outerjoin(ArticleReview, ArticleReview.article_id == Article.id)
    if review == ReviewStatus.NOT_REVIEWED.value:
        return query.where((ArticleReview.status.is_(None)) | (ArticleReview.status == review))
    if review is not None:
        return query.where(ArticleReview.status == review)
    return query
