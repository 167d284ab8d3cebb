"""Reading what a scorecard compares: whose card, which articles, their rows and comments.

The figures themselves are pure functions in annotator.quality.scorecard.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

from sqlalchemy import Select, and_, exists, or_, select
from werkzeug.exceptions import Forbidden, NotFound

from annotator.models import (
    Annotation,
    AnnotationComment,
    AnnotationEvent,
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
from annotator.projects import may_review
from annotator.quality.scorecard import Difference, Row, Scorecard, compare


@dataclass(frozen=True)
class ArticleScore:
    id: int
    title: str
    difference: Difference


@dataclass
class ProjectScore:
    """One annotator's scorecard for a project, with each scored article's difference."""

    annotator: User
    card: Scorecard = field(default_factory=Scorecard)
    articles: list[ArticleScore] = field(default_factory=list)


@dataclass(frozen=True)
class Comment:
    paragraph: int
    layer: str
    start: int | None
    end: int | None
    label: str
    body: str
    author: str
    created_at: datetime


def whose(session: DbSession, project: Project, viewer: User, name: str | None) -> User:
    """The annotator whose scorecard is asked for: one's own, or anyone's for the project's
    reviewers and admins. Someone else's asked for by an annotator is 403; an unknown name 404."""
    if not name or User.key_for(name) == viewer.username_key:
        return viewer
    if not may_review(session, project, viewer):
        raise Forbidden("You can see only your own scorecard.")
    found = session.scalar(select(User).where(User.username_key == User.key_for(name)))
    if found is None:
        raise NotFound(f"There is no annotator named {name!r}.")
    return found


def project_score(session: DbSession, project: Project, annotator: User) -> ProjectScore:
    """The annotator's articles that they marked done before a reviewer adjudicated them,
    scored."""
    scored = _scored(project, annotator).subquery()
    titles = {id: title for id, title in session.execute(select(scored.c.id, scored.c.title))}
    rows = _rows(session, select(scored.c.id), annotator)
    score = ProjectScore(annotator)
    for article_id, title in sorted(titles.items()):
        theirs, gold = rows.get(article_id, ([], []))
        difference = compare(theirs, gold)
        score.card.add(difference)
        score.articles.append(ArticleScore(article_id, title, difference))
    return score


def article_score(session: DbSession, article: Article, annotator: User) -> ArticleScore:
    """One scored article; 404 unless the annotator finished it before its adjudication."""
    query = _scored(article.project, annotator).where(Article.id == article.id)
    if session.execute(query).first() is None:
        raise NotFound(
            f"{annotator.username} has no scorecard for this article: it is kept for work "
            "marked done before the article was adjudicated, and not changed since."
        )
    theirs, gold = _rows(
        session, select(Article.id).where(Article.id == article.id), annotator
    ).get(article.id, ([], []))
    return ArticleScore(article.id, article.title, compare(theirs, gold))


def comments(session: DbSession, article: Article, annotator: User) -> dict[int, list[Comment]]:
    """Reviewers' comments on the annotator's own annotations in the article, per paragraph."""
    query = (
        select(
            Paragraph.position,
            Annotation.layer,
            Annotation.start,
            Annotation.end,
            Annotation.label,
            AnnotationComment.body,
            User.username,
            AnnotationComment.created_at,
        )
        .join(Annotation, Annotation.id == AnnotationComment.annotation_id)
        .join(Paragraph, Paragraph.id == Annotation.paragraph_id)
        .join(User, User.id == AnnotationComment.author_id)
        .where(Paragraph.article_id == article.id)
        .where(Annotation.annotator_id == annotator.id, Annotation.is_gold.is_(False))
        .order_by(Paragraph.position, AnnotationComment.created_at, AnnotationComment.id)
    )
    found: dict[int, list[Comment]] = defaultdict(list)
    for row in session.execute(query):
        found[row[0]].append(Comment(*row))
    return dict(found)


def _scored(project: Project, annotator: User) -> Select[int, str]:
    return (
        select(Article.id, Article.title)
        .join(ArticleStatus, ArticleStatus.article_id == Article.id)
        .join(ArticleReview, ArticleReview.article_id == Article.id)
        .where(Article.project_id == project.id)
        .where(ArticleStatus.user_id == annotator.id, ArticleStatus.status == Status.DONE.value)
        .where(ArticleReview.status == ReviewStatus.ADJUDICATED.value)
        # Work finished before the adjudication only: a scorecard shows the gold, and one
        # shown for "done" marked afterwards gave the gold to someone who had done nothing.
        .where(ArticleStatus.updated_at <= ArticleReview.updated_at)
        # ... and left as it was since: work changed once the gold could be seen on the
        # card is no longer what the card scores (an annotator could copy the gold).
        .where(~exists(_changed_after_adjudication(annotator)))
    )


def _changed_after_adjudication(annotator: User) -> Select[Any]:
    """The annotator's own changes to the article's work after its adjudication."""
    return (
        select(AnnotationEvent.id)
        .join(Paragraph, Paragraph.id == AnnotationEvent.paragraph_id)
        .where(Paragraph.article_id == Article.id)
        .where(AnnotationEvent.user_id == annotator.id)
        .where(AnnotationEvent.created_at > ArticleReview.updated_at)
    )


def _rows(
    session: DbSession, article_ids: Select[Any], annotator: User
) -> dict[int, tuple[list[Row], list[Row]]]:
    """Per article: the annotator's rows and gold's."""
    query = (
        select(
            Paragraph.article_id,
            Annotation.is_gold,
            Annotation.id,
            Paragraph.position,
            Annotation.layer,
            Annotation.start,
            Annotation.end,
            Annotation.label,
            Annotation.target_id,
        )
        .join(Paragraph, Paragraph.id == Annotation.paragraph_id)
        .where(Paragraph.article_id.in_(article_ids))
        .where(
            or_(
                Annotation.is_gold.is_(True),
                and_(Annotation.is_gold.is_(False), Annotation.annotator_id == annotator.id),
            )
        )
    )
    found: dict[int, tuple[list[Row], list[Row]]] = defaultdict(lambda: ([], []))
    for article_id, is_gold, *columns in session.execute(query):
        found[article_id][1 if is_gold else 0].append(Row._make(columns))
    return found
