"""Boilerplate learned from the corpus: a line that many articles of one source share is a
site's footer or promo, even when no built-in rule knows it.

Run at the end of every import (``store_articles``) and when a project's threshold changes.
It only ever marks content as boilerplate, and never a paragraph that holds annotations
(reported instead) or one an admin set by hand. Flushes only; the caller commits.
"""

from __future__ import annotations

import logging
from collections import defaultdict
from collections.abc import Collection, Iterator, Sequence
from dataclasses import dataclass, field

from sqlalchemy import ColumnElement, func, or_, select, update

from annotator.boilerplate import apply_repeated, repeated_lines
from annotator.models import Annotation, Article, AuditLog, DbSession, Paragraph, Project

log = logging.getLogger(__name__)

#: The project setting: a line in at least this many articles of one source is boilerplate.
SETTING = "boilerplate_min_articles"
DEFAULT_MIN_ARTICLES = 3
#: Footers and promos are short; comparing only short paragraphs keeps the scan cheap.
MAX_LEARNED_CHARS = 1000
BATCH = 500
#: The audit action of an admin's own boilerplate toggle: learning never overrides it.
HAND_SET = "paragraph.boilerplate"


@dataclass
class LearnedBoilerplate:
    """What a re-check changed, for the import summary and the CLI."""

    #: Paragraphs newly marked as boilerplate, in any article of the project.
    flagged: int = 0
    #: Paragraphs that qualify but hold annotations: left as content, named for review.
    kept_annotated: list[int] = field(default_factory=list)


def learned_lines(learned: LearnedBoilerplate) -> list[str]:
    """What a re-check changed, in sentences for the CLI and the import page."""
    lines = [
        f"Corpus learning: {learned.flagged} paragraph(s) marked as boilerplate because their "
        "text repeats in other articles of the same source."
    ]
    if learned.kept_annotated:
        ids = ", ".join(map(str, learned.kept_annotated))
        lines.append(
            f"Left as content because they hold annotations: {len(learned.kept_annotated)} "
            f"paragraph(s) that repeat like boilerplate (ids {ids}); review them by hand."
        )
    return lines


def min_articles(project: Project) -> int:
    """The project's threshold; 0 turns corpus learning off."""
    value = (project.settings or {}).get(SETTING, DEFAULT_MIN_ARTICLES)
    return value if isinstance(value, int) and not isinstance(value, bool) else 3


def recheck_repeated_lines(
    session: DbSession, project: Project, sources: Collection[str | None] | None = None
) -> LearnedBoilerplate:
    """Mark as boilerplate the content paragraphs whose text repeats in at least the project's
    threshold of articles of the same source (only ``sources`` when given)."""
    report = LearnedBoilerplate()
    threshold = min_articles(project)
    if threshold < 2:
        return report
    candidates = _candidate_ids(session, project, sources, threshold)
    if not candidates:
        return report
    annotated = _annotated(session, candidates)
    report.kept_annotated = sorted(annotated)
    kept = annotated | _hand_set(session, candidates)
    chosen = [i for i in candidates if i not in kept]
    for batch in _batches(chosen):
        session.execute(
            update(Paragraph).where(Paragraph.id.in_(batch)).values(is_boilerplate=True)
        )
    session.flush()
    report.flagged = len(chosen)
    log.info(
        "project %s: %d paragraph(s) learned as boilerplate, %d annotated kept as content",
        project.slug,
        report.flagged,
        len(report.kept_annotated),
    )
    return report


def _candidate_ids(
    session: DbSession,
    project: Project,
    sources: Collection[str | None] | None,
    threshold: int,
) -> list[int]:
    """Content paragraphs that the repeated lines of their source turn into boilerplate."""
    short = _short_paragraphs(session, project, sources)
    found: list[int] = []
    for group in short.values():
        repeated = repeated_lines(group.values(), threshold)
        if repeated:
            found += _newly_flagged(session, list(group), repeated)
    return found


def _short_paragraphs(
    session: DbSession, project: Project, sources: Collection[str | None] | None
) -> dict[str | None, dict[int, list[str]]]:
    """The short paragraph texts of the project's articles: source -> article -> texts."""
    query = (
        select(Article.source, Paragraph.article_id, Paragraph.text)
        .join(Article, Article.id == Paragraph.article_id)
        .where(
            Article.project_id == project.id,
            func.length(Paragraph.text) <= MAX_LEARNED_CHARS,
        )
    )
    if sources is not None:
        query = query.where(_source_in(sources))
    grouped: dict[str | None, dict[int, list[str]]] = defaultdict(lambda: defaultdict(list))
    for source, article_id, text in session.execute(query):
        grouped[source][article_id].append(text)
    return grouped


def _source_in(sources: Collection[str | None]) -> ColumnElement[bool]:
    named = [s for s in sources if s is not None]
    clauses = [Article.source.in_(named)] if named else []
    if None in sources:
        clauses.append(Article.source.is_(None))
    return or_(*clauses) if clauses else Article.id.is_(None)


def _newly_flagged(session: DbSession, article_ids: list[int], repeated: set[str]) -> list[int]:
    """The paragraphs of these articles that the repeated lines flag and are content now;
    each article is read whole, in order, so a recurring subheading keeps its context."""
    found: list[int] = []
    for batch in _batches(article_ids):
        query = (
            select(Paragraph.article_id, Paragraph.id, Paragraph.text, Paragraph.is_boilerplate)
            .where(Paragraph.article_id.in_(batch))
            .order_by(Paragraph.article_id, Paragraph.position)
        )
        articles: dict[int, list[tuple[int, str, bool]]] = defaultdict(list)
        for article_id, paragraph_id, text, flag in session.execute(query):
            articles[article_id].append((paragraph_id, text, flag))
        for rows in articles.values():
            found += _changed(rows, repeated)
    return found


def _changed(rows: Sequence[tuple[int, str, bool]], repeated: set[str]) -> list[int]:
    flags = [flag for _, _, flag in rows]
    learned = apply_repeated([text for _, text, _ in rows], flags, repeated)
    return [row[0] for row, old, new in zip(rows, flags, learned, strict=True) if new and not old]


def _annotated(session: DbSession, ids: list[int]) -> set[int]:
    found: set[int] = set()
    for batch in _batches(ids):
        query = select(Annotation.paragraph_id).where(Annotation.paragraph_id.in_(batch))
        found.update(session.scalars(query.distinct()))
    return found


def _hand_set(session: DbSession, ids: list[int]) -> set[int]:
    """Paragraphs whose flag an admin set by hand (the audit log says so)."""
    found: set[int] = set()
    for batch in _batches(ids):
        query = select(AuditLog.target_id).where(
            AuditLog.action == HAND_SET,
            AuditLog.target_type == "paragraph",
            AuditLog.target_id.in_([str(i) for i in batch]),
        )
        found.update(int(target) for target in session.scalars(query) if target)
    return found


def _batches(ids: Sequence[int]) -> Iterator[list[int]]:
    for start in range(0, len(ids), BATCH):
        yield list(ids[start : start + BATCH])
