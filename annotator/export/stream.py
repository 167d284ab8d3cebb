"""Stream native records out of the database without holding a project in memory.

Three ordered cursors (paragraphs, annotations, article statuses) are read with
`yield_per` (a server-side cursor on PostgreSQL) and merged article by article, so
memory holds one article at a time however large the project is.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from datetime import datetime
from itertools import groupby
from typing import Any, Generic, TypeVar

from sqlalchemy import Select, String, Text, func, select, type_coerce

from annotator.export.filters import ExportFilters, FilterError
from annotator.formats.native import (
    ArticleInfo,
    ParagraphInfo,
    StoredAnnotation,
    article_record,
    paragraph_record,
)
from annotator.models import (
    Annotation,
    Article,
    ArticleStatus,
    DbSession,
    Paragraph,
    Project,
    Status,
    User,
)

BATCH = 2000
T = TypeVar("T")


@dataclass(frozen=True)
class Plan:
    """Filters resolved against the database: user ids instead of names."""

    project: Project
    filters: ExportFilters
    user_ids: frozenset[int] | None
    names: dict[int, str]


@dataclass(frozen=True)
class Worker:
    """Someone whose work on an article is exported; user_id None is gold."""

    user_id: int | None
    status: str
    status_time: datetime | None


def plan_export(session: DbSession, project: Project, filters: ExportFilters) -> Plan:
    """Resolve annotator names; an unknown name is a FilterError, not an empty file."""
    names = {uid: name for uid, name in session.execute(select(User.id, User.username))}
    if not filters.annotators:
        return Plan(project, filters, None, names)
    by_key = {User.key_for(name): uid for uid, name in names.items()}
    ids = set()
    for wanted in filters.annotators:
        if User.key_for(wanted) not in by_key:
            raise FilterError("annotator", f"no user named {wanted!r}")
        ids.add(by_key[User.key_for(wanted)])
    return Plan(project, filters, frozenset(ids), names)


def stream_records(session: DbSession, plan: Plan) -> Iterator[dict[str, Any]]:
    """Native records in article order: per paragraph and annotator, or per article."""
    annotations = _Lookahead(_annotation_rows(session, plan))
    statuses = _Lookahead(_status_rows(session, plan))
    for (article, _), rows in groupby(_paragraph_rows(session, plan), key=_article_key):
        paragraphs = [paragraph for _, paragraph in rows]
        found = annotations.take(article.id, lambda a: a[0])
        states = statuses.take(article.id, lambda s: s[0])
        yield from _article_records(plan, article, paragraphs, [a for _, a in found], states)


def count_records(session: DbSession, plan: Plan) -> int:
    """How many records the export will hold (the page's count preview)."""
    return sum(1 for _ in stream_records(session, plan))


def _article_key(row: tuple[ArticleInfo, ParagraphInfo]) -> tuple[ArticleInfo, int]:
    return row[0], row[0].id


def _article_records(
    plan: Plan,
    article: ArticleInfo,
    paragraphs: Sequence[ParagraphInfo],
    annotations: Sequence[StoredAnnotation],
    states: Sequence[tuple[int, int, str, datetime]],
) -> Iterator[dict[str, Any]]:
    by_owner: dict[tuple[int, int | None], list[StoredAnnotation]] = defaultdict(list)
    for a in annotations:
        owner = None if plan.filters.gold_only else a.annotator_id
        by_owner[(a.paragraph_index, owner)].append(a)
    workers = _workers(plan, annotations, states)
    keep_empty = plan.filters.since is None and plan.filters.until is None
    records = [
        paragraph_record(
            plan.project.slug,
            article,
            paragraph,
            None if worker.user_id is None else plan.names.get(worker.user_id),
            worker.status,
            by_owner.get((paragraph.position, worker.user_id), []),
            worker.status_time,
        )
        for paragraph in paragraphs
        for worker in workers
        if keep_empty or by_owner.get((paragraph.position, worker.user_id))
    ]
    if plan.filters.by == "article":
        ordered = sorted(records, key=lambda r: (r["annotator"] or "", r["paragraph_index"]))
        for _, group in groupby(ordered, key=lambda r: r["annotator"]):
            yield article_record(list(group))
    else:
        yield from records


def _workers(
    plan: Plan,
    annotations: Sequence[StoredAnnotation],
    states: Sequence[tuple[int, int, str, datetime]],
) -> list[Worker]:
    """Who worked on the article: a status row past not-started, or any annotation."""
    if plan.filters.gold_only:
        return [Worker(None, Status.DONE.value, None)] if annotations else []
    workers = {uid: Worker(uid, status, when) for _, uid, status, when in states}
    for a in annotations:
        workers.setdefault(a.annotator_id, Worker(a.annotator_id, Status.IN_PROGRESS.value, None))
    chosen = [
        w for w in workers.values() if plan.filters.status == "all" or w.status == Status.DONE.value
    ]
    return sorted(chosen, key=lambda w: plan.names.get(w.user_id or 0, "").casefold())


# --- the three cursors ----------------------------------------------------------------------


def _paragraph_rows(session: DbSession, plan: Plan) -> Iterator[tuple[ArticleInfo, ParagraphInfo]]:
    query = (
        select(
            Article.id,
            Article.external_id,
            Article.title,
            Article.source,
            Paragraph.position,
            Paragraph.text,
            Paragraph.is_boilerplate,
        )
        .join(Paragraph, Paragraph.article_id == Article.id)
        .where(Article.project_id == plan.project.id)
        .order_by(Article.id, Paragraph.position)
    )
    if not plan.filters.include_boilerplate:
        query = query.where(Paragraph.is_boilerplate.is_(False))
    article: ArticleInfo | None = None
    for aid, external_id, title, source, position, text, boilerplate in _streamed(session, query):
        if article is None or article.id != aid:
            article = ArticleInfo(aid, external_id, title, source)
        yield article, ParagraphInfo(aid, position, text, boilerplate)


def _annotation_rows(session: DbSession, plan: Plan) -> Iterator[tuple[int, StoredAnnotation]]:
    f = plan.filters
    query: Any = (
        select(
            Paragraph.article_id,
            Annotation.id,
            Paragraph.position,
            Annotation.annotator_id,
            Annotation.layer,
            Annotation.start,
            Annotation.end,
            Annotation.label,
            type_coerce(Annotation.attributes, Text),  # decoded lazily, see StoredAnnotation
            type_coerce(Annotation.updated_at, String),
            Annotation.source,
        )
        .join(Paragraph, Paragraph.id == Annotation.paragraph_id)
        .join(Article, Article.id == Paragraph.article_id)
        .where(Article.project_id == plan.project.id)
        .where(Annotation.is_gold.is_(f.gold_only))
        .where(Annotation.layer.in_(sorted(f.layers)))
        .order_by(Paragraph.article_id, Annotation.id)
    )
    query = _narrow(query, plan)
    if not f.include_boilerplate:
        query = query.where(Paragraph.is_boilerplate.is_(False))
    if f.since is not None:
        query = query.where(Annotation.updated_at >= f.since)
    if f.until is not None:
        query = query.where(Annotation.updated_at < f.until)
    for row in _streamed(session, query):
        yield row[0], StoredAnnotation._make(row[1:])


def _narrow(query: Select[Any], plan: Plan) -> Select[Any]:
    if plan.user_ids is None or plan.filters.gold_only:
        return query
    return query.where(Annotation.annotator_id.in_(sorted(plan.user_ids)))


def _status_rows(session: DbSession, plan: Plan) -> Iterator[tuple[int, int, str, datetime]]:
    if plan.filters.gold_only:
        return iter(())
    query = (
        select(
            ArticleStatus.article_id,
            ArticleStatus.user_id,
            ArticleStatus.status,
            ArticleStatus.updated_at,
        )
        .join(Article, Article.id == ArticleStatus.article_id)
        .where(Article.project_id == plan.project.id)
        .where(ArticleStatus.status != Status.NOT_STARTED.value)
        .order_by(ArticleStatus.article_id, ArticleStatus.user_id)
    )
    if plan.user_ids is not None:
        query = query.where(ArticleStatus.user_id.in_(sorted(plan.user_ids)))
    return (tuple(row) for row in _streamed(session, query))


def _streamed(session: DbSession, query: Any) -> Iterator[Any]:
    """Rows fetched in batches from a server-side cursor where the database has one.

    Core rows, not ORM ones: the export reads plain columns and this is several times faster.
    """
    connection = session.connection()
    yield from connection.execution_options(yield_per=BATCH).execute(query)


class _Lookahead(Generic[T]):
    """An ordered stream read up to a key, one article at a time."""

    def __init__(self, rows: Iterator[T]) -> None:
        self._rows = rows
        self._next: T | None = next(rows, None)

    def take(self, article_id: int, key: Any) -> list[T]:
        taken: list[T] = []
        while self._next is not None and key(self._next) <= article_id:
            if key(self._next) == article_id:
                taken.append(self._next)
            self._next = next(self._rows, None)
        return taken


def project_counts(session: DbSession, project: Project) -> int:
    """Articles in the project, for the export page's heading."""
    return session.scalar(select(func.count()).where(Article.project_id == project.id)) or 0
