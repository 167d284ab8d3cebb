"""Reviewers' comments on annotations: text their annotator reads in the workspace."""

from __future__ import annotations

import logging
from typing import Any

from sqlalchemy import select

from annotator.annotations import AnnotationError
from annotator.annotations.writer.gold import check_finished
from annotator.models import Annotation, AnnotationComment, DbSession, User

log = logging.getLogger(__name__)

MAX_COMMENT = 2000


def add_comment(
    session: DbSession, author: User, annotation: Annotation, body: Any
) -> AnnotationComment:
    """Leave a comment on an annotator's annotation (not on gold: nobody would read it)."""
    if annotation.is_gold:
        raise AnnotationError(
            422, "invalid", "Comment on an annotator's annotation.", "annotation_id"
        )
    check_finished(session, annotation)
    if not isinstance(body, str) or not body.strip() or len(body) > MAX_COMMENT:
        message = f"body must be text of 1 to {MAX_COMMENT} characters"
        raise AnnotationError(422, "invalid", message, "body")
    comment = AnnotationComment(annotation_id=annotation.id, author_id=author.id, body=body.strip())
    session.add(comment)
    session.flush()
    log.info("%s commented on annotation %s", author.username, annotation.id)
    return comment


def comments_for(
    session: DbSession, user: User, paragraph_ids: list[int]
) -> list[AnnotationComment]:
    """Comments on the user's own annotations of these paragraphs: what their workspace shows."""
    if not paragraph_ids:
        return []
    query = (
        select(AnnotationComment)
        .join(Annotation, Annotation.id == AnnotationComment.annotation_id)
        .where(
            Annotation.paragraph_id.in_(paragraph_ids),
            Annotation.annotator_id == user.id,
            Annotation.is_gold.is_(False),
        )
        .order_by(AnnotationComment.created_at, AnnotationComment.id)
    )
    return list(session.scalars(query))
