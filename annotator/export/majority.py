"""majority=K: what at least K annotators agree on in one paragraph, as stored-like rows.

Pure functions over one paragraph's rows (every counted annotator's), with the article's
entities (article_entities) for claimants in other paragraphs, so the export stays one
article at a time. The rules, documented in docs/export.md:

- entities agree by exact offsets and label; claims by exact offsets and type;
- a claim's attribution, check-worthiness and claimant are the most common value among the
  annotators who agree on the claim (null counts as a value); a tie is null. Claimants
  compare by the linked entity's span and label (else none) and the claimant's text;
- the paragraph sentiment is the most common label if at least K annotators chose it and no
  other label is as common; else none;
- sentiment towards an entity is matched by the target entity's exact offsets; it is kept
  when its target is itself a majority entity, with the most common label if at least K
  chose it and no other label is as common;
- a kept item takes the id and source of its earliest agreeing annotation, and the latest
  change time of the agreeing annotations.
"""

from __future__ import annotations

from collections import Counter, defaultdict
from collections.abc import Hashable, Iterable, Mapping, Sequence
from dataclasses import dataclass
from typing import Any

from annotator.formats.native import StoredAnnotation, attributes_of

#: The annotator name of a majority record (gold records have none).
MAJORITY = "majority"
CLAIM_ATTRIBUTES = ("attribution", "checkworthy")

#: Where a span is: its paragraph, start and end.
Span = tuple[int, int, int]
#: A span and its label.
SpanKey = tuple[int, int, int, str]


@dataclass(frozen=True)
class ArticleEntities:
    """The article's entities as a majority sees them: each counted annotator's entity by
    id (its span and label), and the majority entity of each span and label. A claimant
    may be an entity of another paragraph."""

    spans_of: Mapping[int | None, SpanKey]
    entity_ids: Mapping[SpanKey, int]


def article_entities(
    by_paragraph: Mapping[int, Sequence[StoredAnnotation]], k: int
) -> ArticleEntities:
    """ArticleEntities of the article's rows, paragraph by paragraph."""
    spans_of: dict[int | None, SpanKey] = {
        a.id: _span_key(a) for rows in by_paragraph.values() for a in rows if a.layer == "entity"
    }
    entity_ids = {
        key: group[0].id
        for rows in by_paragraph.values()
        for key, group in _agreed(rows, "entity", k).items()
    }
    return ArticleEntities(spans_of, entity_ids)


def majority_annotations(
    rows: Sequence[StoredAnnotation], k: int, article: ArticleEntities | None = None
) -> list[StoredAnnotation]:
    """The paragraph's majority entities, claims and sentiments, shaped as stored rows;
    `article`: the article's entities (else the paragraph's own)."""
    entities = _agreed(rows, "entity", k)
    if article is None:
        article = article_entities({0: rows}, k)
    spans_of, entity_ids = article.spans_of, article.entity_ids
    claims = [_claim(group, spans_of, entity_ids) for group in _agreed(rows, "claim", k).values()]
    return [
        *(_merged(group) for group in entities.values()),
        *claims,
        *_paragraph_sentiment(rows, k),
        *_target_sentiments(rows, k, spans_of, entity_ids),
    ]


def most_common(values: Iterable[Hashable]) -> Any:
    """The value more annotators gave than any other; None when none or on a tie."""
    ranked = Counter(values).most_common(2)
    if not ranked or (len(ranked) == 2 and ranked[0][1] == ranked[1][1]):
        return None
    return ranked[0][0]


def _span_key(a: StoredAnnotation) -> SpanKey:
    return (a.paragraph_index, a.start or 0, a.end or 0, a.label)


def _agreed(
    rows: Sequence[StoredAnnotation], layer: str, k: int
) -> dict[SpanKey, list[StoredAnnotation]]:
    """Spans of this layer with at least k annotators, one row per annotator, oldest first."""
    groups: dict[SpanKey, dict[int, StoredAnnotation]] = defaultdict(dict)
    for a in sorted(rows, key=lambda a: a.id):
        if a.layer == layer and a.start is not None:
            groups[_span_key(a)].setdefault(a.annotator_id, a)
    return {
        key: list(by_annotator.values())
        for key, by_annotator in sorted(groups.items())
        if len(by_annotator) >= k
    }


def _merged(group: Sequence[StoredAnnotation], **changes: Any) -> StoredAnnotation:
    """The earliest row of the group standing for all of it."""
    latest = max(a.updated_at for a in group)
    return group[0]._replace(updated_at=latest, **changes)


def _claim(
    group: Sequence[StoredAnnotation],
    spans_of: Mapping[int | None, SpanKey],
    entity_ids: Mapping[SpanKey, int],
) -> StoredAnnotation:
    attributes = [attributes_of(a) for a in group]
    chosen: dict[str, Any] = {
        name: most_common(a.get(name) for a in attributes) for name in CLAIM_ATTRIBUTES
    }
    claimant = most_common(_claimant_key(a.get("claimant"), spans_of) for a in attributes)
    if claimant is not None:
        span, text = claimant
        claimant = {"entity_id": entity_ids.get(span) if span else None, "text": text}
    chosen["claimant"] = claimant
    return _merged(group, attributes=chosen)


def _claimant_key(
    claimant: Any, spans_of: Mapping[int | None, SpanKey]
) -> tuple[SpanKey | None, str] | None:
    if not isinstance(claimant, dict):
        return None
    return spans_of.get(claimant.get("entity_id")), str(claimant.get("text") or "")


def _paragraph_sentiment(rows: Sequence[StoredAnnotation], k: int) -> list[StoredAnnotation]:
    overall = [a for a in rows if a.layer == "sentiment" and not attributes_of(a).get("target_id")]
    return _sentiment_choice(overall, k, {})


def _target_sentiments(
    rows: Sequence[StoredAnnotation],
    k: int,
    spans_of: Mapping[int | None, SpanKey],
    entity_ids: Mapping[SpanKey, int],
) -> list[StoredAnnotation]:
    by_span: dict[Span, list[StoredAnnotation]] = defaultdict(list)
    for a in rows:
        target = spans_of.get(attributes_of(a).get("target_id")) if a.layer == "sentiment" else None
        if target is not None:
            by_span[target[:3]].append(a)
    kept = []
    for span, group in sorted(by_span.items()):
        entity = next((eid for key, eid in entity_ids.items() if key[:3] == span), None)
        if entity is not None:
            kept += _sentiment_choice(group, k, {"target_id": entity})
    return kept


def _sentiment_choice(
    group: Sequence[StoredAnnotation], k: int, attributes: dict[str, Any]
) -> list[StoredAnnotation]:
    """The label most annotators chose, if at least k did and it is not tied."""
    by_annotator = {a.annotator_id: a for a in sorted(group, key=lambda a: a.id, reverse=True)}
    label = most_common(a.label for a in by_annotator.values())
    agreeing = sorted((a for a in by_annotator.values() if a.label == label), key=lambda a: a.id)
    if label is None or len(agreeing) < k:
        return []
    return [_merged(agreeing, attributes=attributes)]
