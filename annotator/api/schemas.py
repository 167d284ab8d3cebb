"""The JSON API's request bodies, declared once: `accepts` puts a JSON Schema on a view,
`payloads.json_body` validates every body against it, and `openapi.py` publishes it.

Shapes (which fields, of which JSON type) are checked here; meanings (offsets inside the
paragraph, a label in the project's schema) stay with the annotation rules, which answer
422 naming the field.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any, TypeVar

View = TypeVar("View", bound=Callable[..., Any])
SCHEMA_MARK = "request_schema"
QUERY_MARK = "query_schema"

STRING = {"type": "string"}
INTEGER = {"type": "integer"}
VERSION = {"type": ["integer", "null"], "description": "The version you read (null: none)."}
CLIENT_ID = {
    "type": ["string", "null"],
    "description": "Your id for this create: a retry with the same one is stored only once.",
}
OFFSETS = {
    "layer": {"type": "string", "enum": ["entity", "claim", "sentiment"]},
    "start": {**INTEGER, "description": "First code point of the span."},
    "end": {**INTEGER, "description": "Code point after the span."},
    "label": STRING,
    "attributes": {"type": "object", "description": "Claim and sentiment attributes."},
    "text": {**STRING, "description": "The span's text, checked against the paragraph."},
}


def _object(properties: dict[str, Any], *required: str) -> dict[str, Any]:
    return {
        "type": "object",
        "properties": properties,
        "required": list(required),
        "additionalProperties": False,
    }


NEW_GOLD = _object({"paragraph_id": INTEGER, "client_id": CLIENT_ID, **OFFSETS}, "paragraph_id")
SUGGESTION_ID = {
    **INTEGER,
    "description": "Accept this suggestion: the annotation keeps its source. Its layer, "
    "offsets and label must be the suggestion's.",
}
NEW_ANNOTATION = _object(
    {"paragraph_id": INTEGER, "client_id": CLIENT_ID, "suggestion_id": SUGGESTION_ID, **OFFSETS},
    "paragraph_id",
)
CHANGE = _object({"version": VERSION, **OFFSETS})
DELETE = _object({"version": VERSION})
SENTIMENT = _object(
    {"label": {"type": ["string", "null"]}, "version": VERSION, "suggestion_id": SUGGESTION_ID},
    "label",
)
GOLD_SENTIMENT = _object(
    {"label": {"type": ["string", "null"]}, "version": VERSION}, "label", "version"
)
STATUS = _object(
    {"status": {**STRING, "description": "not_started, in_progress or done."}}, "status"
)
REVIEW_STATUS = _object(
    {"status": {**STRING, "description": "in_review or adjudicated."}, "version": VERSION},
    "status",
)
ACCEPT = _object(
    {
        "client_id": CLIENT_ID,
        "version": {
            "type": ["integer", "null"],
            "description": "The annotation's version you read: 409 if it changed since.",
        },
    }
)
EMPTY = _object({})
COMMENT = _object({"body": {**STRING, "description": "1 to 2,000 characters."}}, "body")


def accepts(schema: dict[str, Any]) -> Callable[[View], View]:
    """Declare the JSON body a view accepts (validated by json_body, published by openapi)."""

    def mark(view: View) -> View:
        setattr(view, SCHEMA_MARK, schema)
        return view

    return mark


def schema_of(view: Callable[..., Any] | None) -> dict[str, Any] | None:
    schema: dict[str, Any] | None = getattr(view, SCHEMA_MARK, None)
    return schema


def query(**parameters: dict[str, Any]) -> Callable[[View], View]:
    """Declare the optional query parameters a view reads (published by openapi)."""

    def mark(view: View) -> View:
        setattr(view, QUERY_MARK, parameters)
        return view

    return mark


def query_of(view: Callable[..., Any] | None) -> dict[str, dict[str, Any]] | None:
    parameters: dict[str, dict[str, Any]] | None = getattr(view, QUERY_MARK, None)
    return parameters
