"""An annotator's work against gold: what matched, what they missed, what they added.

Pure functions over rows (no session), so every figure is tested on hand-built cases. An
item matches gold when all its key fields are equal:

- entity: paragraph, exact offsets and label;
- claim: paragraph, exact offsets and type (the type is the claim's label);
- sentiment (paragraph): paragraph and label;
- target_sentiment: paragraph, the target entity's exact offsets, and label (entity ids
  differ between an annotator and gold, their spans do not).

Per layer and label: precision = matched / (matched + extra), recall = matched /
(matched + missed); None when there is nothing to divide by.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from typing import Any, NamedTuple

LAYERS = ("entity", "claim", "sentiment", "target_sentiment")


class Row(NamedTuple):
    """The columns of one stored annotation that a scorecard reads."""

    id: int
    paragraph: int
    layer: str
    start: int | None
    end: int | None
    label: str
    target_id: int | None


class Item(NamedTuple):
    """What is compared with gold; for a target sentiment, start and end are the target's."""

    layer: str
    paragraph: int
    start: int | None
    end: int | None
    label: str


@dataclass(frozen=True)
class Difference:
    """One annotator's items against gold's, each list in paragraph and offset order."""

    matched: list[Item]
    missed: list[Item]  # in gold, not theirs
    extra: list[Item]  # theirs, not in gold


@dataclass
class Counts:
    matched: int = 0
    missed: int = 0
    extra: int = 0

    @property
    def precision(self) -> float | None:
        return _ratio(self.matched, self.matched + self.extra)

    @property
    def recall(self) -> float | None:
        return _ratio(self.matched, self.matched + self.missed)

    def add(self, other: Counts) -> None:
        self.matched += other.matched
        self.missed += other.missed
        self.extra += other.extra

    def to_json(self) -> dict[str, Any]:
        return {
            "matched": self.matched,
            "missed": self.missed,
            "extra": self.extra,
            "precision": self.precision,
            "recall": self.recall,
        }


@dataclass
class Scorecard:
    """Counts per (layer, label), summed over articles."""

    labels: dict[tuple[str, str], Counts] = field(default_factory=lambda: defaultdict(Counts))

    def add(self, difference: Difference) -> None:
        for key, counts in tally(difference).items():
            self.labels[key].add(counts)

    def layer(self, layer: str) -> Counts:
        total = Counts()
        for (name, _), counts in self.labels.items():
            if name == layer:
                total.add(counts)
        return total

    def labels_of(self, layer: str) -> list[tuple[str, Counts]]:
        return sorted((label, c) for (name, label), c in self.labels.items() if name == layer)

    def to_json(self) -> dict[str, Any]:
        return {
            layer: {
                **self.layer(layer).to_json(),
                "labels": {label: c.to_json() for label, c in self.labels_of(layer)},
            }
            for layer in LAYERS
        }


def items_of(rows: Iterable[Row]) -> set[Item]:
    """One owner's rows as comparable items; a target sentiment takes its entity's span."""
    rows = list(rows)
    spans = {r.id: (r.start, r.end) for r in rows if r.layer == "entity"}
    items = set()
    for r in rows:
        if r.layer != "sentiment":
            items.add(Item(r.layer, r.paragraph, r.start, r.end, r.label))
        elif r.target_id is None:
            items.add(Item("sentiment", r.paragraph, None, None, r.label))
        elif r.target_id in spans:
            start, end = spans[r.target_id]
            items.add(Item("target_sentiment", r.paragraph, start, end, r.label))
    return items


def compare(theirs: Iterable[Row], gold: Iterable[Row]) -> Difference:
    mine, right = items_of(theirs), items_of(gold)
    return Difference(
        matched=_ordered(mine & right), missed=_ordered(right - mine), extra=_ordered(mine - right)
    )


def tally(difference: Difference) -> dict[tuple[str, str], Counts]:
    """Counts per (layer, label) of one comparison."""
    counts: dict[tuple[str, str], Counts] = defaultdict(Counts)
    for item in difference.matched:
        counts[(item.layer, item.label)].matched += 1
    for item in difference.missed:
        counts[(item.layer, item.label)].missed += 1
    for item in difference.extra:
        counts[(item.layer, item.label)].extra += 1
    return dict(counts)


def by_paragraph(difference: Difference) -> Mapping[int, Difference]:
    """The difference split per paragraph, for the article page."""
    parts: dict[int, Difference] = defaultdict(lambda: Difference([], [], []))
    for kind in ("matched", "missed", "extra"):
        for item in getattr(difference, kind):
            getattr(parts[item.paragraph], kind).append(item)
    return dict(sorted(parts.items()))


def _ordered(items: set[Item]) -> list[Item]:
    return sorted(
        items, key=lambda i: (i.paragraph, LAYERS.index(i.layer), i.start or 0, i.end or 0, i.label)
    )


def _ratio(part: int, whole: int) -> float | None:
    return part / whole if whole else None
