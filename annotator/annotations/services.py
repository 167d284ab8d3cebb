"""Reading annotations and status; every write goes through annotator.annotations.writer."""

from __future__ import annotations

import functools
import logging
from typing import Any

from sqlalchemy import Integer, Select, bindparam, select

from annotator.annotations.types import JSON_FIELDS
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


def user_annotations_json(
    session: DbSession, paragraph_id: int, user: User
) -> list[dict[str, Any]]:
    """user_annotations of one paragraph in their JSON form (to_json), read as Core rows by
    a statement built once: building it and loading ORM objects to turn straight into JSON
    were a third of a fetch's CPU (issue 13)."""
    values = {"paragraph_id": paragraph_id, "user_id": user.id}
    rows = session.connection().execute(_paragraph_annotations(), values)
    return [dict(zip(JSON_FIELDS, row, strict=True)) for row in rows]


@functools.cache
def _paragraph_annotations() -> Select[Any]:
    return (
        select(*(getattr(Annotation, name) for name in JSON_FIELDS))
        .where(
            Annotation.paragraph_id == bindparam("paragraph_id", type_=Integer),
            Annotation.annotator_id == bindparam("user_id", type_=Integer),
            Annotation.is_gold.is_(False),
        )
        .order_by(Annotation.start, Annotation.id)
    )


def article_status(session: DbSession, article: Article, user: User) -> str:
    row = session.get(ArticleStatus, (article.id, user.id))
    return row.status if row else Status.NOT_STARTED.value
