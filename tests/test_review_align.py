"""Aligning annotators' work: same span (or sentiment) = one row; agreement = all alike."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from annotator.review.align import align, disagreements


@dataclass
class Item:
    id: int
    annotator_id: int
    layer: str
    label: str
    start: int | None = None
    end: int | None = None
    attributes: Any = field(default_factory=dict)
    target_id: int | None = None
    paragraph_id: int = 7


def claim(id: int, who: int, claimant: str, checkworthy: str = "yes") -> Item:
    attributes = {
        "attribution": "reported",
        "claimant": {"entity_id": None, "text": claimant},
        "checkworthy": checkworthy,
    }
    return Item(id, who, "claim", "factual", 0, 20, attributes)


def test_rows_line_up_spans_and_mark_agreements() -> None:
    items = [
        Item(1, 10, "entity", "PERSON", 0, 5),
        Item(2, 20, "entity", "PERSON", 0, 5),
        Item(3, 10, "entity", "ORG", 8, 12),
        Item(4, 20, "entity", "GPE", 8, 12),
        Item(5, 20, "entity", "LOC", 14, 18),
        Item(6, 10, "sentiment", "neutral"),
        Item(7, 20, "sentiment", "neutral"),
        Item(8, 10, "sentiment", "positive", target_id=1),
        Item(9, 20, "sentiment", "negative", target_id=2),
    ]
    rows = align(items, [10, 20])
    assert [(r.key, r.agreed) for r in rows] == [
        ("entity:7:0:5", True),
        ("target:7:0:5", False),
        ("entity:7:8:12", False),
        ("entity:7:14:18", False),
        ("sentiment:7", True),
    ]
    assert rows[0].marks == {10: 1, 20: 2}
    assert disagreements(items, [10, 20]) == 3


def test_claims_agree_on_type_and_attributes_with_claimant_text_alike() -> None:
    assert align([claim(1, 10, "Wang Yi"), claim(2, 20, " wang yi ")], [10, 20])[0].agreed
    assert not align([claim(1, 10, "Wang"), claim(2, 20, "Wang", "no")], [10, 20])[0].agreed


def test_one_finished_annotator_is_no_agreement() -> None:
    items = [Item(1, 10, "entity", "PERSON", 0, 5)]
    assert not align(items, [10])[0].agreed
    assert disagreements(items, [10]) is None
