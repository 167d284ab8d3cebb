"""Annotations: the rules (rules.py), the one writer (writer/), reading (services.py) and
the annotation importer (importer.py)."""

from annotator.annotations import writer
from annotator.annotations.progress import Progress, article_progress
from annotator.annotations.rules import Problem, Proposal
from annotator.annotations.services import (
    article_status,
    user_annotations,
    user_annotations_json,
)
from annotator.annotations.types import (
    AnnotationError,
    AnnotationInput,
    ConflictError,
    DeleteResult,
    to_json,
)

__all__ = [
    "AnnotationError",
    "AnnotationInput",
    "ConflictError",
    "DeleteResult",
    "Problem",
    "Progress",
    "Proposal",
    "article_progress",
    "article_status",
    "to_json",
    "user_annotations",
    "user_annotations_json",
    "writer",
]
