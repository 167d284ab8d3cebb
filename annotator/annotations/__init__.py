"""Annotations: the services behind the workspace and the JSON API."""

from annotator.annotations.services import (
    article_status,
    create_annotation,
    delete_annotation,
    mark_in_progress,
    set_article_status,
    set_paragraph_sentiment,
    update_annotation,
    user_annotations,
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
    "article_status",
    "create_annotation",
    "delete_annotation",
    "mark_in_progress",
    "set_article_status",
    "set_paragraph_sentiment",
    "to_json",
    "update_annotation",
    "user_annotations",
]
