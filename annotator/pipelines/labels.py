"""From a pipeline's entity labels to the project's schema: pure functions, no spaCy.

A spaCy label is kept when the project's mapping names a schema label for it, or when the
schema has a label of the same name (ignoring case); any other entity is dropped and
counted, so the admin page can say which labels the pipeline had that the schema has not.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field

#: One line of the mapping setting: `SPACY_LABEL = SCHEMA_LABEL`.
MAPPING_SEPARATOR = "="


class MappingError(ValueError):
    """A line of the label mapping that cannot be used; the message names the line."""


@dataclass(frozen=True)
class Entity:
    """A predicted entity: code-point offsets into the paragraph text, and the schema label."""

    start: int
    end: int
    label: str


@dataclass
class Mapped:
    """What the mapping kept of one paragraph's predictions, and what it dropped."""

    entities: list[Entity] = field(default_factory=list)
    dropped: Counter[str] = field(default_factory=Counter)


def label_map(schema_labels: Iterable[str], mapping: Mapping[str, str]) -> dict[str, str]:
    """spaCy label -> schema label: the explicit mapping first, then same names. A mapping to
    a label the schema no longer has maps nothing."""
    known = set(schema_labels)
    result = {name.casefold(): name for name in known}
    result.update({s.casefold(): t for s, t in mapping.items() if t in known})
    return result


def map_entities(predicted: Iterable[tuple[int, int, str]], labels: Mapping[str, str]) -> Mapped:
    """Keep the predictions whose label maps into the schema; count the others by label."""
    mapped = Mapped()
    for start, end, label in predicted:
        target = labels.get(label.casefold())
        if target is None:
            mapped.dropped[label] += 1
        elif end > start:
            mapped.entities.append(Entity(start, end, target))
    return mapped


def parse_mapping(text: str, schema_labels: Iterable[str]) -> dict[str, str]:
    """Read the admin's `SPACY_LABEL = SCHEMA_LABEL` lines; refuse a target not in the schema."""
    known = set(schema_labels)
    mapping: dict[str, str] = {}
    for number, line in enumerate(text.splitlines(), start=1):
        if not line.strip() or line.lstrip().startswith("#"):
            continue
        source, separator, target = (part.strip() for part in line.partition(MAPPING_SEPARATOR))
        if not separator or not source or not target:
            raise MappingError(f"Line {number}: write SPACY_LABEL = SCHEMA_LABEL.")
        if target not in known:
            raise MappingError(f"Line {number}: {target!r} is not an entity label of the schema.")
        mapping[source] = target
    return mapping


def format_mapping(mapping: Mapping[str, str]) -> str:
    """The mapping as the admin form shows it."""
    return "\n".join(f"{source} {MAPPING_SEPARATOR} {target}" for source, target in mapping.items())
