"""The one place suggestions are written: checked, de-duplicated and replaced per source.

Every source (propagation, pattern files, a model run by the worker, imported predictions)
hands its proposals to replace_suggestions, which checks each one against the paragraph and
the project's schema before anything is stored, so a bad proposal never shows as a ghost
span. Flushes only: the caller commits once.
"""

from __future__ import annotations

import logging
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass
from typing import Any

from sqlalchemy import delete, exists, select

from annotator.engines import upsert_insert
from annotator.models import (
    Article,
    DbSession,
    Paragraph,
    Project,
    Suggestion,
    SuggestionDecision,
    SuggestionLayer,
    utcnow,
)
from annotator.schema import entity_labels
from annotator.text import span_error

log = logging.getLogger(__name__)

#: Paragraph ids per IN (...) list: well under every database's parameter limit.
CHUNK = 500
MAX_SOURCE = 100


@dataclass(frozen=True)
class SuggestedSpan:
    """One proposal: an entity span (code-point offsets) or a paragraph sentiment (no offsets)."""

    paragraph_id: int
    layer: str
    label: str
    start: int | None = None
    end: int | None = None
    score: float | None = None


@dataclass(frozen=True)
class ReplaceResult:
    """What a replace did: new rows, rows kept (proposed again), undecided rows removed and
    decided rows retired (no longer proposed, kept for their decisions)."""

    added: int
    kept: int
    removed: int
    retired: int


class SuggestionError(ValueError):
    """A proposal that cannot be stored; `index` is its position in the items given."""

    def __init__(self, index: int, field: str, message: str) -> None:
        super().__init__(f"suggestion {index + 1}: {field}: {message}")
        self.index = index
        self.field = field
        self.message = message


@dataclass(frozen=True)
class _Target:
    text: str
    schema: dict[str, Any]


def suggestion_key(layer: str, label: str, start: Any, end: Any, user_id: int | None) -> str:
    """What makes two proposals of one source in one paragraph the same suggestion."""
    return f"{layer}:{label}:{start}:{end}:{'*' if user_id is None else user_id}"


def replace_suggestions(
    session: DbSession,
    paragraph_ids: Iterable[int],
    source: str,
    items: Sequence[SuggestedSpan],
    model_version: str | None = None,
    user_id: int | None = None,
) -> ReplaceResult:
    """Make `items` the open suggestions of `source` (for `user_id`, or None: for everyone)
    in those paragraphs. Idempotent; decided suggestions are kept, retired when not proposed
    again. Raises SuggestionError, before any write, for the first proposal that is invalid."""
    _check_source(source)
    ids = sorted(set(paragraph_ids))
    targets = _targets(session, ids)
    wanted = _checked(items, targets, user_id)
    stored = _stored(session, ids, source, user_id)
    decided = _decided(session, [row.id for row in stored])
    kept = removed = retired = 0
    stale: list[int] = []
    for row in stored:
        item = wanted.pop((row.paragraph_id, row.key), None)
        if item is not None:
            row.score, row.model_version, row.retired_at = item.score, model_version, None
            kept += 1
        elif row.id in decided:
            retired += row.retired_at is None
            row.retired_at = row.retired_at or utcnow()
        else:
            stale.append(row.id)
    removed = _delete(session, stale)
    added = _insert(session, wanted, targets, source, model_version, user_id)
    session.flush()
    log.info(
        "suggestions %s for %d paragraphs: %d added, %d kept, %d removed, %d retired",
        source, len(ids), added, kept, removed, retired,
    )  # fmt: skip
    return ReplaceResult(added, kept, removed, retired)


def check_suggestion(
    schema: dict[str, Any], text: str, item: SuggestedSpan
) -> tuple[str, str] | None:
    """(field, message) of what is wrong with a proposal for this paragraph, or None."""
    if item.layer == SuggestionLayer.ENTITY:
        error = span_error(text, item.start, item.end)
        if error:
            return "start", error
        if item.label not in entity_labels(schema):
            return "label", f"label {item.label!r} is not an entity label of the project"
        return None
    if item.layer == SuggestionLayer.SENTIMENT:
        if item.start is not None or item.end is not None:
            return "start", "sentiment has no offsets"
        if item.label not in schema["sentiment"]:
            return "label", f"label {item.label!r} is not a sentiment of the project"
        return None
    return "layer", "layer must be entity or sentiment"


# --- reading ----------------------------------------------------------------------------


def _chunks(ids: Sequence[int]) -> Iterator[Sequence[int]]:
    for at in range(0, len(ids), CHUNK):
        yield ids[at : at + CHUNK]


def _check_source(source: str) -> None:
    if not isinstance(source, str) or not source.strip() or len(source) > MAX_SOURCE:
        raise SuggestionError(0, "source", f"source must be 1 to {MAX_SOURCE} characters")


def _targets(session: DbSession, ids: Sequence[int]) -> dict[int, _Target]:
    targets: dict[int, _Target] = {}
    for chunk in _chunks(ids):
        query = (
            select(Paragraph.id, Paragraph.text, Project.label_schema)
            .join(Article, Paragraph.article_id == Article.id)
            .join(Project, Article.project_id == Project.id)
            .where(Paragraph.id.in_(chunk))
        )
        for paragraph_id, text, schema in session.execute(query):
            targets[paragraph_id] = _Target(text, schema)
    return targets


def _checked(
    items: Sequence[SuggestedSpan], targets: dict[int, _Target], user_id: int | None
) -> dict[tuple[int, str], SuggestedSpan]:
    # Keyed by paragraph too: the same span and label in two paragraphs are two suggestions.
    wanted: dict[tuple[int, str], SuggestedSpan] = {}
    for index, item in enumerate(items):
        target = targets.get(item.paragraph_id)
        if target is None:
            raise SuggestionError(index, "paragraph_id", "is not one of the paragraphs replaced")
        problem = check_suggestion(target.schema, target.text, item)
        if problem is not None:
            raise SuggestionError(index, *problem)
        key = suggestion_key(item.layer, item.label, item.start, item.end, user_id)
        wanted.setdefault((item.paragraph_id, key), item)
    return wanted


def _scope(source: str, user_id: int | None) -> Any:
    user = Suggestion.user_id.is_(None) if user_id is None else Suggestion.user_id == user_id
    return (Suggestion.source == source) & user


def _stored(
    session: DbSession, ids: Sequence[int], source: str, user_id: int | None
) -> list[Suggestion]:
    rows: list[Suggestion] = []
    for chunk in _chunks(ids):
        query = select(Suggestion).where(
            Suggestion.paragraph_id.in_(chunk), _scope(source, user_id)
        )
        rows.extend(session.scalars(query))
    return rows


def _decided(session: DbSession, suggestion_ids: Sequence[int]) -> set[int]:
    found: set[int] = set()
    for chunk in _chunks(suggestion_ids):
        query = select(Suggestion.id).where(
            Suggestion.id.in_(chunk),
            exists().where(SuggestionDecision.suggestion_id == Suggestion.id),
        )
        found.update(session.scalars(query))
    return found


# --- writing ----------------------------------------------------------------------------


def _delete(session: DbSession, suggestion_ids: Sequence[int]) -> int:
    for chunk in _chunks(suggestion_ids):
        session.execute(
            delete(Suggestion).where(Suggestion.id.in_(chunk)),
            execution_options={"synchronize_session": False},
        )
    return len(suggestion_ids)


def _insert(
    session: DbSession,
    wanted: dict[tuple[int, str], SuggestedSpan],
    targets: dict[int, _Target],
    source: str,
    model_version: str | None,
    user_id: int | None,
) -> int:
    """Insert the new ones; a row a concurrent replace stored first is left as it is."""
    rows = [
        {
            "paragraph_id": item.paragraph_id,
            "user_id": user_id,
            "layer": item.layer,
            "label": item.label,
            "start": item.start,
            "end": item.end,
            "text": _span_text(targets[item.paragraph_id].text, item),
            "source": source,
            "key": key,
            "score": item.score,
            "model_version": model_version,
            "created_at": utcnow(),
        }
        for (_, key), item in wanted.items()
    ]
    # Parameters as a list (executemany): the statement compiles once and is cached, where
    # .values(rows) would compile a new statement for every batch.
    for at in range(0, len(rows), CHUNK):
        session.execute(_insert_ignoring_duplicates(session), rows[at : at + CHUNK])
    return len(rows)


def _insert_ignoring_duplicates(session: DbSession) -> Any:
    return dialect_insert(session, Suggestion).on_conflict_do_nothing(
        index_elements=["paragraph_id", "source", "key"]
    )


def dialect_insert(session: DbSession, model: type[Any]) -> Any:
    """An INSERT that can say ON CONFLICT: the database holds "only one", not a check."""
    return upsert_insert(session.get_bind().dialect.name)(model)


def _span_text(text: str, item: SuggestedSpan) -> str:
    return text[item.start : item.end] if item.start is not None else ""
