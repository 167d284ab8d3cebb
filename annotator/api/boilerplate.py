"""Boilerplate proposals over JSON: propose from the workspace or a script (session with
CSRF, or a token with the annotate scope); reviewers and admins confirm or decline."""

from __future__ import annotations

from typing import Any

from flask import Response, jsonify
from flask_login import current_user

from annotator.access import checked, reviewable
from annotator.annotations import to_json
from annotator.api import bp, schemas
from annotator.api.payloads import json_body
from annotator.boilerplate.proposals import (
    AnnotatedParagraph,
    ProposalError,
    confirm,
    decline,
    pending_in_article,
    proposal_json,
    propose,
)
from annotator.extensions import db
from annotator.models import Annotation, Article, BoilerplateProposal, Paragraph

PROPOSE = {
    "type": "object",
    "properties": {
        "flag": {
            "type": "string",
            "enum": ["boilerplate", "content"],
            "description": "What the paragraph should be: the opposite of its flag now.",
        }
    },
    "required": ["flag"],
    "additionalProperties": False,
}
DECIDE = {
    "type": "object",
    "properties": {
        "include_annotated": {
            "type": "boolean",
            "description": "Confirm even though the paragraph's annotations would be hidden.",
        }
    },
    "additionalProperties": False,
}


@bp.errorhandler(ProposalError)
def _proposal_error(error: ProposalError) -> tuple[Response, int]:
    db.session.rollback()
    body: dict[str, Any] = {"error": {"code": error.code, "message": error.message, "field": None}}
    if isinstance(error, AnnotatedParagraph):
        body["annotations"] = [_annotation_json(a) for a in error.annotations]
    return jsonify(body), error.status


@bp.get("/articles/<int:article_id>/boilerplate-proposals")
def article_boilerplate_proposals(article_id: int) -> Response:
    """The article's pending boilerplate proposals, whoever made them."""
    article: Article = checked(
        db.session, current_user, db.session.get(Article, article_id), "article"
    )
    return jsonify(proposals=[proposal_json(p) for p in pending_in_article(db.session, article)])


@bp.post("/paragraphs/<int:paragraph_id>/boilerplate-proposals")
@schemas.accepts(PROPOSE)
def propose_boilerplate(paragraph_id: int) -> tuple[Response, int]:
    """Propose that a content paragraph is boilerplate, or a boilerplate one content; a
    proposal already pending on the paragraph is answered 200."""
    found = db.session.get(Paragraph, paragraph_id)
    paragraph: Paragraph = checked(db.session, current_user, found, "paragraph")
    body = json_body()
    proposal, new = propose(db.session, current_user, paragraph, body["flag"])
    db.session.commit()
    return jsonify(proposal=proposal_json(proposal)), 201 if new else 200


@bp.post("/boilerplate-proposals/<int:proposal_id>/confirm")
@schemas.accepts(DECIDE)
def confirm_boilerplate(proposal_id: int) -> Response:
    """Confirm: the paragraph takes the proposed flag. Over annotations, a 409 lists them
    unless include_annotated."""
    proposal = _decidable(proposal_id)
    body = json_body()
    confirm(db.session, current_user, proposal, bool(body.get("include_annotated")))
    db.session.commit()
    return jsonify(proposal=proposal_json(proposal))


@bp.post("/boilerplate-proposals/<int:proposal_id>/decline")
@schemas.accepts(DECIDE)
def decline_boilerplate(proposal_id: int) -> Response:
    """Decline: the paragraph keeps its flag."""
    proposal = _decidable(proposal_id)
    json_body()
    decline(db.session, current_user, proposal)
    db.session.commit()
    return jsonify(proposal=proposal_json(proposal))


def _decidable(proposal_id: int) -> BoilerplateProposal:
    found = db.session.get(BoilerplateProposal, proposal_id)
    reviewable(db.session, current_user, found.paragraph if found else None, "proposal")
    assert found is not None
    return found


def _annotation_json(annotation: Annotation) -> dict[str, Any]:
    return {**to_json(annotation), "annotator": annotation.annotator.username}
