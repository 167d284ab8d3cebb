"""rules.check gives the same answer whether the owner's other annotations come as a plain
sequence (the API) or as a Scope a batch keeps indexed as it goes (imports)."""

from __future__ import annotations

from typing import Any

import pytest

from annotator.annotations.rules import Existing, Place, Proposal, Scope, check, normalised
from annotator.schema import DEFAULT_SCHEMA

SCHEMA: dict[str, Any] = DEFAULT_SCHEMA
TEXT = "Wang Yi met Cho in Seoul. " * 40


def entity(id: Any, paragraph_id: int, start: int, end: int) -> Existing:
    return Existing(id, paragraph_id, "entity", start, end, "PERSON", None, TEXT[start:end])


def sentiment(id: Any, paragraph_id: int, target_id: Any = None) -> Existing:
    return Existing(id, paragraph_id, "sentiment", None, None, "neutral", target_id)


def both(place: Place, proposal: Proposal, others: list[Existing]) -> list[Any]:
    """check's answer from the sequence, asserted equal to the one from a Scope."""
    plain = check(SCHEMA, place, proposal, others)
    assert check(SCHEMA, place, proposal, Scope(others)) == plain
    return plain


def large_article() -> list[Existing]:
    """Twelve paragraphs of the same text, each with a hundred entity spans, tiling it."""
    return [entity(p * 1000 + i, p, i * 10, i * 10 + 5) for p in range(12) for i in range(100)]


def test_an_overlap_in_the_same_paragraph_is_refused_naming_the_span_in_the_way() -> None:
    others = large_article()
    problems = both(Place(7, TEXT), Proposal("entity", 502, 508, "PERSON"), others)
    assert [(p.field, p.conflict, p.other) for p in problems] == [("start", True, 7050)]
    assert problems[0].message.startswith("overlaps your PERSON span 500-505")


def test_the_same_offsets_in_another_paragraph_are_no_overlap() -> None:
    others = [o for o in large_article() if o.paragraph_id != 7]
    assert both(Place(7, TEXT), Proposal("entity", 502, 508, "PERSON"), others) == []


def test_a_scope_sees_what_is_added_after_it_was_built() -> None:
    scope = Scope(large_article()[:10])
    proposal = Proposal("entity", 995, 999, "PERSON")
    assert check(SCHEMA, Place(0, TEXT), proposal, scope) == []
    scope.add(entity("pending", 0, 990, 1000))
    assert check(SCHEMA, Place(0, TEXT), proposal, scope)[0].other == "pending"


def test_a_second_paragraph_sentiment_conflicts_only_in_its_paragraph() -> None:
    others = [*large_article(), sentiment(1, 3), sentiment(2, 4, target_id=4000)]
    problem = both(Place(3, TEXT), Proposal("sentiment", label="neutral"), others)
    assert [(p.field, p.other) for p in problem] == [("paragraph_id", 1)]
    assert both(Place(4, TEXT), Proposal("sentiment", label="neutral"), others) == []


@pytest.mark.parametrize(
    ("target", "expected"),
    [
        (4000, [("attributes.target_id", 2)]),  # already has a sentiment
        (4001, []),
        (5001, [("attributes.target_id", None)]),  # an entity of another paragraph
        ([4001], [("attributes.target_id", None)]),  # unhashable: no entity has that id
        (True, [("attributes.target_id", None)]),
    ],
)
def test_target_sentiments_are_found_by_target(target: Any, expected: list[Any]) -> None:
    others = [*large_article(), sentiment(2, 4, target_id=4000)]
    proposal = Proposal("sentiment", label="neutral", attributes={"target_id": target})
    problems = both(Place(4, TEXT), proposal, others)
    assert [(p.field, p.other) for p in problems] == expected


def test_a_claimant_names_an_entity_of_the_article_by_id() -> None:
    others = large_article()
    attributes = {"claimant": {"entity_id": 11050, "text": ""}}
    proposal = Proposal("claim", 0, 10, "factual", attributes)
    assert both(Place(0, TEXT), proposal, others) == []
    stored = normalised(proposal, Scope(others))
    assert stored == normalised(proposal, others)
    assert stored.attributes["claimant"] == {"entity_id": 11050, "text": TEXT[500:505]}
    missing = Proposal("claim", 0, 10, "factual", {"claimant": {"entity_id": 12345}})
    assert [p.field for p in both(Place(0, TEXT), missing, others)] == [
        "attributes.claimant.entity_id"
    ]


def test_entities_and_targets_added_after_the_first_look_up_are_found() -> None:
    scope = Scope(large_article()[:3])
    assert scope.entity(1) is not None and scope.entity("new") is None
    assert scope.sentiment_towards(1) is None
    scope.add(entity("new", 0, 990, 1000))
    scope.add(sentiment("s", 0, target_id="new"))
    assert scope.entity("new") == entity("new", 0, 990, 1000)
    assert scope.sentiment_towards("new") == sentiment("s", 0, target_id="new")
