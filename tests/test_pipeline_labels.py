"""Mapping a pipeline's entity labels into the project's schema (pure functions)."""

from __future__ import annotations

import pytest

from annotator.pipelines.labels import (
    Entity,
    MappingError,
    format_mapping,
    label_map,
    map_entities,
    parse_mapping,
)

SCHEMA = ["PERSON", "GPE", "ORG"]


def test_same_names_map_by_themselves_ignoring_case_and_others_are_dropped_and_counted() -> None:
    labels = label_map(SCHEMA, {})
    mapped = map_entities([(0, 3, "person"), (4, 9, "GPE"), (10, 12, "CARDINAL")] * 2, labels)
    assert mapped.entities == [Entity(0, 3, "PERSON"), Entity(4, 9, "GPE")] * 2
    assert mapped.dropped == {"CARDINAL": 2}


def test_the_mapping_renames_labels_and_wins_over_a_same_name() -> None:
    labels = label_map(SCHEMA, {"PER": "PERSON", "ORG": "GPE"})
    mapped = map_entities([(0, 3, "PER"), (4, 9, "ORG"), (10, 14, "MISC")], labels)
    assert mapped.entities == [Entity(0, 3, "PERSON"), Entity(4, 9, "GPE")]
    assert mapped.dropped == {"MISC": 1}


def test_a_mapping_to_a_label_the_schema_no_longer_has_maps_nothing() -> None:
    mapped = map_entities([(0, 3, "PER")], label_map(SCHEMA, {"PER": "HUMAN"}))
    assert (mapped.entities, mapped.dropped) == ([], {"PER": 1})


def test_the_admin_writes_one_mapping_per_line_and_reads_it_back() -> None:
    text = "PER = PERSON\n\n# spaCy's organisations\nORG=ORG\n"
    mapping = parse_mapping(text, SCHEMA)
    assert mapping == {"PER": "PERSON", "ORG": "ORG"}
    assert parse_mapping(format_mapping(mapping), SCHEMA) == mapping


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("PER PERSON", "Line 1: write SPACY_LABEL = SCHEMA_LABEL."),
        ("PER = PERSON\n= GPE", "Line 2: write SPACY_LABEL = SCHEMA_LABEL."),
        ("LOC = PLACE", "Line 1: 'PLACE' is not an entity label of the schema."),
    ],
)
def test_a_bad_mapping_line_is_named(text: str, message: str) -> None:
    with pytest.raises(MappingError) as error:
        parse_mapping(text, SCHEMA)
    assert str(error.value) == message
