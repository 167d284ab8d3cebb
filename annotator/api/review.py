"""The review API: what the review page reads, its gold writes (all through the writer),
the review status and reviewers' comments; and the comments an annotator's page shows."""

from __future__ import annotations

from typing import Any

from flask import Response, jsonify
from flask_login import current_user

from annotator.access import Visible, checked, reviewable
from annotator.annotations import to_json, writer
from annotator.api import bp, schemas
from annotator.api.payloads import (
    ANNOTATION_FIELDS,
    UPDATE_FIELDS,
    annotation_input,
    bad_request,
    integer_field,
    json_body,
)
from annotator.api.views import _paragraph_json, _proposal
from annotator.extensions import db
from annotator.models import Annotation, Article, Paragraph
from annotator.review.comments import add_comment, comments_for
from annotator.review.queries import agreed_sources, comment_json, review_of, review_payload


@bp.errorhandler(writer.ReviewConflict)
def _review_conflict(error: writer.ReviewConflict) -> tuple[Response, int]:
    db.session.rollback()
    body = {"error": {"code": error.code, "message": error.message, "field": error.field}}
    return jsonify({**body, "current": error.current}), 409


def _reviewed(model: type[Visible], object_id: int, name: str) -> Visible:
    """The object if this user may review its project: 404 if they may not see it, else 403."""
    return reviewable(db.session, current_user, db.session.get(model, object_id), name)


# --- reading ----------------------------------------------------------------------------


@bp.get("/review/articles/<int:article_id>")
def review_article(article_id: int) -> Response:
    """The article, its paragraphs, the finished annotators' work aligned, gold, comments."""
    article: Article = _reviewed(Article, article_id, "article")
    return jsonify(
        article={"id": article.id, "title": article.title, "project": article.project.slug},
        schema=article.project.label_schema,
        paragraphs=[_paragraph_json(p) for p in article.paragraphs],
        **review_payload(db.session, article, list(article.paragraphs)),
    )


@bp.get("/review/paragraphs/<int:paragraph_id>")
def review_paragraph(paragraph_id: int) -> Response:
    """One paragraph's review state: what the page reloads after a conflict."""
    paragraph: Paragraph = _reviewed(Paragraph, paragraph_id, "paragraph")
    return jsonify(
        paragraph=_paragraph_json(paragraph),
        **review_payload(db.session, paragraph.article, [paragraph]),
    )


@bp.get("/articles/<int:article_id>/comments")
def my_comments(article_id: int) -> Response:
    """Reviewers' comments on the user's own annotations of the article (the workspace)."""
    article: Article = checked(
        db.session, current_user, db.session.get(Article, article_id), "article"
    )
    found = comments_for(db.session, current_user, [p.id for p in article.paragraphs])
    return jsonify(comments=[comment_json(c) for c in found])


# --- gold writes ------------------------------------------------------------------------


@bp.post("/review/gold")
@schemas.accepts(schemas.NEW_GOLD)
def gold_create() -> tuple[Response, int]:
    """Add a gold annotation; a replayed client_id answers 200 with the stored row."""
    body = json_body()
    paragraph: Paragraph = _reviewed(Paragraph, integer_field(body, "paragraph_id"), "paragraph")
    client_id = body.pop("client_id", None)
    proposal = _proposal(annotation_input(body, ANNOTATION_FIELDS))
    created = writer.gold_create(db.session, current_user, paragraph, proposal, client_id)
    db.session.commit()
    return jsonify(annotation=to_json(created.annotation)), 201 if created.new else 200


@bp.post("/review/annotations/<int:annotation_id>/accept")
@schemas.accepts(schemas.ACCEPT)
def accept(annotation_id: int) -> tuple[Response, int]:
    """Copy an annotator's annotation into gold."""
    body = json_body()
    if set(body) - {"client_id", "version"}:
        raise bad_request("An accept names only its client_id and the version read.", "client_id")
    source: Annotation = _reviewed(Annotation, annotation_id, "annotation")
    created = writer.accept(
        db.session, current_user, source, body.get("client_id"), body.get("version")
    )
    db.session.commit()
    return jsonify(annotation=to_json(created.annotation)), 201 if created.new else 200


@bp.patch("/review/gold/<int:annotation_id>")
@schemas.accepts(schemas.CHANGE)
def gold_update(annotation_id: int) -> Response:
    body = json_body()
    annotation: Annotation = _reviewed(Annotation, annotation_id, "annotation")
    data = annotation_input(body, UPDATE_FIELDS)
    data.given.discard("version")
    changed = writer.gold_update(
        db.session, current_user, annotation, _proposal(data), data.given, body.get("version")
    )
    db.session.commit()
    return jsonify(annotation=to_json(changed))


@bp.delete("/review/gold/<int:annotation_id>")
@schemas.accepts(schemas.DELETE)
def gold_delete(annotation_id: int) -> Response:
    body = json_body()
    if set(body) - {"version"}:
        raise bad_request("A delete names only the version it deletes.", "version")
    annotation: Annotation = _reviewed(Annotation, annotation_id, "annotation")
    result = writer.gold_delete(db.session, current_user, annotation, body.get("version"))
    db.session.commit()
    return jsonify(deleted=result.deleted, changed=[to_json(a) for a in result.changed])


@bp.put("/review/paragraphs/<int:paragraph_id>/sentiment")
@schemas.accepts(schemas.GOLD_SENTIMENT)
def gold_sentiment(paragraph_id: int) -> Response:
    """Set or clear the paragraph's gold sentiment from the version the page read."""
    body = json_body()
    if set(body) != {"label", "version"}:
        raise bad_request('Send {"label": <sentiment> or null, "version": <int> or null}.', "label")
    paragraph: Paragraph = _reviewed(Paragraph, paragraph_id, "paragraph")
    annotation = writer.gold_sentiment(
        db.session, current_user, paragraph, body["label"], body["version"]
    )
    db.session.commit()
    return jsonify(annotation=to_json(annotation) if annotation else None)


@bp.post("/review/articles/<int:article_id>/accept-agreements")
@schemas.accepts(schemas.EMPTY)
def accept_agreements(article_id: int) -> Response:
    """Accept every agreement of the article into gold in one action."""
    json_body()
    article: Article = _reviewed(Article, article_id, "article")
    sources = agreed_sources(db.session, article)
    created, skipped = writer.accept_many(db.session, current_user, article.id, sources)
    db.session.commit()
    return jsonify(
        created=[to_json(a) for a in created],
        skipped=skipped,
        review=review_of(db.session, article.id),
    )


@bp.put("/review/articles/<int:article_id>/status")
@schemas.accepts(schemas.REVIEW_STATUS)
def review_status(article_id: int) -> Response:
    """Mark the article adjudicated (or back in review) from the version the page read."""
    body = json_body()
    if set(body) - {"status", "version"}:
        raise bad_request(
            'Send {"status": "adjudicated" | "in_review", "version": <int>}.', "status"
        )
    article: Article = _reviewed(Article, article_id, "article")
    row = writer.set_review_status(
        db.session, current_user, article, body.get("status"), body.get("version")
    )
    db.session.commit()
    return jsonify(review=writer.review_json(row, article.id))


@bp.post("/review/annotations/<int:annotation_id>/comments")
@schemas.accepts(schemas.COMMENT)
def comment(annotation_id: int) -> tuple[Response, int]:
    body: dict[str, Any] = json_body()
    if set(body) - {"body"}:
        raise bad_request("A comment has only a body.", "body")
    annotation: Annotation = _reviewed(Annotation, annotation_id, "annotation")
    created = add_comment(db.session, current_user, annotation, body.get("body"))
    db.session.commit()
    return jsonify(comment=comment_json(created)), 201
