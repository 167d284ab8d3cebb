"""Article review status, written only as upserts; the upsert is also the gold scope's lock.

Gold is one scope per article whoever the reviewer is: every gold write first upserts the
article's ArticleReview row (locking it until commit on PostgreSQL, taking the write lock
on SQLite), so two reviewers of one article write one after the other. A missing row reads
as not reviewed at version 1, the state a locking insert would store.
"""

from __future__ import annotations

import logging
from typing import Any

from sqlalchemy import case, select, update

from annotator.annotations.types import AnnotationError
from annotator.engines import upsert_insert
from annotator.models import Article, ArticleReview, DbSession, ReviewStatus, User, utcnow

log = logging.getLogger(__name__)

#: Statuses a reviewer may set by hand; "not reviewed" is where every article starts.
SETTABLE = (ReviewStatus.IN_REVIEW.value, ReviewStatus.ADJUDICATED.value)


class ReviewConflict(AnnotationError):
    """The review moved on since the page read it: a 409 carrying the stored state."""

    def __init__(self, current: dict[str, Any], message: str | None = None) -> None:
        if message is None:
            message = f"This article's review was changed elsewhere (now {current['status']})."
        super().__init__(409, "conflict", message, "version")
        self.current = current


def review_json(row: ArticleReview | None, article_id: int) -> dict[str, Any]:
    """The review state as the API answers it; a missing row is not reviewed, version 1."""
    if row is None:
        return {
            "article_id": article_id,
            "status": "not_reviewed",
            "version": 1,
            "reviewer_id": None,
        }
    return {
        "article_id": row.article_id,
        "status": row.status,
        "version": row.version,
        "reviewer_id": row.reviewer_id,
    }


def claim_gold_scope(session: DbSession, article_id: int, reviewer_id: int) -> None:
    """Lock the article's gold for a write until commit (claim_review); an adjudicated
    article's gold is final: a 409 until a reviewer sets it back to in review, so a page
    read before the adjudication cannot change it unseen."""
    claim_review(session, article_id, reviewer_id)
    current = _fresh(session, article_id)
    if current.status == ReviewStatus.ADJUDICATED.value:
        message = (
            "This article is adjudicated: its gold is final. Set its review back to in "
            "review to change it."
        )
        raise ReviewConflict(review_json(current, article_id), message)


def claim_review(session: DbSession, article_id: int, reviewer_id: int) -> None:
    """Lock the article's gold until commit; an article not reviewed moves to in review."""
    table = ArticleReview.__table__
    opens = table.c.status == ReviewStatus.NOT_REVIEWED.value
    _upsert(
        session,
        {
            "article_id": article_id,
            "status": ReviewStatus.IN_REVIEW.value,
            "reviewer_id": reviewer_id,
            "version": 2,  # past the not-reviewed version 1 a missing row reads as
            "updated_at": utcnow(),
        },
        {
            "status": case((opens, ReviewStatus.IN_REVIEW.value), else_=table.c.status),
            "reviewer_id": case((opens, reviewer_id), else_=table.c.reviewer_id),
            "version": case((opens, table.c.version + 1), else_=table.c.version),
            "updated_at": case((opens, utcnow()), else_=table.c.updated_at),
        },
    )


def open_review(session: DbSession, reviewer: User, article: Article) -> ArticleReview:
    """A reviewer opened the article: not reviewed becomes in review."""
    claim_review(session, article.id, reviewer.id)
    return _fresh(session, article.id)


def set_review_status(
    session: DbSession, reviewer: User, article: Article, status: Any, version: Any
) -> ArticleReview:
    """Move the review to `status` from the state the page read at `version` (409 if stale)."""
    if status not in SETTABLE:
        raise AnnotationError(422, "invalid", "status must be in_review or adjudicated", "status")
    if not isinstance(version, int) or isinstance(version, bool):
        raise AnnotationError(
            422, "invalid", "version must be the review version you read", "version"
        )
    table = ArticleReview.__table__
    _upsert(
        session,
        {"article_id": article.id, "status": ReviewStatus.NOT_REVIEWED.value, "version": 1},
        {"status": table.c.status},
    )
    current = _fresh(session, article.id)
    if current.version != version:
        raise ReviewConflict(review_json(current, article.id))
    if current.status != status:
        session.execute(
            update(ArticleReview)
            .where(ArticleReview.article_id == article.id)
            .values(
                status=status,
                reviewer_id=reviewer.id,
                version=ArticleReview.version + 1,
                updated_at=utcnow(),
            )
        )
        current = _fresh(session, article.id)
        log.info("%s set the review of article %s to %s", reviewer.username, article.id, status)
    return current


def _fresh(session: DbSession, article_id: int) -> ArticleReview:
    query = select(ArticleReview).where(ArticleReview.article_id == article_id)
    row = session.scalars(query.execution_options(populate_existing=True)).one()
    return row


def _upsert(session: DbSession, values: dict[str, Any], on_conflict: dict[str, Any]) -> None:
    insert = upsert_insert(session.get_bind().dialect.name)
    statement = insert(ArticleReview).values({"updated_at": utcnow(), **values})
    session.execute(
        statement.on_conflict_do_update(index_elements=["article_id"], set_=on_conflict)
    )
