"""Reading what a review needs: who finished, their annotations aligned, gold, comments,
and per article the review status and a disagreement count for the queue."""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass
from typing import Any

from sqlalchemy import select

from annotator.annotations import to_json
from annotator.annotations.writer import review_json
from annotator.models import (
    Annotation,
    AnnotationComment,
    Article,
    ArticleReview,
    ArticleStatus,
    DbSession,
    Paragraph,
    Project,
    ReviewStatus,
    Status,
    User,
)
from annotator.review.align import Row, align, disagreements

REVIEW_STATUSES = tuple(s.value for s in ReviewStatus)


def finished(session: DbSession, article_id: int) -> list[User]:
    """The annotators who marked the article done, by name: whose work is reviewed."""
    query = (
        select(User)
        .join(ArticleStatus, ArticleStatus.user_id == User.id)
        .where(ArticleStatus.article_id == article_id, ArticleStatus.status == Status.DONE.value)
        .order_by(User.username_key)
    )
    return list(session.scalars(query))


def work_of(
    session: DbSession, paragraph_ids: list[int], annotators: list[User]
) -> list[Annotation]:
    """The annotators' own (not gold) annotations of these paragraphs."""
    if not paragraph_ids or not annotators:
        return []
    query = (
        select(Annotation)
        .where(
            Annotation.paragraph_id.in_(paragraph_ids),
            Annotation.annotator_id.in_([u.id for u in annotators]),
            Annotation.is_gold.is_(False),
        )
        .order_by(Annotation.paragraph_id, Annotation.start, Annotation.id)
    )
    return list(session.scalars(query))


def gold_of(session: DbSession, paragraph_ids: list[int]) -> list[Annotation]:
    query = (
        select(Annotation)
        .where(Annotation.paragraph_id.in_(paragraph_ids), Annotation.is_gold.is_(True))
        .order_by(Annotation.paragraph_id, Annotation.start, Annotation.id)
    )
    return list(session.scalars(query))


def comments_on(session: DbSession, annotation_ids: list[int]) -> list[AnnotationComment]:
    if not annotation_ids:
        return []
    query = (
        select(AnnotationComment)
        .where(AnnotationComment.annotation_id.in_(annotation_ids))
        .order_by(AnnotationComment.created_at, AnnotationComment.id)
    )
    return list(session.scalars(query))


def review_of(session: DbSession, article_id: int) -> dict[str, Any]:
    return review_json(session.get(ArticleReview, article_id), article_id)


def agreed_sources(session: DbSession, article: Article) -> list[Annotation]:
    """One annotation per agreement of the article (the first annotator's): accept-all's input."""
    annotators = finished(session, article.id)
    work = work_of(session, [p.id for p in article.paragraphs], annotators)
    by_id = {a.id: a for a in work}
    rows = align(work, [u.id for u in annotators])
    return [by_id[next(iter(row.marks.values()))] for row in rows if row.agreed]


def review_payload(
    session: DbSession, article: Article, paragraphs: list[Paragraph]
) -> dict[str, Any]:
    """Everything the review page shows for these paragraphs of the article."""
    annotators = finished(session, article.id)
    ids = [p.id for p in paragraphs]
    work = work_of(session, ids, annotators)
    gold = gold_of(session, ids)
    rows = align(work, [u.id for u in annotators])
    return {
        "annotators": [{"id": u.id, "username": u.username} for u in annotators],
        "annotations": [to_json(a) for a in work],
        "gold": [to_json(a) for a in gold],
        "rows": [_row_json(r) for r in rows],
        "comments": [comment_json(c) for c in comments_on(session, [a.id for a in work])],
        "review": review_of(session, article.id),
    }


def comment_json(comment: AnnotationComment) -> dict[str, Any]:
    return {
        "id": comment.id,
        "annotation_id": comment.annotation_id,
        "author": comment.author.username,
        "body": comment.body,
        "created_at": comment.created_at.isoformat(),
    }


def _row_json(row: Row) -> dict[str, Any]:
    return {
        "key": row.key,
        "paragraph_id": row.paragraph_id,
        "layer": row.layer,
        "marks": {str(k): v for k, v in row.marks.items()},
        "agreed": row.agreed,
    }


# --- the queue and the article list -----------------------------------------------------


@dataclass(frozen=True)
class QueueRow:
    id: int
    title: str
    status: str
    annotators: int
    #: Rows not shared by all finished annotators alike; None with fewer than two.
    disagreements: int | None


def review_queue(session: DbSession, project: Project) -> list[QueueRow]:
    """The project's articles with two or more finished annotators, most disagreement first."""
    done = _finished_by_article(session, project)
    work = _done_work(session, project)
    statuses = review_statuses(session, project)
    rows = [
        QueueRow(
            id=article_id,
            title=title,
            status=statuses.get(article_id, ReviewStatus.NOT_REVIEWED.value),
            annotators=len(done.get(article_id, [])),
            disagreements=disagreements(work.get(article_id, []), done.get(article_id, [])),
        )
        for article_id, title in session.execute(
            select(Article.id, Article.title).where(Article.project_id == project.id)
        )
        if len(done.get(article_id, [])) >= 2
    ]
    return sorted(rows, key=lambda r: (-(r.disagreements or 0), r.id))


def review_statuses(session: DbSession, project: Project) -> dict[int, str]:
    query = (
        select(ArticleReview.article_id, ArticleReview.status)
        .join(Article, Article.id == ArticleReview.article_id)
        .where(Article.project_id == project.id)
    )
    return {article_id: status for article_id, status in session.execute(query)}


def _finished_by_article(session: DbSession, project: Project) -> dict[int, list[int]]:
    query = (
        select(ArticleStatus.article_id, ArticleStatus.user_id)
        .join(Article, Article.id == ArticleStatus.article_id)
        .where(Article.project_id == project.id, ArticleStatus.status == Status.DONE.value)
    )
    found: dict[int, list[int]] = defaultdict(list)
    for article_id, user_id in session.execute(query):
        found[article_id].append(user_id)
    return found


def _done_work(session: DbSession, project: Project) -> dict[int, list[Any]]:
    """Every finished annotator's annotations in the project, by article (columns only)."""
    query = (
        select(
            Paragraph.article_id,
            Annotation.id,
            Annotation.annotator_id,
            Annotation.paragraph_id,
            Annotation.layer,
            Annotation.start,
            Annotation.end,
            Annotation.label,
            Annotation.attributes,
            Annotation.target_id,
        )
        .join(Paragraph, Paragraph.id == Annotation.paragraph_id)
        .join(Article, Article.id == Paragraph.article_id)
        .join(
            ArticleStatus,
            (ArticleStatus.article_id == Article.id)
            & (ArticleStatus.user_id == Annotation.annotator_id),
        )
        .where(
            Article.project_id == project.id,
            Annotation.is_gold.is_(False),
            ArticleStatus.status == Status.DONE.value,
        )
    )
    found: dict[int, list[Any]] = defaultdict(list)
    for row in session.execute(query):
        found[row.article_id].append(row)
    return found
