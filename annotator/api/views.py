"""Thin JSON views: read the body, call the annotation services, commit once, answer JSON."""

from __future__ import annotations

from typing import Any

from flask import Response, jsonify, request
from flask_login import current_user
from sqlalchemy.exc import IntegrityError

from annotator.access import ParagraphRow, Visible, checked, loaded, visible_paragraph_row
from annotator.annotations import (
    AnnotationError,
    AnnotationInput,
    ConflictError,
    Proposal,
    article_progress,
    article_status,
    to_json,
    user_annotations,
    user_annotations_json,
    writer,
)
from annotator.api import bp, schemas
from annotator.api.openapi import public
from annotator.api.payloads import (
    ANNOTATION_FIELDS,
    UPDATE_FIELDS,
    annotation_input,
    bad_request,
    integer_field,
    json_body,
    limit_body_size,
)
from annotator.api.suggestions import accept_as_create, accept_sentiment
from annotator.errors import json_error
from annotator.extensions import db
from annotator.models import Annotation, Article, Paragraph


@bp.before_request
def _authenticated_with_small_body() -> Response | None:
    limit_body_size()
    if not current_user.is_authenticated and not public(request.endpoint):
        return json_error(401, "unauthorized", "Log in to use the API.")
    return None


@bp.errorhandler(AnnotationError)
def _annotation_error(error: AnnotationError) -> tuple[Response, int]:
    current = error.current if isinstance(error, ConflictError) else None
    current_id = current.id if current is not None else None
    db.session.rollback()
    body: dict[str, Any] = {
        "error": {"code": error.code, "message": error.message, "field": error.field}
    }
    if isinstance(error, ConflictError):
        stored = db.session.get(Annotation, current_id) if current_id is not None else None
        body["current"] = to_json(stored) if stored is not None else None
    return jsonify(body), error.status


@bp.errorhandler(IntegrityError)
def _concurrent_write(error: IntegrityError) -> tuple[Response, int]:
    """A unique index refused a write another request made first: the page reloads."""
    db.session.rollback()
    message = "Another write got there first; reload to see what is stored."
    return jsonify(error={"code": "conflict", "message": message, "field": None}), 409


def _found(model: type[Visible], object_id: int, name: str) -> Visible:
    """The article, paragraph or annotation (name says which) if this user may see it; a
    missing one and one in a project closed to the user get the same 404 (access.checked)."""
    return checked(
        db.session, current_user, loaded(db.session, current_user, model, object_id), name
    )


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


@bp.get("/articles/<int:article_id>/progress")
def progress(article_id: int) -> Response:
    """What the project asks of each content paragraph, and where the user's work lacks it.

    `required` names the checks (sentiment: a paragraph sentiment; claimant: every
    attributed claim names its claimant); `missing` lists the content paragraphs lacking
    something, by paragraph number. The workspace's Done warning shows the same list.
    """
    found: Article = _found(Article, article_id, "article")
    return jsonify(article_progress(db.session, found, current_user).to_json())


@bp.get("/paragraphs/<int:paragraph_id>/annotations")
def paragraph_annotations(paragraph_id: int) -> Response:
    """The user's annotations of one paragraph: what the page reloads after a conflict."""
    paragraph = visible_paragraph_row(db.session, current_user, paragraph_id)
    annotations = user_annotations_json(db.session, paragraph.id, current_user)
    return jsonify(paragraph=_paragraph_json(paragraph), annotations=annotations)


def _proposal(data: AnnotationInput) -> Proposal:
    return Proposal(
        layer=data.layer,
        start=data.start,
        end=data.end,
        label=data.label,
        attributes=data.attributes if data.attributes is not None else {},
        text=data.text,
    )


def _paragraph_json(paragraph: Paragraph | ParagraphRow) -> dict[str, Any]:
    return {
        "id": paragraph.id,
        "position": paragraph.position,
        "text": paragraph.text,
        "is_boilerplate": paragraph.is_boilerplate,
    }


# --- writing ----------------------------------------------------------------------------


@bp.post("/annotations")
@schemas.accepts(schemas.NEW_ANNOTATION)
def create() -> tuple[Response, int]:
    """Create an annotation; a replay of the same client_id answers 200 with the stored row.

    With suggestion_id, accept that suggestion (the workspace's save queue does so)."""
    body = json_body()
    paragraph_id = integer_field(body, "paragraph_id")
    client_id = body.pop("client_id", None)
    suggestion_id = body.pop("suggestion_id", None)
    if suggestion_id is not None:
        paragraph: Paragraph = _found(Paragraph, paragraph_id, "paragraph")
        data = annotation_input(body, ANNOTATION_FIELDS)
        created = accept_as_create(suggestion_id, paragraph, data, client_id)
    else:  # the workspace's save: five statements (writer.create_at)
        proposal = _proposal(annotation_input(body, ANNOTATION_FIELDS))
        created = writer.create_at(db.session, current_user, paragraph_id, proposal, client_id)
    answer = to_json(created.annotation)  # before commit, which would expire the row
    db.session.commit()
    return jsonify(annotation=answer), 201 if created.new else 200


@bp.patch("/annotations/<int:annotation_id>")
@schemas.accepts(schemas.CHANGE)
def update(annotation_id: int) -> Response:
    body = json_body()
    annotation: Annotation = _found(Annotation, annotation_id, "annotation")
    data = annotation_input(body, UPDATE_FIELDS)
    data.given.discard("version")
    changed = writer.update(
        db.session, current_user, annotation, _proposal(data), data.given, body.get("version")
    )
    answer = to_json(changed)
    db.session.commit()
    return jsonify(annotation=answer)


@bp.delete("/annotations/<int:annotation_id>")
@schemas.accepts(schemas.DELETE)
def delete(annotation_id: int) -> Response:
    body = json_body()
    if set(body) - {"version"}:
        raise bad_request("A delete names only the version it deletes.", "version")
    annotation: Annotation = _found(Annotation, annotation_id, "annotation")
    result = writer.delete(db.session, current_user, annotation, body.get("version"))
    changed = [to_json(a) for a in result.changed]
    db.session.commit()
    return jsonify(deleted=result.deleted, changed=changed)


@bp.put("/paragraphs/<int:paragraph_id>/sentiment")
@schemas.accepts(schemas.SENTIMENT)
def paragraph_sentiment(paragraph_id: int) -> Response:
    """Set the paragraph's sentiment (label), or clear it (label null). With `version` (the
    version the page read, null for none) a sentiment changed since is a 409; with
    `suggestion_id`, the label accepts that sentiment suggestion (keeping its source)."""
    body = json_body()
    if "label" not in body or set(body) - {"label", "version", "suggestion_id"}:
        raise bad_request('Send {"label": <sentiment> or null, "version": <int> or null}.', "label")
    paragraph: Paragraph = _found(Paragraph, paragraph_id, "paragraph")
    version = body.get("version") if "version" in body else writer.UNCHECKED
    if body.get("suggestion_id") is not None:
        annotation = accept_sentiment(body["suggestion_id"], paragraph, body["label"], version)
    else:
        annotation = writer.set_paragraph_sentiment(
            db.session, current_user, paragraph, body["label"], version
        )
    answer = to_json(annotation) if annotation else None
    db.session.commit()
    return jsonify(annotation=answer)


@bp.put("/articles/<int:article_id>/status")
@schemas.accepts(schemas.STATUS)
def status(article_id: int) -> Response:
    """Set the user's status on the article; the answer lists what is still missing (as
    /progress does): done is the annotator's call, the list is a reminder."""
    body = json_body()
    found: Article = _found(Article, article_id, "article")
    value = writer.set_status(db.session, current_user, found, body.get("status"))
    db.session.commit()
    missing = article_progress(db.session, found, current_user).to_json()["missing"]
    return jsonify(article_id=found.id, status=value, missing=missing)
