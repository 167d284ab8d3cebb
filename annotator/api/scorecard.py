"""GET /api/v1/projects/<slug>/scorecard[?annotator=NAME]: a scorecard as JSON."""

from __future__ import annotations

from flask import Response, jsonify, request
from flask_login import current_user

from annotator.access import visible_project
from annotator.api import bp, schemas
from annotator.extensions import db
from annotator.scorecard.queries import project_score, whose


@bp.get("/projects/<slug>/scorecard")
@schemas.query(annotator={"type": "string", "description": "Whose card (reviewers, admins)."})
def scorecard(slug: str) -> Response:
    """Per layer and label: matched, missed, extra, precision and recall; and per article."""
    project = visible_project(db.session, current_user, slug)
    annotator = whose(db.session, project, current_user, request.args.get("annotator"))
    score = project_score(db.session, project, annotator)
    return jsonify(
        project=project.slug,
        annotator=annotator.username,
        layers=score.card.to_json(),
        articles=[
            {
                "id": a.id,
                "title": a.title,
                "matched": len(a.difference.matched),
                "missed": len(a.difference.missed),
                "extra": len(a.difference.extra),
            }
            for a in score.articles
        ],
    )
