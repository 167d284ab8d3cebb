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

from annotator.annotations.writer.shared import lock_paragraphs_for_flag
from annotator.boilerplate.patterns import Pattern, matcher
from annotator.boilerplate.rules import rules_in_force
from annotator.imported_lines import (
    ImportedLines,
    Occurrences,
    SourceSpan,
    add_new_holders,
    line_digest,
    shared_by_new_articles,
    written_lines,
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
from annotator.text import normalise_line

log = logging.getLogger(__name__)

#: The project setting: a line in at least this many articles of one source is boilerplate.
SETTING = "boilerplate_min_articles"
DEFAULT_MIN_ARTICLES = 3
BATCH = 500
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
    session: DbSession, project: Project, imported: ImportedLines | None = None
) -> LearnedBoilerplate:
    """Mark as boilerplate the content paragraphs whose text repeats in at least the project's
    threshold of articles of the same source.

    With ``imported`` (the end of an import) only lines the new articles hold are looked up,
    so an import costs what it brings, not what the project already holds; without, every
    article of the project is read (a changed threshold).
    """
    report = LearnedBoilerplate()
    threshold = min_articles(project)
    if threshold < 2:
        return report
    if imported is None:
        candidates = _all_candidates(session, project, threshold)
    else:
        candidates = _new_candidates(session, project, imported, threshold)
    if not candidates:
        return report
    lock_paragraphs_for_flag(session, project.id, candidates)  # writes in flight there first
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
    from annotator.detection import repeated_lines  # at first use: text._boilerplate_flags

    found: list[int] = []
    for group in _texts(session, project).values():
        repeated = repeated_lines(group.values(), threshold)
        if repeated:
            found += _newly_flagged(session, list(group), set(map(line_digest, repeated)))
    return found


def _new_candidates(
    session: DbSession, project: Project, imported: ImportedLines, threshold: int
) -> list[int]:
    """The same, looking up only the content lines of the newly imported articles."""
    found: list[int] = []
    shared = shared_by_new_articles(session)
    for source, span in imported.sources.items():
        seen = _occurrences(session, project, source, span, shared.get(span.number, {}))
        repeated = _repeated(session, seen, threshold)
        targets = {a for key in repeated for a, flagged in seen[key].items() if not flagged}
        if targets:
            found += _newly_flagged(session, sorted(targets), repeated)
    return found


def _occurrences(
    session: DbSession,
    project: Project,
    source: str | None,
    span: SourceSpan,
    seen: dict[bytes, Occurrences],
) -> dict[bytes, Occurrences]:
    """Where in the source's articles the new articles' content lines occur, for the lines
    that may repeat: line digest -> article -> flagged there. ``seen`` starts with the lines
    several new articles share; the database finds older paragraphs written like a new line
    or like its normalised form (a trimmed comparison, cheap on a large project), Python
    compares normalised lines, and the new articles holding a line found there are added. A
    full re-check (``imported=None``) compares every paragraph, whitespace normalised."""
    new_ids = (span.low, span.high)
    if not _has_older(session, project, source, new_ids):
        return seen  # the source's first import: no older paragraph to look through
    for batch in written_lines(session, span.number):
        older = _older_occurrences(session, project, source, new_ids, batch)
        add_new_holders(session, span.number, older, seen)
        for key, where in older.items():
            held = seen.get(key)
            if held is None:  # written like a new line, yet not one once normalised
                continue
            for article_id, flagged in where.items():
                held[article_id] = held.get(article_id, False) or flagged
    return seen


def _has_older(
    session: DbSession, project: Project, source: str | None, new_ids: tuple[int, int]
) -> bool:
    """Whether the project holds an article of the source from before the import: one
    indexed look-up, where the texts' look-up compares every paragraph of the project."""
    query = (
        select(Article.id)
        .where(Article.project_id == project.id, _source_in([source]))
        .where(~Article.id.between(*new_ids))
        .limit(1)
    )
    return session.scalar(query) is not None


def _older_occurrences(
    session: DbSession,
    project: Project,
    source: str | None,
    new_ids: tuple[int, int],
    written: list[str],
) -> dict[bytes, Occurrences]:
    """The older paragraphs (outside the import's id range) with these texts: line digest ->
    article -> flagged there (in any of its paragraphs with the line)."""
    query = (
        select(Paragraph.article_id, Paragraph.text, Paragraph.is_boilerplate)
        .join(Article, Article.id == Paragraph.article_id)
        .where(Article.project_id == project.id, _source_in([source]))
        .where(~Paragraph.article_id.between(*new_ids))
        .where(func.trim(Paragraph.text).in_(written))
    )
    found: dict[bytes, Occurrences] = defaultdict(dict)
    for article_id, text, flagged in session.execute(query):
        where = found[line_digest(normalise_line(text))]
        where[article_id] = where.get(article_id, False) or flagged
    return found


def _repeated(session: DbSession, seen: dict[bytes, Occurrences], threshold: int) -> set[bytes]:
    """Lines already boilerplate in enough articles are settled; a line that is content in
    enough articles is learned only if those articles are not copies of one story. A line
    in one article alone is neither: the threshold is at least 2."""
    several = {key: where for key, where in seen.items() if len(where) >= 2}
    settled = {key for key, where in several.items() if sum(where.values()) >= threshold}
    pending = {key for key, where in several.items() if len(where) >= threshold} - settled
    if not pending:
        return settled
    from annotator.detection import repeated_lines  # at first use: text._boilerplate_flags

    involved = sorted({article for key in pending for article in several[key]})
    texts = _texts_of(session, involved)
    learned = {line_digest(line) for line in repeated_lines(texts.values(), threshold)}
    return settled | (learned & pending)


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


def _newly_flagged(session: DbSession, article_ids: list[int], repeated: set[bytes]) -> list[int]:
    """The paragraphs of these articles that the repeated lines (by digest) flag and are
    content now; each article is read whole, in order, so a recurring subheading keeps its
    context."""
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


def _changed(rows: Sequence[tuple[int, str, bool]], repeated: set[bytes]) -> list[int]:
    from annotator.detection import apply_repeated  # at first use: text._boilerplate_flags

    flags = [flag for _, _, flag in rows]
    texts = [text for _, text, _ in rows]
    here = {line for line in map(normalise_line, texts) if line_digest(line) in repeated}
    learned = apply_repeated(texts, flags, here)
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
