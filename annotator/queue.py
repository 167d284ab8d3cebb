"""The annotation queue: which article an annotator should work on next."""

from __future__ import annotations

from sqlalchemy import exists, select

from annotator.models import Article, ArticleStatus, DbSession, Paragraph, Project, Status, User


def next_article(session: DbSession, project: Project, user: User) -> Article | None:
    """The first article of the project that this user has not marked done.

    Articles whose paragraphs are all boilerplate are skipped: there is nothing to annotate.
    """
    done = exists().where(
        ArticleStatus.article_id == Article.id,
        ArticleStatus.user_id == user.id,
        ArticleStatus.status == Status.DONE.value,
    )
    has_content = exists().where(
        Paragraph.article_id == Article.id, Paragraph.is_boilerplate.is_(False)
    )
    query = (
        select(Article)
        .where(Article.project_id == project.id, ~done, has_content)
        .order_by(Article.id)
        .limit(1)
    )
    return session.scalar(query)
