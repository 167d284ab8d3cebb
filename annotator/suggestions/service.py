"""What an annotator does with suggestions: see the open ones, accept (through the one
annotation writer, keeping the suggestion's source), reject, accept a paragraph's all.

Services raise domain errors (AnnotationError) and flush only; views commit once.
"""

from __future__ import annotations

import logging
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from sqlalchemy import exists, or_, select

from annotator.annotations import AnnotationError, Proposal, writer
from annotator.models import (
    Annotation,
    Article,
    DbSession,
    Decision,
    Layer,
    Paragraph,
    Suggestion,
    SuggestionDecision,
    User,
    utcnow,
)
from annotator.suggestions.propagation import refresh_propagation
from annotator.suggestions.store import dialect_insert

log = logging.getLogger(__name__)


@dataclass(frozen=True)
class OpenSuggestions:
    """What the workspace shows (non-overlapping, not clashing with the user's annotations)
    and how many open ones that hides."""

    shown: list[Suggestion]
    hidden: int


@dataclass(frozen=True)
class AcceptedAll:
    accepted: list[Annotation]
    skipped: int


def suggestion_json(suggestion: Suggestion) -> dict[str, Any]:
    return {
        "id": suggestion.id,
        "paragraph_id": suggestion.paragraph_id,
        "layer": suggestion.layer,
        "label": suggestion.label,
        "start": suggestion.start,
        "end": suggestion.end,
        "text": suggestion.text,
        "source": suggestion.source,
        "score": suggestion.score,
        "model_version": suggestion.model_version,
    }


# --- reading ----------------------------------------------------------------------------


def article_suggestions(session: DbSession, user: User, article: Article) -> OpenSuggestions:
    """The user's open suggestions of the article, propagation brought up to date first."""
    refresh_propagation(session, user, article)
    return open_suggestions(session, user, list(article.paragraphs))


def open_suggestions(
    session: DbSession, user: User, paragraphs: Sequence[Paragraph]
) -> OpenSuggestions:
    """What the user sees of the paragraphs' suggestions; boilerplate gets none (an imported
    prediction may name one, but the workspace neither annotates nor feels boilerplate)."""
    ids = [p.id for p in paragraphs if not p.is_boilerplate]
    rows = list(session.scalars(_open_query(user, ids)))
    shown = _choose(rows, _own_annotations(session, user, ids))
    return OpenSuggestions(shown, len(rows) - len(shown))


def _open_query(user: User, paragraph_ids: Sequence[int]) -> Any:
    """Open for the user: not rejected, and not accepted into an annotation that still
    exists (undoing an accept, or deleting what it made, offers the suggestion again)."""
    decided = exists().where(
        SuggestionDecision.suggestion_id == Suggestion.id,
        SuggestionDecision.user_id == user.id,
        or_(
            SuggestionDecision.decision == Decision.REJECTED.value,
            SuggestionDecision.annotation_id.is_not(None),
        ),
    )
    return (
        select(Suggestion)
        .where(
            Suggestion.paragraph_id.in_(paragraph_ids),
            or_(Suggestion.user_id.is_(None), Suggestion.user_id == user.id),
            Suggestion.retired_at.is_(None),
            ~decided,
        )
        .order_by(Suggestion.paragraph_id, Suggestion.start, Suggestion.id)
    )


def _own_annotations(
    session: DbSession, user: User, paragraph_ids: Sequence[int]
) -> list[Annotation]:
    query = select(Annotation).where(
        Annotation.paragraph_id.in_(paragraph_ids),
        Annotation.annotator_id == user.id,
        Annotation.is_gold.is_(False),
        or_(Annotation.layer == Layer.ENTITY.value, Annotation.target_id.is_(None)),
        Annotation.layer != Layer.CLAIM.value,
    )
    return list(session.scalars(query))


def source_rank(source: str) -> int:
    """Which of two clashing suggestions shows: the annotator's own labels first, then the
    project's patterns, then models, then imported predictions."""
    for rank, prefix in enumerate(("propagation", "pattern", "model:", "import:")):
        if source.startswith(prefix):
            return rank
    return 4


def _choose(rows: Sequence[Suggestion], annotations: Sequence[Annotation]) -> list[Suggestion]:
    """At most one suggestion per place: none over the user's annotations or each other."""
    taken: dict[int, list[tuple[int, int]]] = {}
    felt: set[int] = set()
    for ann in annotations:
        if ann.layer == Layer.ENTITY and ann.start is not None and ann.end is not None:
            taken.setdefault(ann.paragraph_id, []).append((ann.start, ann.end))
        elif ann.layer == Layer.SENTIMENT:
            felt.add(ann.paragraph_id)
    chosen: list[Suggestion] = []
    for row in sorted(rows, key=_preference):
        if row.layer == Layer.SENTIMENT:
            if row.paragraph_id not in felt:
                felt.add(row.paragraph_id)
                chosen.append(row)
            continue
        assert row.start is not None and row.end is not None
        spans = taken.setdefault(row.paragraph_id, [])
        if all(row.end <= start or end <= row.start for start, end in spans):
            spans.append((row.start, row.end))
            chosen.append(row)
    return sorted(chosen, key=lambda s: (s.paragraph_id, s.start or -1, s.id))


def _preference(row: Suggestion) -> tuple[int, int, float, int]:
    length = (row.end or 0) - (row.start or 0)
    return (source_rank(row.source), -length, -(row.score or 0.0), row.id)


# --- deciding ---------------------------------------------------------------------------


def offered_to(user: User, suggestion: Suggestion) -> None:
    """A suggestion for someone else is not there for this user (404), a retired one is gone."""
    if suggestion.user_id is not None and suggestion.user_id != user.id:
        raise AnnotationError(404, "not_found", "There is no such suggestion.", "id")
    if suggestion.retired_at is not None:
        raise AnnotationError(
            409, "conflict", "This suggestion is no longer made; reload the article.", "id"
        )


def accept(
    session: DbSession,
    user: User,
    suggestion: Suggestion,
    client_id: Any = None,
    version: Any = None,
) -> writer.Created:
    """Make the suggestion the user's annotation (source: the suggestion's) and record it.

    A sentiment is set from `version`, the one the page read (None: it saw none)."""
    offered_to(user, suggestion)
    paragraph = suggestion.paragraph
    if suggestion.layer == Layer.SENTIMENT:
        stored = writer.set_paragraph_sentiment(
            session, user, paragraph, suggestion.label, version, suggestion.source
        )
        assert stored is not None
        created = writer.Created(stored, new=True)
    else:
        proposal = Proposal(
            layer=Layer.ENTITY.value,
            start=suggestion.start,
            end=suggestion.end,
            label=suggestion.label,
            attributes={},
            text=suggestion.text,
        )
        created = writer.create(session, user, paragraph, proposal, client_id, suggestion.source)
    decide(session, user, suggestion, Decision.ACCEPTED, created.annotation.id)
    return created


def reject(session: DbSession, user: User, suggestion: Suggestion) -> None:
    offered_to(user, suggestion)
    decide(session, user, suggestion, Decision.REJECTED, None)


def accept_paragraph(session: DbSession, user: User, paragraph: Paragraph) -> AcceptedAll:
    """Accept every suggestion the user sees in the paragraph, in one transaction; those
    that clash with the user's annotations or with each other are skipped and counted."""
    found = open_suggestions(session, user, [paragraph])
    accepted = [accept(session, user, s).annotation for s in found.shown]
    return AcceptedAll(accepted, found.hidden)


def decide(
    session: DbSession,
    user: User,
    suggestion: Suggestion,
    decision: Decision,
    annotation_id: int | None,
) -> None:
    """One decision per user and suggestion, as an upsert: a second answer replaces the first."""
    values = {"decision": decision.value, "annotation_id": annotation_id, "decided_at": utcnow()}
    statement = (
        dialect_insert(session, SuggestionDecision)
        .values(suggestion_id=suggestion.id, user_id=user.id, **values)
        .on_conflict_do_update(index_elements=["suggestion_id", "user_id"], set_=values)
    )
    session.execute(statement)
    log.info(
        "%s: %s suggestion %s (%s %s)",
        user.username, decision.value, suggestion.id, suggestion.source, suggestion.label,
    )  # fmt: skip
