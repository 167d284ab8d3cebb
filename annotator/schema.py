"""Project label schemas: the default one, and validation of any other.

A schema is plain JSON stored on the project:

    {"entities": [{"name", "color", "key", "description"}],
     "claims": {"types": [...], "attributions": [...], "checkworthy": [...]},
     "sentiment": [...]}
"""

from __future__ import annotations

import re
from typing import Any

# Okabe-Ito and Paul Tol colours: distinguishable with the common colour-vision deficiencies.
DEFAULT_ENTITIES = [
    ("PERSON", "#E69F00", "1", "People, including fictional."),
    ("NORP", "#56B4E9", "2", "Nationalities, religious or political groups."),
    ("ORG", "#009E73", "3", "Companies, agencies, institutions."),
    ("GPE", "#F0E442", "4", "Countries, cities, states."),
    ("LOC", "#0072B2", "5", "Non-GPE locations, mountain ranges, bodies of water."),
    ("EVENT", "#D55E00", "6", "Named events: wars, summits, elections."),
    ("DATE", "#CC79A7", "7", "Absolute or relative dates or periods."),
    ("MONEY", "#999933", "8", "Monetary values."),
    ("PERCENT", "#882255", "9", "Percentages."),
    ("PRODUCT", "#44AA99", "0", "Objects, vehicles, foods, products."),
]

DEFAULT_SCHEMA: dict[str, Any] = {
    "entities": [
        {"name": name, "color": color, "key": key, "description": description}
        for name, color, key, description in DEFAULT_ENTITIES
    ],
    "claims": {
        "types": ["factual", "prediction", "opinion", "commitment"],
        "attributions": ["direct_quote", "reported", "unattributed"],
        "checkworthy": ["yes", "no"],
    },
    "sentiment": ["negative", "neutral", "positive", "mixed"],
}

DEFAULT_SETTINGS: dict[str, Any] = {"snap_to_words": True, "overlap": 1}

DEFAULT_PROJECT = {
    "name": "Default project",
    "slug": "default",
    "description": "Created on first run. Rename it or add projects in the admin pages.",
    "guidelines": (
        "# Guidelines\n\n"
        "* Tag **entities** with the smallest span that names them.\n"
        "* Tag a **claim** over the whole assertion; name who makes it.\n"
        "* Give each content paragraph a **sentiment**.\n"
    ),
}

# Anchored with \Z, not $: Python's $ also matches before a final newline, which let
# "PERSON\n" through as a label name and "#1f77b4\n" as a colour.
COLOR = re.compile(r"^#[0-9a-fA-F]{6}\Z")
NAME = re.compile(r"^[A-Za-z0-9_][A-Za-z0-9_\- ]{0,49}\Z")
# Label keys: digits and the letters the workspace does not use itself (static/js/keymap.js):
# c mode, j/k paragraphs, z undo, q w e r t sentiment, a x suggestions, b boilerplate proposals.
KEYS = set("1234567890") | set("dfghilmnopsuvy")
FREE = " ".join(sorted(KEYS - set("1234567890")))


class SchemaError(ValueError):
    """A label schema that cannot be used; the message names the bad field."""

    def __init__(self, field: str, message: str) -> None:
        super().__init__(f"{field}: {message}")
        self.field = field
        self.message = message


def validate_schema(schema: Any) -> dict[str, Any]:
    """Return the schema if it is usable, or raise SchemaError naming the first bad field."""
    if not isinstance(schema, dict):
        raise SchemaError("schema", "must be an object")
    _validate_entities(schema.get("entities"))
    claims = schema.get("claims")
    if not isinstance(claims, dict):
        raise SchemaError("claims", "must be an object")
    for part in ("types", "attributions", "checkworthy"):
        _validate_names(claims.get(part), f"claims.{part}")
    _validate_names(schema.get("sentiment"), "sentiment")
    return schema


def _validate_entities(entities: Any) -> None:
    if not isinstance(entities, list) or not entities:
        raise SchemaError("entities", "must be a non-empty list")
    names: set[str] = set()
    keys: set[str] = set()
    for i, label in enumerate(entities):
        field = f"entities[{i}]"
        if not isinstance(label, dict):
            raise SchemaError(field, "must be an object")
        name, color, key = label.get("name"), label.get("color"), label.get("key")
        if not isinstance(name, str) or not NAME.match(name):
            raise SchemaError(f"{field}.name", "letters, digits, _ - and spaces, at most 50")
        if name.casefold() in names:
            raise SchemaError(f"{field}.name", f"duplicate label {name!r} (case aside)")
        if not isinstance(color, str) or not COLOR.match(color):
            raise SchemaError(f"{field}.color", "must be a colour like #1f77b4")
        if key not in (None, "") and (not isinstance(key, str) or key not in KEYS):
            raise SchemaError(f"{field}.key", f"must be a digit or one of the free letters {FREE}")
        if key and key in keys:
            raise SchemaError(f"{field}.key", f"key {key!r} is used twice")
        names.add(name.casefold())
        if key:
            keys.add(key)


def _validate_names(values: Any, field: str) -> None:
    if not isinstance(values, list) or not values:
        raise SchemaError(field, "must be a non-empty list")
    if any(not isinstance(v, str) or not NAME.match(v) for v in values):
        raise SchemaError(field, "values are short names")
    if len({v.casefold() for v in values}) != len(values):
        raise SchemaError(field, "values must be unique, case aside")


def same_name(name: str, names: list[str]) -> str | None:
    """The one of `names` that is `name` but for case, if any: labels must differ by more,
    or a model's "GPE" (pipelines map labels case aside) and an import's could mean either."""
    folded = name.casefold()
    return next((other for other in names if other.casefold() == folded), None)


def entity_labels(schema: dict[str, Any]) -> list[str]:
    """The names of a schema's entity labels, in order."""
    return [label["name"] for label in schema["entities"]]
