"""Boilerplate learned from the corpus: a line that many articles of one source share is a
site's footer or promo, even when no built-in rule knows it.

Run at the end of every import (``store_articles``) and when a project's threshold changes.
It only ever marks content as boilerplate, and never a paragraph that holds annotations
(reported instead), one whose flag a person decided (an admin's toggle, a reviewer's decision
on a proposal) or one a project rule governs. Flag writes are one UPDATE per batch of ids.
Flushes only; the caller commits.
"""

from __future__ import annotations

import logging
from collections import defaultdict
from collections.abc import Collection, Iterator, Sequence
from dataclasses import dataclass, field
from typing import TypeVar

from sqlalchemy import ColumnElement, func, or_, select, update

from annotator.boilerplate.patterns import Pattern, matcher
from annotator.boilerplate.rules import rules_in_force
from annotator.detection import (
    MAX_LEARNED_CHARS,
    apply_repeated,
    normalise_line,
    repeated_lines,
)
from annotator.models import (
    Annotation,
    Article,
    AuditLog,
    BoilerplateChange,
    DbSession,
    Paragraph,
    Project,
)

log = logging.getLogger(__name__)

#: The project setting: a line in at least this many articles of one source is boilerplate.
SETTING = "boilerplate_min_articles"
DEFAULT_MIN_ARTICLES = 3
BATCH = 500
#: Lines looked up per query: each lookup scans the source's paragraphs once.
LINE_BATCH = 2000
T = TypeVar("T")
#: Audit actions of people deciding a paragraph's flag (an admin's toggle, a reviewer's
#: decision on a proposal): learning never overrides them.
HAND_SET = ("paragraph.boilerplate", "boilerplate.confirm", "boilerplate.decline")


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
    session: DbSession, project: Project, new_article_ids: Sequence[int] | None = None
) -> LearnedBoilerplate:
    """Mark as boilerplate the content paragraphs whose text repeats in at least the project's
    threshold of articles of the same source.

    With ``new_article_ids`` (the end of an import) only lines those articles hold are looked up,
    so an import costs what it brings, not what the project already holds; without, every
    article of the project is read (a changed threshold).
    """
    report = LearnedBoilerplate()
    threshold = min_articles(project)
    if threshold < 2:
        return report
    if new_article_ids is None:
        candidates = _all_candidates(session, project, threshold)
    else:
        candidates = _new_candidates(session, project, list(new_article_ids), threshold)
    if not candidates:
        return report
    annotated = _annotated(session, candidates)
    report.kept_annotated = sorted(annotated)
    kept = annotated | _hand_set(session, candidates) | _ruled(session, project, candidates)
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


def _all_candidates(session: DbSession, project: Project, threshold: int) -> list[int]:
    """Content paragraphs that the repeated lines of their source turn into boilerplate."""
    found: list[int] = []
    for group in _texts(session, project).values():
        repeated = repeated_lines(group.values(), threshold)
        if repeated:
            found += _newly_flagged(session, list(group), repeated)
    return found


def _new_candidates(
    session: DbSession, project: Project, article_ids: list[int], threshold: int
) -> list[int]:
    """The same, looking up only the content lines of the newly imported articles."""
    found: list[int] = []
    for source, lines in _content_lines(session, article_ids).items():
        seen = _occurrences(session, project, source, lines)
        repeated = _repeated(session, seen, threshold)
        targets = {a for line in repeated for a, flagged in seen[line].items() if not flagged}
        if targets:
            found += _newly_flagged(session, sorted(targets), repeated)
    return found


def _content_lines(
    session: DbSession, article_ids: list[int]
) -> dict[str | None, dict[str, set[str]]]:
    """The short content lines of these articles, by source: normalised line -> the texts
    it was written as (trimmed of spaces, as the database's trim() does)."""
    lines: dict[str | None, dict[str, set[str]]] = defaultdict(lambda: defaultdict(set))
    for batch in _batches(article_ids):
        query = (
            select(Article.source, Paragraph.text)
            .join(Article, Article.id == Paragraph.article_id)
            .where(Paragraph.article_id.in_(batch), Paragraph.is_boilerplate.is_(False))
        )
        for source, text in session.execute(query):
            line = normalise_line(text)
            if 0 < len(line) <= MAX_LEARNED_CHARS:
                lines[source][line].update({line, text.strip(" ")})
    return lines


def _occurrences(
    session: DbSession, project: Project, source: str | None, lines: dict[str, set[str]]
) -> dict[str, dict[int, bool]]:
    """Where in the source's articles each line occurs: line -> article -> flagged there.

    The database finds paragraphs written like the new ones or like their normalised form
    (a trimmed comparison, cheap on a large project); Python checks the normalised line.
    A full re-check (``new_article_ids=None``) compares every paragraph, whitespace normalised.
    """
    seen: dict[str, dict[int, bool]] = defaultdict(dict)
    written = sorted({text for variants in lines.values() for text in variants})
    for batch in _batches(written, LINE_BATCH):
        query = (
            select(Paragraph.article_id, Paragraph.text, Paragraph.is_boilerplate)
            .join(Article, Article.id == Paragraph.article_id)
            .where(Article.project_id == project.id, _source_in([source]))
            .where(func.trim(Paragraph.text).in_(batch))
        )
        for article_id, text, flagged in session.execute(query):
            line = normalise_line(text)
            if line in lines:
                seen[line][article_id] = seen[line].get(article_id, False) or flagged
    return seen


def _repeated(session: DbSession, seen: dict[str, dict[int, bool]], threshold: int) -> set[str]:
    """Lines already boilerplate in enough articles are settled; a line that is content in
    enough articles is learned only if those articles are not copies of one story."""
    settled = {line for line, where in seen.items() if sum(where.values()) >= threshold}
    pending = {line for line, where in seen.items() if len(where) >= threshold} - settled
    if not pending:
        return settled
    involved = sorted({article for line in pending for article in seen[line]})
    texts = _texts_of(session, involved)
    return settled | (repeated_lines(texts.values(), threshold) & pending)


def _texts(session: DbSession, project: Project) -> dict[str | None, dict[int, list[str]]]:
    """The paragraph texts of the project's articles, in order: source -> article -> texts."""
    query = (
        select(Article.source, Paragraph.article_id, Paragraph.text)
        .join(Article, Article.id == Paragraph.article_id)
        .where(Article.project_id == project.id)
        .order_by(Paragraph.article_id, Paragraph.position)
    )
    grouped: dict[str | None, dict[int, list[str]]] = defaultdict(lambda: defaultdict(list))
    for source, article_id, text in session.execute(query):
        grouped[source][article_id].append(text)
    return grouped


def _texts_of(session: DbSession, article_ids: list[int]) -> dict[int, list[str]]:
    texts: dict[int, list[str]] = defaultdict(list)
    for batch in _batches(article_ids):
        query = (
            select(Paragraph.article_id, Paragraph.text)
            .where(Paragraph.article_id.in_(batch))
            .order_by(Paragraph.article_id, Paragraph.position)
        )
        for article_id, text in session.execute(query):
            texts[article_id].append(text)
    return texts


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
            AuditLog.action.in_(HAND_SET),
            AuditLog.target_type == "paragraph",
            AuditLog.target_id.in_([str(i) for i in batch]),
        )
        found.update(int(target) for target in session.scalars(query) if target)
    return found


def _ruled(session: DbSession, project: Project, ids: list[int]) -> set[int]:
    """Paragraphs a project rule changed or matches: the project's own rules have the last
    word, including a rule that says "content"."""
    found: set[int] = set()
    for batch in _batches(ids):
        query = select(BoilerplateChange.paragraph_id).where(
            BoilerplateChange.paragraph_id.in_(batch)
        )
        found.update(session.scalars(query))
    rules = rules_in_force(session, project.id)
    if not rules:
        return found
    matchers = [matcher(Pattern(rule.kind, rule.pattern), None) for rule in rules]
    for batch in _batches(ids):
        rows = session.execute(select(Paragraph.id, Paragraph.text).where(Paragraph.id.in_(batch)))
        found.update(pid for pid, text in rows if any(match(text) for match in matchers))
    return found


def _batches(items: Sequence[T], size: int = BATCH) -> Iterator[list[T]]:
    for start in range(0, len(items), size):
        yield list(items[start : start + size])
