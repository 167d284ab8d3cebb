"""How many records an export will hold, from COUNT queries grouped per article and
annotator: the export page asks on every change of a filter, and must not read (and
render) the whole export to answer.

It follows stream.py's rules (who counts as a worker on an article, which paragraphs give
a record) over aggregates of the very queries the export streams, so the two cannot
disagree; tests/test_export_count.py compares them filter by filter.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field
from typing import Any

from sqlalchemy import Select, distinct, func, literal, select

from annotator.export.stream import (
    Plan,
    _annotation_query,
    _narrow,
    _status_rows,
    stream_records,
)
from annotator.models import (
    Annotation,
    Article,
    ArticleReview,
    DbSession,
    Paragraph,
    ReviewStatus,
    Status,
)

GOLD = 0  # the one worker of gold records (real user ids start at 1)


@dataclass
class _Article:
    paragraphs: int = 0
    #: paragraphs holding at least one exported annotation, per annotator (GOLD for gold)
    annotated: dict[int, int] = field(default_factory=dict)
    gold: dict[int, int] = field(default_factory=dict)
    statuses: dict[int, str] = field(default_factory=dict)
    adjudicated: bool = False


def count_records(session: DbSession, plan: Plan) -> int:
    """The number of records stream_records yields for this plan."""
    f = plan.filters
    if f.majority is not None and not _keeps_empty(plan):
        # which paragraphs keep a majority depends on folding every annotation: stream it
        return sum(1 for _ in stream_records(session, plan))
    articles = _gather(session, plan)
    return sum(_records_of(plan, article) for article in articles.values())


def _keeps_empty(plan: Plan) -> bool:
    return plan.filters.since is None and plan.filters.until is None


def _gather(session: DbSession, plan: Plan) -> dict[int, _Article]:
    articles: dict[int, _Article] = defaultdict(_Article)
    for article_id, paragraphs in session.execute(_paragraph_counts(plan)):
        articles[article_id].paragraphs = paragraphs
    gold = plan.filters.gold_only
    for article_id, user_id, count in session.execute(_annotated_counts(plan, gold)):
        articles[article_id].annotated[GOLD if gold else user_id] = count
    for article_id, user_id, status, _ in _status_rows(session, plan):
        articles[article_id].statuses[user_id] = status
    if plan.filters.prefer == "gold":
        _gather_gold(session, plan, articles)
    return {key: value for key, value in articles.items() if value.paragraphs}


def _gather_gold(session: DbSession, plan: Plan, articles: dict[int, _Article]) -> None:
    adjudicated = (
        select(ArticleReview.article_id)
        .join(Article, Article.id == ArticleReview.article_id)
        .where(Article.project_id == plan.project.id)
        .where(ArticleReview.status == ReviewStatus.ADJUDICATED.value)
    )
    for (article_id,) in session.execute(adjudicated):
        articles[article_id].adjudicated = True
    for article_id, _, count in session.execute(_annotated_counts(plan, gold=True, mine=False)):
        articles[article_id].gold[GOLD] = count


def _paragraph_counts(plan: Plan) -> Select[Any]:
    query: Any = (
        select(Paragraph.article_id, func.count())
        .join(Article, Article.id == Paragraph.article_id)
        .where(Article.project_id == plan.project.id)
        .group_by(Paragraph.article_id)
    )
    if not plan.filters.include_boilerplate:
        query = query.where(Paragraph.is_boilerplate.is_(False))
    return query


def _annotated_counts(plan: Plan, gold: bool, mine: bool = True) -> Select[Any]:
    """Per article and annotator (gold: per article), the paragraphs holding an annotation
    the export would take: the export's own annotation query, grouped."""
    query: Any = _annotation_query(plan, gold)
    if mine:
        query = _narrow(query, plan)
    who = literal(GOLD) if gold else Annotation.annotator_id
    grouping = [Paragraph.article_id] if gold else [Paragraph.article_id, Annotation.annotator_id]
    counted: Select[Any] = (
        query.with_only_columns(Paragraph.article_id, who, func.count(distinct(Paragraph.id)))
        .order_by(None)
        .group_by(*grouping)
    )
    return counted


def _records_of(plan: Plan, article: _Article) -> int:
    f = plan.filters
    if f.prefer == "gold" and article.adjudicated:
        return _total(plan, article, {GOLD: article.gold.get(GOLD, 0)})
    if f.gold_only:
        marked = article.annotated.get(GOLD, 0)
        return _total(plan, article, {GOLD: marked} if marked or f.prefer == "gold" else {})
    workers = _workers(plan, article)
    if f.majority is not None:  # one folded record per paragraph, if K of them worked on it
        enough = len(workers) >= f.majority
        return _total(plan, article, {GOLD: article.paragraphs} if enough else {})
    return _total(plan, article, workers)


def _workers(plan: Plan, article: _Article) -> dict[int, int]:
    """Who worked on the article (a status past not-started, or any annotation), as
    stream._workers chooses them, with the paragraphs each annotated."""
    statuses = dict(article.statuses)
    for user_id in article.annotated:
        statuses.setdefault(user_id, Status.IN_PROGRESS.value)
    return {
        user_id: article.annotated.get(user_id, 0)
        for user_id, status in statuses.items()
        if plan.filters.status == "all" or status == Status.DONE.value
    }


def _total(plan: Plan, article: _Article, workers: dict[int, int]) -> int:
    """Paragraph records of these workers (every paragraph, or only annotated ones with a
    date range), or with by=article one record per worker who has any."""
    per_worker = [article.paragraphs if _keeps_empty(plan) else n for n in workers.values()]
    if plan.filters.by == "article":
        return sum(1 for n in per_worker if n)
    return sum(per_worker)
