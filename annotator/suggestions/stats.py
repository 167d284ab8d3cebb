"""How suggestions fare, per source and label: accepted, rejected, and left (decided by
nobody yet): what the project dashboard shows to tell a useful source from a noisy one."""

from __future__ import annotations

from dataclasses import asdict, dataclass
from typing import Any

from sqlalchemy import exists, func, select

from annotator.models import (
    Article,
    DbSession,
    Decision,
    Paragraph,
    Suggestion,
    SuggestionDecision,
)


@dataclass
class SuggestionCount:
    source: str
    label: str
    accepted: int = 0
    rejected: int = 0
    left: int = 0

    def as_json(self) -> dict[str, Any]:
        return asdict(self)


def suggestion_counts(session: DbSession, project_id: int) -> list[SuggestionCount]:
    """Per (source, label), in that order; two queries whatever the project's size."""
    counts: dict[tuple[str, str], SuggestionCount] = {}

    def row(source: str, label: str) -> SuggestionCount:
        return counts.setdefault((source, label), SuggestionCount(source, label))

    for source, label, decision, n in session.execute(_decided(project_id)):
        if decision == Decision.ACCEPTED:
            row(source, label).accepted += n
        else:
            row(source, label).rejected += n
    for source, label, n in session.execute(_left(project_id)):
        row(source, label).left += n
    return [counts[key] for key in sorted(counts)]


def _in_project(query: Any, project_id: int) -> Any:
    return (
        query.join(Paragraph, Suggestion.paragraph_id == Paragraph.id)
        .join(Article, Paragraph.article_id == Article.id)
        .where(Article.project_id == project_id)
    )


def _decided(project_id: int) -> Any:
    query = select(
        Suggestion.source, Suggestion.label, SuggestionDecision.decision, func.count()
    ).join(SuggestionDecision, SuggestionDecision.suggestion_id == Suggestion.id)
    query = _in_project(query, project_id)
    return query.group_by(Suggestion.source, Suggestion.label, SuggestionDecision.decision)


def _left(project_id: int) -> Any:
    undecided = ~exists().where(SuggestionDecision.suggestion_id == Suggestion.id)
    query = select(Suggestion.source, Suggestion.label, func.count())
    query = _in_project(query, project_id).where(Suggestion.retired_at.is_(None), undecided)
    return query.group_by(Suggestion.source, Suggestion.label)
