"""A deterministic synthetic corpus: articles of paragraphs with entities, claims, sentiment.

Text mixes ASCII with emoji and CJK so code-point offsets are exercised at scale.
"""

from __future__ import annotations

import random
from collections.abc import Iterator
from dataclasses import dataclass

from annotator.ingest import ArticleDraft
from annotator.text import ParagraphDraft

NAMES = [
    ("Wang Yi", "PERSON"),
    ("Cho Tae-yul", "PERSON"),
    ("北京", "GPE"),
    ("Seoul", "GPE"),
    ("Bloomberg", "ORG"),
    ("the Foreign Ministry", "ORG"),
    ("Monday", "DATE"),
    ("東京", "GPE"),
    ("Samsung Electronics", "ORG"),
    ("May 26-27", "DATE"),
]
WORDS = [
    "talks",
    "summit",
    "officials",
    "said",
    "trade",
    "chips",
    "exports",
    "ministers",
    "agreed",
    "cooperation",
    "region",
    "security",
    "pressure",
    "relations",
    "markets",
    "growth",
    "policy",
    "🚀",
    "week",
    "report",
    "😀",
    "concern",
]
SENTIMENTS = ["negative", "neutral", "positive", "mixed"]
CLAIMS = ["factual", "prediction", "opinion", "commitment"]


@dataclass(frozen=True)
class SpanPlan:
    start: int
    end: int
    label: str


@dataclass(frozen=True)
class ParagraphPlan:
    text: str
    entities: list[SpanPlan]
    claim: SpanPlan | None
    sentiment: str


def paragraph(rng: random.Random, index: int) -> ParagraphPlan:
    """About 40 words with three named entities, a claim every fourth paragraph."""
    parts: list[str] = []
    entities: list[SpanPlan] = []
    length = 0
    for slot in range(4):
        words = " ".join(rng.choice(WORDS) for _ in range(rng.randint(6, 12)))
        piece = (words + " ") if slot == 0 else (" " + words + " ")
        parts.append(piece)
        length += len(piece)
        if slot < 3:
            name, label = rng.choice(NAMES)
            entities.append(SpanPlan(length, length + len(name), label))
            parts.append(name)
            length += len(name)
    text = "".join(parts).rstrip() + "."
    claim = SpanPlan(0, entities[1].end, rng.choice(CLAIMS)) if index % 4 == 0 else None
    return ParagraphPlan(text, entities, claim, rng.choice(SENTIMENTS))


def articles(
    count: int, paragraphs: int, seed: int = 4
) -> Iterator[tuple[ArticleDraft, list[ParagraphPlan]]]:
    rng = random.Random(seed)
    for number in range(count):
        plans = [paragraph(rng, i) for i in range(paragraphs)]
        draft = ArticleDraft(
            title=f"Synthetic article {number}",
            paragraphs=[ParagraphDraft(p.text, False) for p in plans],
            external_id=f"bench-{number}",
            source="Bench",
        )
        yield draft, plans
