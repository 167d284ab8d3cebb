"""What the project asks of each content paragraph, and what is still missing.

The workspace's progress bar, its Done warning and GET /api/v1/articles/<id>/progress all
come from this one rule (static/js/progress.js mirrors it over the page's unsaved state, and
tests/js checks both agree). Read from the label schema's layers:

- **sentiment**: every content paragraph gets a paragraph sentiment, when the schema has a
  sentiment layer.
- **claimant**: every claim attributed to someone (any attribution but `unattributed`)
  names its claimant, when the schema has claims.

Entities and claims are not asked of every paragraph: a paragraph may rightly have none, so
their absence is never "missing". Boilerplate paragraphs are asked nothing.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from typing import Any

from sqlalchemy import select

from annotator.models import Annotation, Article, DbSession, Layer, User

SENTIMENT = "sentiment"
CLAIMANT = "claimant"
UNATTRIBUTED = "unattributed"


@dataclass(frozen=True)
class Gap:
    """One content paragraph that still lacks something the project asks for."""

    paragraph_id: int
    #: 1-based, as the page numbers paragraphs (boilerplate included).
    number: int
    missing: tuple[str, ...]


@dataclass(frozen=True)
class Progress:
    """How far one annotator is through one article."""

    required: tuple[str, ...]
    content_paragraphs: int
    gaps: list[Gap]

    @property
    def complete(self) -> int:
        return self.content_paragraphs - len(self.gaps)

    def to_json(self) -> dict[str, Any]:
        return {
            "required": list(self.required),
            "content_paragraphs": self.content_paragraphs,
            "complete": self.complete,
            "missing": [
                {"paragraph_id": g.paragraph_id, "number": g.number, "missing": list(g.missing)}
                for g in self.gaps
            ],
        }


def requirements(schema: dict[str, Any]) -> tuple[str, ...]:
    """What the schema's layers ask of every content paragraph."""
    required: list[str] = []
    if schema.get("sentiment"):
        required.append(SENTIMENT)
    attributions = (schema.get("claims") or {}).get("attributions") or []
    if any(a != UNATTRIBUTED for a in attributions):
        required.append(CLAIMANT)
    return tuple(required)


def paragraph_missing(
    required: Sequence[str], has_sentiment: bool, claims: Iterable[dict[str, Any]]
) -> tuple[str, ...]:
    """What one content paragraph lacks, given its sentiment and its claims' attributes."""
    missing: list[str] = []
    if SENTIMENT in required and not has_sentiment:
        missing.append(SENTIMENT)
    if CLAIMANT in required and any(lacks_claimant(attributes) for attributes in claims):
        missing.append(CLAIMANT)
    return tuple(missing)


def lacks_claimant(attributes: dict[str, Any]) -> bool:
    """An attributed claim that names nobody, neither an entity nor a free-text claimant."""
    if attributes.get("attribution") in (None, UNATTRIBUTED):
        return False
    claimant = attributes.get("claimant") or {}
    return not claimant.get("entity_id") and not (claimant.get("text") or "").strip()


def article_progress(session: DbSession, article: Article, user: User) -> Progress:
    """The user's progress through the article, from what is stored (one query)."""
    required = requirements(article.project.label_schema)
    content = [p for p in article.paragraphs if not p.is_boilerplate]
    with_sentiment: set[int] = set()
    claims: dict[int, list[dict[str, Any]]] = {}
    for row in _own_sentiments_and_claims(session, [p.id for p in content], user):
        if row.layer == Layer.SENTIMENT:
            with_sentiment.add(row.paragraph_id)
        else:
            claims.setdefault(row.paragraph_id, []).append(row.attributes or {})
    gaps = [
        Gap(p.id, p.position + 1, missing)
        for p in content
        if (missing := paragraph_missing(required, p.id in with_sentiment, claims.get(p.id, [])))
    ]
    return Progress(required, len(content), gaps)


def _own_sentiments_and_claims(
    session: DbSession, paragraph_ids: list[int], user: User
) -> list[Annotation]:
    """The user's paragraph sentiments and claims (not gold) in these paragraphs."""
    if not paragraph_ids:
        return []
    paragraph_sentiment = (Annotation.layer == Layer.SENTIMENT) & Annotation.target_id.is_(None)
    query = select(Annotation).where(
        Annotation.paragraph_id.in_(paragraph_ids),
        Annotation.annotator_id == user.id,
        Annotation.is_gold.is_(False),
        paragraph_sentiment | (Annotation.layer == Layer.CLAIM),
    )
    return list(session.scalars(query))
