"""Read-side queries for the workspace pages, free of request globals."""

from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy import case, func, select

from annotator.models import Article, ArticleStatus, DbSession, Paragraph, Project, Status


@dataclass(frozen=True)
class ArticleRow:
    """One line of a project's article list."""

    id: int
    title: str
    source: str | None
    paragraphs: int
    content_paragraphs: int
    status: str


def article_rows(
    session: DbSession, project: Project, user_id: int, page: int, per_page: int
) -> tuple[list[ArticleRow], int]:
    """A page of the project's articles with paragraph counts and this user's status."""
    counts = (
        select(
            Paragraph.article_id,
            func.count().label("total"),
            func.sum(case((Paragraph.is_boilerplate.is_(False), 1), else_=0)).label("content"),
        )
        .group_by(Paragraph.article_id)
        .subquery()
    )
    query = (
        select(Article, counts.c.total, counts.c.content, ArticleStatus.status)
        .join(counts, counts.c.article_id == Article.id)
        .outerjoin(
            ArticleStatus,
            (ArticleStatus.article_id == Article.id) & (ArticleStatus.user_id == user_id),
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
        )
        for article, total, content, status in session.execute(query)
    ]
    total = session.scalar(select(func.count()).where(Article.project_id == project.id)) or 0
    return rows, total
