"""Thin JSON views: read the body, call the annotation services, commit once, answer JSON."""

from __future__ import annotations

from typing import Any

from flask import Response, jsonify
from flask_login import current_user

from annotator.access import Visible, checked
from annotator.annotations import (
    AnnotationError,
    ConflictError,
    article_status,
    create_annotation,
    delete_annotation,
    set_article_status,
    set_paragraph_sentiment,
    to_json,
    update_annotation,
    user_annotations,
)
from annotator.api import bp
from annotator.api.payloads import (
    ANNOTATION_FIELDS,
    UPDATE_FIELDS,
    annotation_input,
    bad_request,
    integer_field,
    json_body,
    limit_body_size,
)
from annotator.errors import json_error
from annotator.extensions import db
from annotator.models import Annotation, Article, Paragraph


@bp.before_request
def _authenticated_with_small_body() -> Response | None:
    limit_body_size()
    if not current_user.is_authenticated:
        return json_error(401, "unauthorized", "Log in to use the API.")
    return None


@bp.errorhandler(AnnotationError)
def _annotation_error(error: AnnotationError) -> tuple[Response, int]:
    db.session.rollback()
    body: dict[str, Any] = {
        "error": {"code": error.code, "message": error.message, "field": error.field}
    }
    if isinstance(error, ConflictError):
        db.session.refresh(error.current)
        body["current"] = to_json(error.current)
    return jsonify(body), error.status


def _found(model: type[Visible], object_id: int, name: str) -> Visible:
    """The article, paragraph or annotation (name says which) if this user may see it; a
    missing one and one in a project closed to the user get the same 404 (access.checked)."""
    return checked(db.session, current_user, db.session.get(model, object_id), name)


# --- reading ----------------------------------------------------------------------------


@bp.get("/articles/<int:article_id>")
def article(article_id: int) -> Response:
    """The article, its paragraphs, the project's schema and the user's annotations."""
    found: Article = _found(Article, article_id, "article")
    paragraphs = found.paragraphs
    annotations = user_annotations(db.session, [p.id for p in paragraphs], current_user)
    return jsonify(
        article={
            "id": found.id,
            "title": found.title,
            "project": found.project.slug,
            "status": article_status(db.session, found, current_user),
        },
        schema=found.project.label_schema,
        settings=found.project.settings,
        paragraphs=[_paragraph_json(p) for p in paragraphs],
        annotations=[to_json(a) for a in annotations],
    )


@bp.get("/paragraphs/<int:paragraph_id>/annotations")
def paragraph_annotations(paragraph_id: int) -> Response:
    """The user's annotations of one paragraph: what the page reloads after a conflict."""
    paragraph: Paragraph = _found(Paragraph, paragraph_id, "paragraph")
    annotations = user_annotations(db.session, [paragraph.id], current_user)
    return jsonify(
        paragraph=_paragraph_json(paragraph), annotations=[to_json(a) for a in annotations]
    )


def _paragraph_json(paragraph: Paragraph) -> dict[str, Any]:
    return {
        "id": paragraph.id,
        "position": paragraph.position,
        "text": paragraph.text,
        "is_boilerplate": paragraph.is_boilerplate,
    }


# --- writing ----------------------------------------------------------------------------


@bp.post("/annotations")
def create() -> tuple[Response, int]:
    body = json_body()
    paragraph_id = integer_field(body, "paragraph_id")
    paragraph: Paragraph = _found(Paragraph, paragraph_id, "paragraph")
    annotation = create_annotation(
        db.session, current_user, paragraph, annotation_input(body, ANNOTATION_FIELDS)
    )
    db.session.commit()
    return jsonify(annotation=to_json(annotation)), 201


@bp.patch("/annotations/<int:annotation_id>")
def update(annotation_id: int) -> Response:
    body = json_body()
    annotation: Annotation = _found(Annotation, annotation_id, "annotation")
    data = annotation_input(body, UPDATE_FIELDS)
    data.given.discard("version")
    update_annotation(db.session, current_user, annotation, data, body.get("version"))
    db.session.commit()
    return jsonify(annotation=to_json(annotation))


@bp.delete("/annotations/<int:annotation_id>")
def delete(annotation_id: int) -> Response:
    body = json_body()
    if set(body) - {"version"}:
        raise bad_request("A delete names only the version it deletes.", "version")
    annotation: Annotation = _found(Annotation, annotation_id, "annotation")
    result = delete_annotation(db.session, current_user, annotation, body.get("version"))
    db.session.commit()
    return jsonify(deleted=result.deleted, changed=[to_json(a) for a in result.changed])


@bp.put("/paragraphs/<int:paragraph_id>/sentiment")
def paragraph_sentiment(paragraph_id: int) -> Response:
    """Set the paragraph's sentiment (label), or clear it (label null)."""
    body = json_body()
    if set(body) != {"label"}:
        raise bad_request('Send {"label": <sentiment> or null}.', "label")
    paragraph: Paragraph = _found(Paragraph, paragraph_id, "paragraph")
    if paragraph.is_boilerplate:
        raise AnnotationError(422, "invalid", "Boilerplate paragraphs get no sentiment.", "label")
    annotation = set_paragraph_sentiment(db.session, current_user, paragraph, body["label"])
    db.session.commit()
    return jsonify(annotation=to_json(annotation) if annotation else None)


@bp.put("/articles/<int:article_id>/status")
def status(article_id: int) -> Response:
    body = json_body()
    found: Article = _found(Article, article_id, "article")
    value = set_article_status(db.session, current_user, found, body.get("status"))
    db.session.commit()
    return jsonify(article_id=found.id, status=value)
