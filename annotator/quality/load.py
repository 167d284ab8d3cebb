"""Read what agreement compares, in three queries, into plain structures.

Only finished work counts (the annotator marked the article done), only non-gold
annotations, and only articles that two or more annotators finished. Ids differ between
annotators, so everything that points at an entity (a sentiment's target, a claimant) is
turned into that entity's place: paragraph and offsets.
"""

from __future__ import annotations

import json
from collections.abc import Iterator
from dataclasses import dataclass, field
from typing import Any

from sqlalchemy import Select, select

from annotator.models import (
    Annotation,
    Article,
    ArticleStatus,
    DbSession,
    Layer,
    Paragraph,
    Project,
    Status,
    User,
)
from annotator.quality.agreement import Span

MIXED = "mixed"
BATCH = 5000

#: Where an entity is: paragraph id, start, end.
Place = tuple[int, int, int]


@dataclass(frozen=True, slots=True)
class Claim:
    start: int
    end: int
    type: str
    attribution: str | None
    #: The claimant's entity place, when it names one of the annotator's entities.
    claimant_entity: Place | None
    #: The claimant's text, stripped and case-folded; None when there is no claimant.
    claimant_text: str | None
    checkworthy: str | None

    @property
    def span(self) -> Span:
        """The claim as a span for matching: claim type left out (it is its own figure)."""
        return (self.start, self.end, "")


@dataclass(slots=True)
class Work:
    """One annotator's finished work in one paragraph."""

    entities: list[Span] = field(default_factory=list)
    claims: list[Claim] = field(default_factory=list)
    sentiment: str | None = None
    #: Sentiment towards an entity, keyed by the target entity's (start, end).
    targets: dict[tuple[int, int], str] = field(default_factory=dict)


@dataclass
class Corpus:
    """A project's comparable work: articles finished by two or more annotators."""

    names: dict[int, str]
    titles: dict[int, str]
    #: Article id -> ids of the annotators who finished it (two or more), ascending.
    finished: dict[int, list[int]]
    #: Article id -> paragraph id -> annotator id -> work.
    work: dict[int, dict[int, dict[int, Work]]]
    #: The project's sentiment values in order, "mixed" left out: the ordinal scale.
    scale: list[str]


def load_corpus(session: DbSession, project: Project) -> Corpus:
    names, titles, finished = _finished(session, project)
    corpus = Corpus(names, titles, finished, {}, sentiment_scale(project))
    places = _read_entities_and_sentiments(session, project, corpus)
    _read_claims(session, project, corpus, places)
    _sort(corpus)
    return corpus


def _sort(corpus: Corpus) -> None:
    """Spans in offset order, whatever order they were stored in: equal work compares equal."""
    for paragraphs in corpus.work.values():
        for people in paragraphs.values():
            for work in people.values():
                work.entities.sort()
                work.claims.sort(key=lambda c: (c.start, c.end, c.type))


def sentiment_scale(project: Project) -> list[str]:
    values = project.label_schema.get("sentiment") or []
    return [str(v) for v in values if v != MIXED]


def _finished(
    session: DbSession, project: Project
) -> tuple[dict[int, str], dict[int, str], dict[int, list[int]]]:
    rows = session.execute(
        select(ArticleStatus.article_id, Article.title, User.id, User.username)
        .join(Article, Article.id == ArticleStatus.article_id)
        .join(User, User.id == ArticleStatus.user_id)
        .where(Article.project_id == project.id, ArticleStatus.status == Status.DONE.value)
        .order_by(ArticleStatus.article_id, User.id)
    ).all()
    names: dict[int, str] = {}
    titles: dict[int, str] = {}
    finished: dict[int, list[int]] = {}
    for article_id, title, user_id, username in rows:
        names[user_id] = username
        titles[article_id] = title
        finished.setdefault(article_id, []).append(user_id)
    shared = {a: people for a, people in finished.items() if len(people) >= 2}
    return names, {a: titles[a] for a in shared}, shared


def _project_work(project: Project, *columns: Any) -> Select[Any]:
    """Non-gold annotations of the project; _rows keeps those of finished, shared work."""
    return (
        select(Paragraph.article_id, Annotation.paragraph_id, Annotation.annotator_id, *columns)
        .join(Paragraph, Paragraph.id == Annotation.paragraph_id)
        .join(Article, Article.id == Paragraph.article_id)
        .where(Article.project_id == project.id, Annotation.is_gold.is_(False))
        .execution_options(yield_per=BATCH)
    )


def _rows(session: DbSession, query: Select[Any], corpus: Corpus) -> Iterator[Any]:
    """The rows of annotators who finished an article that another also finished.

    Filtered here rather than joined in SQL: SQLite plans the join with the status table
    badly, and rows of unfinished work are few next to finished ones. The columns are plain
    numbers and text, read through the driver's own cursor: SQLAlchemy's row objects cost a
    third of the load on a large project."""
    finished = {(a, p) for a, people in corpus.finished.items() for p in people}
    connection = session.connection()
    compiled = query.compile(
        dialect=connection.dialect, compile_kwargs={"render_postcompile": True}
    )
    cursor = connection.connection.dbapi_connection.cursor()  # type: ignore[union-attr]
    try:
        cursor.execute(str(compiled), _positional(compiled))
        while rows := cursor.fetchmany(BATCH):
            for row in rows:
                if (row[0], row[2]) in finished:
                    yield row
    finally:
        cursor.close()


def _positional(compiled: Any) -> Any:
    """Bound parameters in the form the driver expects: a tuple (qmark) or a dict (pyformat)."""
    params = compiled.params
    if compiled.positiontup is not None:
        return tuple(params[name] for name in compiled.positiontup)
    return params


def _work(corpus: Corpus, article_id: int, paragraph_id: int, annotator_id: int) -> Work:
    articles = corpus.work
    paragraphs = articles.get(article_id)
    if paragraphs is None:
        paragraphs = articles[article_id] = {}
    people = paragraphs.get(paragraph_id)
    if people is None:
        people = paragraphs[paragraph_id] = {}
    found = people.get(annotator_id)
    if found is None:
        found = people[annotator_id] = Work()
    return found


def _read_entities_and_sentiments(
    session: DbSession, project: Project, corpus: Corpus
) -> dict[int, Place]:
    """Entities and sentiments; returns every entity's place by id, for targets and claimants."""
    query = _project_work(
        project,
        Annotation.id,
        Annotation.layer,
        Annotation.start,
        Annotation.end,
        Annotation.label,
        Annotation.target_id,
    ).where(Annotation.layer.in_((Layer.ENTITY.value, Layer.SENTIMENT.value)))
    places: dict[int, Place] = {}
    targeted: list[tuple[Work, int, str]] = []
    last, work = (0, 0), Work()
    for article_id, paragraph_id, annotator_id, id_, layer, start, end, label, target in _rows(
        session, query, corpus
    ):
        if (paragraph_id, annotator_id) != last:  # rows come mostly grouped: look up less
            last = (paragraph_id, annotator_id)
            work = _work(corpus, article_id, paragraph_id, annotator_id)
        if layer == "entity":
            work.entities.append((start, end, label))
            places[id_] = (paragraph_id, start, end)
        elif target is None:
            work.sentiment = label
        else:
            targeted.append((work, target, label))
    for work, target, label in targeted:
        if target in places:
            work.targets[places[target][1:]] = label
    return places


def _read_claims(
    session: DbSession, project: Project, corpus: Corpus, places: dict[int, Place]
) -> None:
    query = _project_work(
        project, Annotation.start, Annotation.end, Annotation.label, Annotation.attributes
    ).where(Annotation.layer == Layer.CLAIM.value)
    for article_id, paragraph_id, annotator_id, start, end, label, attributes in _rows(
        session, query, corpus
    ):
        work = _work(corpus, article_id, paragraph_id, annotator_id)
        if isinstance(attributes, str):  # the driver's own cursor: JSON as text on SQLite
            attributes = json.loads(attributes)
        work.claims.append(_claim(start, end, label, attributes or {}, places))


def _claim(
    start: int, end: int, label: str, attributes: dict[str, Any], places: dict[int, Place]
) -> Claim:
    claimant = attributes.get("claimant")
    entity: Place | None = None
    text: str | None = None
    if isinstance(claimant, dict):
        entity_id = claimant.get("entity_id")
        entity = places.get(entity_id) if isinstance(entity_id, int) else None
        text = " ".join(str(claimant.get("text") or "").split()).casefold()
    return Claim(
        start,
        end,
        label,
        attributes.get("attribution"),
        entity,
        text,
        attributes.get("checkworthy"),
    )
