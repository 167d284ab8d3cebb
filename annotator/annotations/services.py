"""Reading annotations and status; every write goes through annotator.annotations.writer."""

from __future__ import annotations

import logging

from sqlalchemy import select

from annotator.models import (
    Annotation,
    Article,
    ArticleStatus,
    DbSession,
    Status,
    User,
)

log = logging.getLogger(__name__)

# --- reading ----------------------------------------------------------------------------


def user_annotations(session: DbSession, paragraph_ids: list[int], user: User) -> list[Annotation]:
    """The user's own (non-gold) annotations in these paragraphs, in a stable order."""
    if not paragraph_ids:
        return []
    query = (
        select(Annotation)
        .where(
            Annotation.paragraph_id.in_(paragraph_ids),
            Annotation.annotator_id == user.id,
            Annotation.is_gold.is_(False),
        )
        .order_by(Annotation.paragraph_id, Annotation.start, Annotation.id)
    )
    return list(session.scalars(query))


def article_status(session: DbSession, article: Article, user: User) -> str:
    row = session.get(ArticleStatus, (article.id, user.id))
    return row.status if row else Status.NOT_STARTED.value
