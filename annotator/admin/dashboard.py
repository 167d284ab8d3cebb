"""Project progress: article states overall and per annotator, labels used, recent activity."""

from __future__ import annotations

from collections import Counter, defaultdict
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, time, timedelta
from typing import Any

from sqlalchemy import func, select

from annotator.models import (
    Annotation,
    AnnotationEvent,
    Article,
    ArticleStatus,
    Assignment,
    DbSession,
    Paragraph,
    Project,
    Status,
    User,
    utcnow,
)
from annotator.queue import has_content, overlap

STATES = (Status.DONE.value, Status.IN_PROGRESS.value, Status.NOT_STARTED.value)
ACTIVITY_DAYS = 14


@dataclass
class AnnotatorProgress:
    username: str
    assigned: int = 0
    states: Counter[str] = field(default_factory=Counter)
    annotations: int = 0


@dataclass
class Progress:
    """Everything the dashboard shows, as plain numbers."""

    articles: int
    overlap: int
    overall: Counter[str]
    annotators: list[AnnotatorProgress]
    labels: list[tuple[str, str, int]]  # layer, label, count
    activity: list[tuple[date, int]]

    def as_json(self) -> dict[str, Any]:
        return {
            "articles": self.articles,
            "overlap": self.overlap,
            "overall": {state: self.overall[state] for state in STATES},
            "annotators": [
                {
                    "username": a.username,
                    "assigned": a.assigned,
                    "annotations": a.annotations,
                    **{state: a.states[state] for state in STATES},
                }
                for a in self.annotators
            ],
            "labels": [{"layer": ly, "label": lb, "count": n} for ly, lb, n in self.labels],
            "activity": [{"date": d.isoformat(), "events": n} for d, n in self.activity],
        }


def project_progress(session: DbSession, project: Project, today: date | None = None) -> Progress:
    article_ids = list(
        session.scalars(select(Article.id).where(Article.project_id == project.id, has_content()))
    )
    statuses = list(
        session.scalars(select(ArticleStatus).where(ArticleStatus.article_id.in_(article_ids)))
    )
    return Progress(
        articles=len(article_ids),
        overlap=overlap(project),
        overall=_overall(article_ids, statuses, overlap(project)),
        annotators=_per_annotator(session, project, article_ids, statuses),
        labels=_labels(session, project),
        activity=_activity(session, project, today or utcnow().date()),
    )


def _overall(article_ids: list[int], statuses: list[ArticleStatus], needed: int) -> Counter[str]:
    """Done once `overlap` annotators are done; in progress once anyone has begun."""
    done: Counter[int] = Counter(s.article_id for s in statuses if s.status == Status.DONE)
    begun = {s.article_id for s in statuses if s.status != Status.NOT_STARTED}
    overall: Counter[str] = Counter()
    for article_id in article_ids:
        if done[article_id] >= needed:
            overall[Status.DONE.value] += 1
        elif article_id in begun:
            overall[Status.IN_PROGRESS.value] += 1
        else:
            overall[Status.NOT_STARTED.value] += 1
    return overall


def _per_annotator(
    session: DbSession, project: Project, article_ids: list[int], statuses: list[ArticleStatus]
) -> list[AnnotatorProgress]:
    assigned = session.execute(
        select(Assignment.user_id, Assignment.article_id).where(
            Assignment.article_id.in_(article_ids)
        )
    ).all()
    state_of = {(s.user_id, s.article_id): s.status for s in statuses}
    people: dict[int, set[int]] = defaultdict(set)
    for user_id, article_id in assigned:
        people[user_id].add(article_id)
    for user_id, article_id in state_of:
        people[user_id].add(article_id)
    made = dict(
        session.execute(
            select(Annotation.annotator_id, func.count())
            .join(Paragraph, Paragraph.id == Annotation.paragraph_id)
            .join(Article, Article.id == Paragraph.article_id)
            .where(Article.project_id == project.id, Annotation.is_gold.is_(False))
            .group_by(Annotation.annotator_id)
        ).all()
    )
    names = dict(session.execute(select(User.id, User.username).where(User.id.in_(people))).all())
    rows = []
    for user_id, articles in people.items():
        row = AnnotatorProgress(names[user_id], len(articles), annotations=made.get(user_id, 0))
        for article_id in articles:
            row.states[state_of.get((user_id, article_id), Status.NOT_STARTED.value)] += 1
        rows.append(row)
    return sorted(rows, key=lambda r: r.username.casefold())


def _labels(session: DbSession, project: Project) -> list[tuple[str, str, int]]:
    query = (
        select(Annotation.layer, Annotation.label, func.count())
        .join(Paragraph, Paragraph.id == Annotation.paragraph_id)
        .join(Article, Article.id == Paragraph.article_id)
        .where(Article.project_id == project.id, Annotation.is_gold.is_(False))
        .group_by(Annotation.layer, Annotation.label)
        .order_by(Annotation.layer, func.count().desc(), Annotation.label)
    )
    return [(layer, label, count) for layer, label, count in session.execute(query)]


def _activity(session: DbSession, project: Project, today: date) -> list[tuple[date, int]]:
    """Annotation changes per day over the last two weeks, oldest first, empty days included."""
    first = today - timedelta(days=ACTIVITY_DAYS - 1)
    since = datetime.combine(first, time(), tzinfo=UTC)
    query = (
        select(AnnotationEvent.created_at)
        .join(Paragraph, Paragraph.id == AnnotationEvent.paragraph_id)
        .join(Article, Article.id == Paragraph.article_id)
        .where(Article.project_id == project.id, AnnotationEvent.created_at >= since)
    )
    per_day = Counter(created.date() for created in session.scalars(query))
    days = [first + timedelta(days=i) for i in range(ACTIVITY_DAYS)]
    return [(day, per_day[day]) for day in days]
