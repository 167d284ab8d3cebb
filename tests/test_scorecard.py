"""The scorecard's figures on hand-built rows, each worked out in the test."""

from __future__ import annotations

import pytest

from annotator.quality.scorecard import (
    Counts,
    Difference,
    Item,
    Row,
    Scorecard,
    by_paragraph,
    compare,
    items_of,
    tally,
)


def entity(id: int, start: int, end: int, label: str, paragraph: int = 0) -> Row:
    return Row(id, paragraph, "entity", start, end, label, None)


def claim(id: int, start: int, end: int, kind: str, paragraph: int = 0) -> Row:
    return Row(id, paragraph, "claim", start, end, kind, None)


def feeling(id: int, label: str, target: int | None = None, paragraph: int = 0) -> Row:
    return Row(id, paragraph, "sentiment", None, None, label, target)


THEIRS = [
    entity(1, 0, 5, "PERSON"),  # gold too
    entity(2, 10, 13, "PERSON"),  # extra
    entity(3, 17, 22, "LOC"),  # gold says GPE: one extra LOC, one missed GPE
    claim(4, 0, 33, "factual"),  # gold too
    claim(5, 0, 20, "opinion"),  # gold has opinion at 0-21: extra and missed
    feeling(6, "neutral"),  # gold too
    feeling(7, "positive", target=3),  # gold: negative about 17-22
    feeling(8, "negative", paragraph=1),  # gold: positive
]
GOLD = [
    entity(101, 0, 5, "PERSON"),
    entity(102, 17, 22, "GPE"),
    claim(103, 0, 33, "factual"),
    claim(104, 0, 21, "opinion"),
    feeling(105, "neutral"),
    feeling(106, "negative", target=102),  # same span as their 3, whatever the label
    feeling(107, "positive", paragraph=1),
]


def test_a_target_sentiment_is_compared_by_its_target_span() -> None:
    assert items_of([entity(3, 17, 22, "LOC"), feeling(7, "positive", target=3)]) == {
        Item("entity", 0, 17, 22, "LOC"),
        Item("target_sentiment", 0, 17, 22, "positive"),
    }


def test_compare_splits_matched_missed_and_extra() -> None:
    difference = compare(THEIRS, GOLD)
    assert difference.matched == [
        Item("entity", 0, 0, 5, "PERSON"),
        Item("claim", 0, 0, 33, "factual"),
        Item("sentiment", 0, None, None, "neutral"),
    ]
    assert difference.missed == [
        Item("entity", 0, 17, 22, "GPE"),
        Item("claim", 0, 0, 21, "opinion"),
        Item("target_sentiment", 0, 17, 22, "negative"),
        Item("sentiment", 1, None, None, "positive"),
    ]
    assert difference.extra == [
        Item("entity", 0, 10, 13, "PERSON"),
        Item("entity", 0, 17, 22, "LOC"),
        Item("claim", 0, 0, 20, "opinion"),
        Item("target_sentiment", 0, 17, 22, "positive"),
        Item("sentiment", 1, None, None, "negative"),
    ]


def test_counts_per_layer_and_label() -> None:
    counts = tally(compare(THEIRS, GOLD))
    assert counts == {
        ("entity", "PERSON"): Counts(matched=1, extra=1),
        ("entity", "GPE"): Counts(missed=1),
        ("entity", "LOC"): Counts(extra=1),
        ("claim", "factual"): Counts(matched=1),
        ("claim", "opinion"): Counts(missed=1, extra=1),
        ("sentiment", "neutral"): Counts(matched=1),
        ("sentiment", "positive"): Counts(missed=1),
        ("sentiment", "negative"): Counts(extra=1),
        ("target_sentiment", "negative"): Counts(missed=1),
        ("target_sentiment", "positive"): Counts(extra=1),
    }


def test_precision_and_recall_with_nothing_to_divide_by() -> None:
    assert (Counts(1, 0, 1).precision, Counts(1, 0, 1).recall) == (0.5, 1.0)
    assert (Counts(missed=1).precision, Counts(missed=1).recall) == (None, 0.0)
    assert (Counts(extra=2).precision, Counts(extra=2).recall) == (0.0, None)
    assert Counts().to_json() == {
        "matched": 0,
        "missed": 0,
        "extra": 0,
        "precision": None,
        "recall": None,
    }


def test_a_scorecard_sums_articles_per_label_and_layer() -> None:
    card = Scorecard()
    card.add(compare(THEIRS, GOLD))
    card.add(compare([entity(1, 0, 4, "GPE")], [entity(9, 0, 4, "GPE")]))
    entities = card.layer("entity")
    assert entities == Counts(matched=2, missed=1, extra=2)  # PERSON 1+0+1, GPE 1+1+0, LOC 0+0+1
    assert entities.precision == pytest.approx(2 / 4) and entities.recall == pytest.approx(2 / 3)
    assert [label for label, _ in card.labels_of("entity")] == ["GPE", "LOC", "PERSON"]
    json = card.to_json()
    assert json["entity"]["labels"]["GPE"] == {
        "matched": 1,
        "missed": 1,
        "extra": 0,
        "precision": 1.0,
        "recall": 0.5,
    }
    assert json["claim"]["precision"] == 0.5 and json["claim"]["recall"] == 0.5
    assert json["target_sentiment"]["matched"] == 0


def test_identical_work_is_all_matched_and_nothing_is_nothing() -> None:
    same = compare(GOLD, GOLD)
    assert same.missed == [] and same.extra == [] and len(same.matched) == 7
    assert compare([], []) == Difference([], [], [])


def test_the_article_page_reads_the_difference_per_paragraph() -> None:
    parts = by_paragraph(compare(THEIRS, GOLD))
    assert list(parts) == [0, 1]
    assert parts[1] == Difference(
        [],
        [Item("sentiment", 1, None, None, "positive")],
        [Item("sentiment", 1, None, None, "negative")],
    )
