"""Lining up annotators' work: the same span (or sentiment) of a paragraph is one row.

Pure functions over annotation-like rows (id, annotator_id, paragraph_id, layer, start,
end, label, attributes, target_id). A row is an agreement when every annotator who finished
the article marked it with the same value and at least two did: entities and sentiments by
label, claims by type, attribution, check-worthiness and claimant text.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any, Protocol


class Marked(Protocol):
    id: int
    annotator_id: int
    paragraph_id: int
    layer: str
    start: int | None
    end: int | None
    label: str
    attributes: Any
    target_id: int | None


@dataclass
class Row:
    """One aligned item: who marked it (annotator id -> annotation id) and whether all agree."""

    key: str
    paragraph_id: int
    layer: str
    marks: dict[int, int] = field(default_factory=dict)
    values: dict[int, tuple[Any, ...]] = field(default_factory=dict)
    agreed: bool = False


def key_of(item: Marked, spans: Mapping[int, tuple[int | None, int | None]]) -> str:
    """Where the item sits: its layer, paragraph and span (a target sentiment: its entity's)."""
    if item.layer == "sentiment":
        if item.target_id is None:
            return f"sentiment:{item.paragraph_id}"
        start, end = spans.get(item.target_id, (None, None))
        return f"target:{item.paragraph_id}:{start}:{end}"
    return f"{item.layer}:{item.paragraph_id}:{item.start}:{item.end}"


def value_of(item: Marked) -> tuple[Any, ...]:
    """What must be equal for two annotators to agree on the item."""
    if item.layer != "claim":
        return (item.label,)
    attributes = item.attributes or {}
    claimant = attributes.get("claimant") or {}
    return (
        item.label,
        attributes.get("attribution"),
        attributes.get("checkworthy"),
        (claimant.get("text") or "").strip().casefold(),
    )


def align(items: Iterable[Marked], annotators: Sequence[int]) -> list[Row]:
    """Rows in paragraph and offset order; agreement needs every annotator and two or more."""
    items = list(items)
    spans = {i.id: (i.start, i.end) for i in items if i.layer == "entity"}
    rows: dict[str, Row] = {}
    for item in items:
        key = key_of(item, spans)
        row = rows.setdefault(key, Row(key, item.paragraph_id, _kind(item)))
        if item.annotator_id not in row.marks:
            row.marks[item.annotator_id] = item.id
            row.values[item.annotator_id] = value_of(item)
    everyone = set(annotators)
    for row in rows.values():
        row.agreed = (
            len(everyone) >= 2 and set(row.marks) == everyone and len(set(row.values.values())) == 1
        )
    return sorted(rows.values(), key=_order)


def disagreements(items: Iterable[Marked], annotators: Sequence[int]) -> int | None:
    """Rows not shared by all annotators alike; None when fewer than two finished."""
    if len(set(annotators)) < 2:
        return None
    return sum(not row.agreed for row in align(items, annotators))


def _kind(item: Marked) -> str:
    if item.layer == "sentiment" and item.target_id is not None:
        return "target"
    return item.layer


def _order(row: Row) -> tuple[int, int, int, int]:
    parts = row.key.split(":")
    rank = {"sentiment": 3, "entity": 0, "claim": 1, "target": 2}[parts[0]]
    start = int(parts[2]) if len(parts) > 2 and parts[2] != "None" else -1
    end = int(parts[3]) if len(parts) > 3 and parts[3] != "None" else -1
    return (row.paragraph_id, start if rank < 3 else 10**9, rank, end)
