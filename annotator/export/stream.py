"""Stream native records out of the database without holding a project in memory.

Three ordered cursors (paragraphs, annotations, article statuses; with prefer=gold also
the adjudicated articles' gold annotations) are read with `yield_per` (a server-side
cursor on PostgreSQL) and merged article by article, so memory holds one article at a
time however large the project is. majority=K folds each article's annotators into one
record per paragraph (export/majority.py), still one article at a time.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass
from datetime import datetime
from functools import partial
from itertools import chain, groupby
from operator import attrgetter, itemgetter
from typing import Any, Generic, TypeVar

from sqlalchemy import Select, String, Text, func, select, type_coerce

from annotator.export.filters import ExportFilters, FilterError
from annotator.export.majority import MAJORITY, article_entities, majority_annotations
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
    ArticleReview,
    ArticleStatus,
    DbSession,
    Layer,
    Paragraph,
    Project,
    ReviewStatus,
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
    annotations = _ByArticle(_annotation_rows(session, plan), _of_article)
    statuses = _ByArticle(_status_rows(session, plan), _first)
    gold = _ByArticle(_preferred_gold_rows(session, plan), _first)
    for article, paragraphs in _articles(session, plan):
        found = annotations.take(article.id)
        states = statuses.take(article.id)
        adjudicated = gold.take(article.id)
        if adjudicated:  # prefer=gold: the first row only says "adjudicated"; see below
            gold_found = [a for _, a in adjudicated if a is not None]
            yield from _article_records(plan, article, paragraphs, gold_found, [], gold=True)
        elif plan.filters.majority is not None:
            yield from _majority_records(plan, article, paragraphs, found, states)
        else:
            yield from _article_records(plan, article, paragraphs, found, states)


def _article_records(
    plan: Plan,
    article: ArticleInfo,
    paragraphs: Sequence[ParagraphInfo],
    annotations: Sequence[StoredAnnotation],
    states: Sequence[tuple[int, int, str, datetime]],
    gold: bool = False,
) -> list[dict[str, Any]]:
    gold = gold or plan.filters.gold_only
    by_owner = _by_owner(annotations, gold)
    workers = _gold_workers(plan, annotations) if gold else _workers(plan, annotations, states)
    return _grouped(plan, _records(plan, article, paragraphs, by_owner, workers))


def _by_owner(
    annotations: Sequence[StoredAnnotation], gold: bool
) -> dict[tuple[int, int | None], list[StoredAnnotation]]:
    """The article's rows per paragraph and annotator (gold: per paragraph, owner None).

    The rows come in the annotation query's order (paragraph, annotator, id), so each
    owner's rows are consecutive: groupby takes them in C, a run at a time, instead of a
    Python step per row. A run is added to what its owner has, so rows in another order
    would still all be kept."""
    by_owner: dict[tuple[int, int | None], list[StoredAnnotation]] = {}
    if gold:
        for paragraph, rows in groupby(annotations, key=_of_paragraph):
            by_owner.setdefault((paragraph, None), []).extend(rows)
    else:
        for owner, rows in groupby(annotations, key=_of_owner):
            by_owner.setdefault(owner, []).extend(rows)
    return by_owner


def _majority_records(
    plan: Plan,
    article: ArticleInfo,
    paragraphs: Sequence[ParagraphInfo],
    annotations: Sequence[StoredAnnotation],
    states: Sequence[tuple[int, int, str, datetime]],
) -> list[dict[str, Any]]:
    """One record per paragraph: what at least K of the article's counted annotators agree on.

    An article with fewer than K counted annotators cannot have a majority and is left out.
    """
    k = plan.filters.majority or 1
    workers = _workers(plan, annotations, states)
    if len(workers) < k:
        return []
    counted = {w.user_id for w in workers}
    by_paragraph: dict[int, list[StoredAnnotation]] = defaultdict(list)
    for a in annotations:
        if a.annotator_id in counted:
            by_paragraph[a.paragraph_index].append(a)
    done = all(w.status == Status.DONE.value for w in workers)
    status = Status.DONE.value if done else Status.IN_PROGRESS.value
    when = max((w.status_time for w in workers if w.status_time), default=None)
    entities = article_entities(by_paragraph, k)  # claimants may be in other paragraphs
    folded = {p: majority_annotations(rows, k, entities) for p, rows in by_paragraph.items()}
    owner: dict[tuple[int, int | None], list[StoredAnnotation]] = {
        (p, None): rows for p, rows in folded.items()
    }
    worker = Worker(None, status, when)
    records = _records(plan, article, paragraphs, owner, [worker], name=MAJORITY)
    return _grouped(plan, records)


def _records(
    plan: Plan,
    article: ArticleInfo,
    paragraphs: Sequence[ParagraphInfo],
    by_owner: dict[tuple[int, int | None], list[StoredAnnotation]],
    workers: Sequence[Worker],
    name: str | None = None,
) -> list[dict[str, Any]]:
    """Each paragraph as each worker left it; empty ones only when no date range is asked."""
    keep_empty = plan.filters.since is None and plan.filters.until is None
    slug = plan.project.slug  # an ORM attribute: read once, not once per record
    named = [(w, name if w.user_id is None else plan.names.get(w.user_id)) for w in workers]
    records = [
        paragraph_record(
            slug,
            article,
            paragraph,
            annotator,
            worker.status,
            by_owner.get((paragraph.position, worker.user_id), ()),
            worker.status_time,
        )
        for paragraph in paragraphs
        for worker, annotator in named
        if keep_empty or by_owner.get((paragraph.position, worker.user_id))
    ]
    exported = Layer.ENTITY.value in plan.filters.layers
    held = {e["id"] for r in records for e in r["entities"]} if exported else set()
    for record in records:
        _unlink_absent(record, held)
    return records


def _unlink_absent(record: dict[str, Any], held: set[int]) -> None:
    """A record names only entities the file holds (`held`: the article's exported ones):
    a claimant whose entity is left out (the entity layer, a boilerplate paragraph, a date
    range) keeps its text with no entity_id, and sentiment towards it is left out. The ids
    named entities the file does not hold, and its import back refused them."""
    for claim in record["claims"]:
        claimant = claim["claimant"]
        named = claimant.get("entity_id") if claimant is not None else None
        if named is not None and named not in held:
            claim["claimant"] = {**claimant, "entity_id": None}
    sentiment = record["sentiment"]
    if sentiment is not None and sentiment.get("targets"):
        targets = [t for t in sentiment["targets"] if t["entity_id"] in held]
        if len(targets) < len(sentiment["targets"]):
            kept = {**sentiment, "targets": targets}
            record["sentiment"] = kept if kept.get("label") is not None or targets else None


def _grouped(plan: Plan, records: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """Paragraph records as they are, or folded per annotator with by=article.

    A list, not a generator: the article's records are all built already, and every
    generator between them and the writer is one more resumption per record."""
    if plan.filters.by != "article":
        return records
    ordered = sorted(records, key=lambda r: (r["annotator"] or "", r["paragraph_index"]))
    return [
        article_record(list(group)) for _, group in groupby(ordered, key=lambda r: r["annotator"])
    ]


def _workers(
    plan: Plan,
    annotations: Sequence[StoredAnnotation],
    states: Sequence[tuple[int, int, str, datetime]],
) -> list[Worker]:
    """Who worked on the article: a status row past not-started, or any annotation."""
    workers = {uid: Worker(uid, status, when) for _, uid, status, when in states}
    for uid in {a.annotator_id for a in annotations} - workers.keys():
        workers[uid] = Worker(uid, Status.IN_PROGRESS.value, None)
    chosen = [
        w for w in workers.values() if plan.filters.status == "all" or w.status == Status.DONE.value
    ]
    return sorted(chosen, key=lambda w: plan.names.get(w.user_id or 0, "").casefold())


def _gold_workers(plan: Plan, annotations: Sequence[StoredAnnotation]) -> list[Worker]:
    """Gold is one worker without a name; an adjudicated article (prefer=gold) has it even
    when the reviewer kept nothing, since that too is the decision."""
    if annotations or plan.filters.prefer == "gold":
        return [Worker(None, Status.DONE.value, None)]
    return []


# --- the cursors ----------------------------------------------------------------------


def _articles(session: DbSession, plan: Plan) -> Iterator[tuple[ArticleInfo, list[ParagraphInfo]]]:
    """Each article with its exported paragraphs in order, from two ordered cursors.

    The article's own columns come once per article, not once per paragraph: every column
    of every row costs about a thousand instructions to read (Python 3.11's sqlite3 lets go
    of the GIL for each), and an article has many paragraphs."""
    articles = (
        select(Article.id, Article.external_id, Article.title, Article.source)
        .where(Article.project_id == plan.project.id)
        .order_by(Article.id)
    )
    query = (
        select(Paragraph.article_id, Paragraph.position, Paragraph.text, Paragraph.is_boilerplate)
        .join(Article, Article.id == Paragraph.article_id)
        .where(Article.project_id == plan.project.id)
        .order_by(Article.id, Paragraph.position)
    )
    if not plan.filters.include_boilerplate:
        query = query.where(Paragraph.is_boilerplate.is_(False))
    infos = _ByArticle(map(ArticleInfo._make, _streamed(session, articles)), _first)
    for article_id, rows in groupby(_streamed(session, query), key=_first):
        yield infos.take(article_id)[0], list(map(_paragraph, rows))


def _annotation_rows(session: DbSession, plan: Plan) -> Iterator[StoredAnnotation]:
    query = _narrow(_annotation_query(plan, plan.filters.gold_only), plan)
    return map(_stored, _streamed(session, query))


def _preferred_gold_rows(
    session: DbSession, plan: Plan
) -> Iterator[tuple[int, StoredAnnotation | None]]:
    """prefer=gold: per adjudicated article a (id, None) marker, then its gold annotations.

    The marker is what tells an adjudicated article whose gold is empty from one that is
    not adjudicated; the gold rows themselves come from a second ordered cursor.
    """
    if plan.filters.prefer != "gold":
        return
    adjudicated = (
        select(ArticleReview.article_id)
        .join(Article, Article.id == ArticleReview.article_id)
        .where(Article.project_id == plan.project.id)
        .where(ArticleReview.status == ReviewStatus.ADJUDICATED.value)
        .order_by(ArticleReview.article_id)
    )
    query = _annotation_query(plan, gold=True).where(
        Paragraph.article_id.in_(adjudicated.order_by(None))
    )
    rows = _ByArticle(map(_stored, _streamed(session, query)), _of_article)
    for (article_id,) in _streamed(session, adjudicated):
        yield article_id, None
        yield from ((article_id, a) for a in rows.take(article_id))


def _annotation_query(plan: Plan, gold: bool) -> Select[Any]:
    f = plan.filters
    query: Any = (
        select(  # StoredAnnotation's fields, in its order
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
            Paragraph.article_id,
        )
        .join(Paragraph, Paragraph.id == Annotation.paragraph_id)
        .join(Article, Article.id == Paragraph.article_id)
        .where(Article.project_id == plan.project.id)
        .where(Annotation.is_gold.is_(gold))
        .where(Annotation.layer.in_(sorted(f.layers)))
        # The paragraph cursor's order, then the index's (paragraph_id, annotator_id, id):
        # SQLite then reads the rows in index order as they are sent, with no sort first.
        .order_by(Article.id, Paragraph.position, Annotation.annotator_id, Annotation.id)
    )
    if gold:  # gold is the decision once the article is adjudicated, not a review's draft
        adjudicated = select(ArticleReview.article_id).where(
            ArticleReview.status == ReviewStatus.ADJUDICATED.value
        )
        query = query.where(Paragraph.article_id.in_(adjudicated))
    if not f.include_boilerplate:
        query = query.where(Paragraph.is_boilerplate.is_(False))
    if f.since is not None:
        query = query.where(Annotation.updated_at >= f.since)
    if f.until is not None:
        query = query.where(Annotation.updated_at < f.until)
    return query


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
    The query runs now; its rows are read as the iterator is.
    """
    connection = session.connection()
    # A server-side cursor where there is one. SQLite has none and reads rows as they are
    # asked for anyway: there, asking for one (or for yield_per) only adds a row buffer
    # that moves every row through a deque in Python.
    if connection.dialect.supports_server_side_cursors:
        connection = connection.execution_options(stream_results=True, max_row_buffer=BATCH)
    result = connection.execute(query)
    # a batch per call (a third of the cost of row by row), chained in C, not in a generator
    return chain.from_iterable(result.partitions(BATCH))


_first = itemgetter(0)
_of_article = attrgetter("article_id")
_of_paragraph = attrgetter("paragraph_index")
_of_owner = attrgetter("paragraph_index", "annotator_id")
#: A row as a StoredAnnotation, built in C: what StoredAnnotation._make does without its
#: Python frame (one per exported annotation); the query selects its fields in its order.
_stored = partial(tuple.__new__, StoredAnnotation)
_paragraph = partial(tuple.__new__, ParagraphInfo)


class _ByArticle(Generic[T]):
    """An ordered stream, taken one article at a time: rows grouped by their article id
    (`key`), skipping the articles nobody asks for."""

    def __init__(self, rows: Iterator[T], key: Callable[[T], int]) -> None:
        self._groups = groupby(rows, key=key)
        self._next = next(self._groups, None)

    def take(self, article_id: int) -> list[T]:
        while self._next is not None and self._next[0] < article_id:
            self._next = next(self._groups, None)
        if self._next is None or self._next[0] != article_id:
            return []
        taken = list(self._next[1])
        self._next = next(self._groups, None)
        return taken


def project_counts(session: DbSession, project: Project) -> int:
    """Articles in the project, for the export page's heading."""
    return session.scalar(select(func.count()).where(Article.project_id == project.id)) or 0
