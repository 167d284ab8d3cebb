"""The suggestions API: a user's open suggestions of an article, accept, reject, accept a
paragraph's all. Thin: the service decides, the writer writes, the view commits once."""

from __future__ import annotations

from typing import Any

from flask import Response, jsonify
from flask_login import current_user

from annotator.access import checked
from annotator.annotations import AnnotationError, AnnotationInput, to_json
from annotator.api import bp, schemas
from annotator.api.payloads import bad_request, json_body
from annotator.extensions import db
from annotator.models import Article, Paragraph, Suggestion
from annotator.routing import storable_id
from annotator.suggestions import service


def _suggestion(suggestion_id: int) -> Suggestion:
    """The suggestion if it is offered to this user in a project they work on; else 404 (an
    id the database could not even hold included: a body may send any integer)."""
    found = db.session.get(Suggestion, suggestion_id) if storable_id(suggestion_id) else None
    checked(db.session, current_user, found.paragraph if found else None, "suggestion")
    assert found is not None
    if found.user_id is not None and found.user_id != current_user.id:
        raise AnnotationError(404, "not_found", "There is no such suggestion.", "id")
    return found


@bp.get("/articles/<int:article_id>/suggestions")
def article_suggestions(article_id: int) -> Response:
    """The user's open suggestions of the article: ghost spans until accepted.

    Propagation from the user's own labels is brought up to date first. Suggestions that
    overlap the user's annotations or a preferred suggestion are left out (`hidden` counts
    them)."""
    article: Article = checked(
        db.session, current_user, db.session.get(Article, article_id), "article"
    )
    found = service.article_suggestions(db.session, current_user, article)
    # Read before the commit expires them: one query, not one per suggestion.
    shown = [service.suggestion_json(s) for s in found.shown]
    db.session.commit()
    return jsonify(suggestions=shown, hidden=found.hidden)


@bp.post("/suggestions/<int:suggestion_id>/accept")
@schemas.accepts(schemas.ACCEPT)
def accept_suggestion(suggestion_id: int) -> tuple[Response, int]:
    """Accept a suggestion: it becomes the user's annotation, keeping its source.

    A clash with the user's annotations is a 409 naming what is in the way."""
    body = json_body()
    suggestion = _suggestion(suggestion_id)
    created = service.accept(db.session, current_user, suggestion, body.get("client_id"))
    db.session.commit()
    return jsonify(annotation=to_json(created.annotation), suggestion_id=suggestion_id), (
        201 if created.new else 200
    )


@bp.post("/suggestions/<int:suggestion_id>/reject")
@schemas.accepts(schemas.EMPTY)
def reject_suggestion(suggestion_id: int) -> Response:
    """Reject a suggestion for this user only: others still see it."""
    json_body()
    suggestion = _suggestion(suggestion_id)
    service.reject(db.session, current_user, suggestion)
    db.session.commit()
    return jsonify(suggestion_id=suggestion_id, decision="rejected")


@bp.post("/paragraphs/<int:paragraph_id>/suggestions/accept")
@schemas.accepts(schemas.EMPTY)
def accept_paragraph_suggestions(paragraph_id: int) -> Response:
    """Accept every suggestion the user sees in the paragraph, in one transaction.

    Suggestions that clash with the user's annotations or with each other are skipped and
    counted in `skipped`."""
    json_body()
    paragraph: Paragraph = checked(
        db.session, current_user, db.session.get(Paragraph, paragraph_id), "paragraph"
    )
    result = service.accept_paragraph(db.session, current_user, paragraph)
    annotations = [to_json(a) for a in result.accepted]  # before the commit expires them
    db.session.commit()
    return jsonify(annotations=annotations, skipped=result.skipped)


def accept_as_create(
    suggestion_id: Any, paragraph: Paragraph, data: AnnotationInput, client_id: Any
) -> Any:
    """POST /annotations with a suggestion_id (the workspace's save queue): the body must
    describe the suggestion, which is then accepted like POST /suggestions/<id>/accept."""
    if not isinstance(suggestion_id, int) or isinstance(suggestion_id, bool):
        raise bad_request("suggestion_id must be an integer.", "suggestion_id")
    suggestion = _suggestion(suggestion_id)
    described = (data.layer, data.start, data.end, data.label, paragraph.id)
    stored = (
        suggestion.layer,
        suggestion.start,
        suggestion.end,
        suggestion.label,
        suggestion.paragraph_id,
    )
    if described != stored:
        raise _mismatch()
    return service.accept(db.session, current_user, suggestion, client_id)


def accept_sentiment(suggestion_id: Any, paragraph: Paragraph, label: Any, version: Any) -> Any:
    """PUT /paragraphs/<id>/sentiment with a suggestion_id: set the suggested sentiment."""
    if not isinstance(suggestion_id, int) or isinstance(suggestion_id, bool):
        raise bad_request("suggestion_id must be an integer.", "suggestion_id")
    suggestion = _suggestion(suggestion_id)
    stored = (suggestion.layer, suggestion.label, suggestion.paragraph_id)
    if ("sentiment", label, paragraph.id) != stored:
        raise _mismatch()
    return service.accept(db.session, current_user, suggestion, version=version).annotation


def _mismatch() -> AnnotationError:
    return AnnotationError(
        422, "invalid", "The annotation does not match the suggestion.", "suggestion_id"
    )
