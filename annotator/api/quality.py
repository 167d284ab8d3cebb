"""Agreement figures of a project as JSON, for its reviewers and admins."""

from __future__ import annotations

from flask import Response, jsonify
from flask_login import current_user

from annotator.access import may_review, visible_project
from annotator.api import bp
from annotator.errors import json_error
from annotator.extensions import db
from annotator.quality import project_agreement


@bp.get("/projects/<slug>/agreement")
def agreement(slug: str) -> Response:
    """Every agreement figure (docs/quality.md). A project the user may not see is a 404
    like a missing one; one they see but do not review is a 403."""
    project = visible_project(db.session, current_user, slug)
    if not may_review(db.session, project, current_user):
        return json_error(403, "forbidden", "Only the project's reviewers see its agreement.")
    return jsonify(project_agreement(db.session, project))
