"""The majority rules on one paragraph's rows, without a database."""

from __future__ import annotations

from typing import Any

from annotator.export.majority import majority_annotations, most_common
from annotator.formats.native import StoredAnnotation


def row(id: int, who: int, layer: str, label: str, span: Any = None, **attributes: Any) -> Any:
    start, end = span or (None, None)
    return StoredAnnotation(id, 0, who, layer, start, end, label, attributes, "T", "manual")


def test_most_common_is_none_on_a_tie_and_counts_none_as_a_value() -> None:
    assert most_common(["a", "a", "b"]) == "a"
    assert most_common(["a", "b"]) is None
    assert most_common([None, None, "a"]) is None
    assert most_common([]) is None


def test_one_annotator_counts_once_per_span() -> None:
    rows = [row(1, 7, "entity", "GPE", (0, 5)), row(2, 7, "entity", "GPE", (0, 5))]
    assert majority_annotations(rows, 2) == []


def test_a_target_sentiment_follows_the_target_span_to_the_majority_entity() -> None:
    rows = [
        row(1, 1, "entity", "GPE", (0, 5)),
        row(2, 2, "entity", "LOC", (0, 5)),  # another label: its own entity, not kept
        row(3, 3, "entity", "GPE", (0, 5)),
        row(4, 1, "sentiment", "negative", target_id=1),
        row(5, 2, "sentiment", "negative", target_id=2),  # same span, so it counts
        row(6, 3, "sentiment", "positive", target_id=3),
    ]
    kept = majority_annotations(rows, 2)
    assert [(a.id, a.layer, a.label, a.attributes) for a in kept] == [
        (1, "entity", "GPE", {}),
        (4, "sentiment", "negative", {"target_id": 1}),
    ]


def test_a_claimant_is_remapped_to_the_majority_entity_or_dropped_on_a_tie() -> None:
    def claim(id: int, who: int, entity: int | None, text: str) -> Any:
        claimant = {"entity_id": entity, "text": text}
        return row(id, who, "claim", "factual", (0, 9), attribution=None, claimant=claimant)

    entities = [row(1, 1, "entity", "ORG", (0, 3)), row(2, 2, "entity", "ORG", (0, 3))]
    agreed = majority_annotations([*entities, claim(3, 1, 1, "UN"), claim(4, 2, 2, "UN")], 2)
    assert agreed[1].attributes == {
        "attribution": None,
        "checkworthy": None,
        "claimant": {"entity_id": 1, "text": "UN"},
    }
    split = majority_annotations([*entities, claim(3, 1, 1, "UN"), claim(4, 2, None, "UN")], 2)
    assert split[1].attributes["claimant"] is None


def test_a_claimant_in_another_paragraph_is_its_majority_entity_there() -> None:
    """The majority was folded paragraph by paragraph, so a claimant entity of another
    paragraph (which the format allows) lost its id, against what docs/export.md says."""
    from annotator.export.majority import article_entities

    def in_paragraph(paragraph: int, item: Any) -> Any:
        return item._replace(paragraph_index=paragraph)

    entities = [
        in_paragraph(0, row(1, 1, "entity", "PERSON", (0, 9))),
        in_paragraph(0, row(2, 2, "entity", "PERSON", (0, 9))),
    ]
    claims = [
        in_paragraph(
            3, row(n, n - 2, "claim", "opinion", (0, 27), claimant={"entity_id": n - 2, "text": ""})
        )
        for n in (3, 4)
    ]
    article = article_entities({0: entities, 3: claims}, 2)
    [claim] = majority_annotations(claims, 2, article)
    assert claim.attributes["claimant"] == {"entity_id": 1, "text": ""}
