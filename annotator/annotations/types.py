"""The shapes annotation services take and raise: inputs, candidates, errors, JSON form."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from annotator.models import Annotation


class AnnotationError(ValueError):
    """A write that cannot be made; names the field so the page and scripts can point at it."""

    def __init__(self, status: int, code: str, message: str, field: str | None = None) -> None:
        super().__init__(message)
        self.status = status
        self.code = code
        self.message = message
        self.field = field


def invalid(field: str, message: str) -> AnnotationError:
    return AnnotationError(422, "invalid", message, field)


class ConflictError(AnnotationError):
    """The write met a state it did not expect: an older version, or another annotation in
    the way. Carries the current state (or None) so the page can show what is stored."""

    def __init__(
        self, current: Annotation | None, message: str | None = None, field: str = "version"
    ) -> None:
        if message is None:
            version = current.version if current is not None else None
            message = f"This annotation was changed elsewhere (now version {version})."
        super().__init__(409, "conflict", message, field)
        self.current = current


@dataclass
class AnnotationInput:
    """The fields of a create or update request, already shaped by the API."""

    layer: str | None = None
    start: int | None = None
    end: int | None = None
    label: str | None = None
    attributes: dict[str, Any] | None = None
    #: If given, must equal the stored text between start and end.
    text: str | None = None
    given: set[str] = field(default_factory=set)


@dataclass
class DeleteResult:
    """What a delete removed and changed: dependants follow the entity they name."""

    deleted: list[int]
    changed: list[Annotation]


#: The fields of an annotation's JSON form, in order: to_json's keys, and the columns that
#: a Core read selects to answer the same form (services.user_annotations_json).
JSON_FIELDS = (
    "id",
    "paragraph_id",
    "annotator_id",
    "layer",
    "start",
    "end",
    "label",
    "attributes",
    "version",
    "is_gold",
    "source",
    "client_id",
)


def to_json(annotation: Annotation) -> dict[str, Any]:
    """The annotation's JSON form, used by the API and the history: JSON_FIELDS, spelled
    out because attribute reads are faster than getattr by name."""
    return {
        "id": annotation.id,
        "paragraph_id": annotation.paragraph_id,
        "annotator_id": annotation.annotator_id,
        "layer": annotation.layer,
        "start": annotation.start,
        "end": annotation.end,
        "label": annotation.label,
        "attributes": annotation.attributes,
        "version": annotation.version,
        "is_gold": annotation.is_gold,
        "source": annotation.source,
        "client_id": annotation.client_id,
    }
