"""The audit log page."""

from __future__ import annotations

from flask import render_template, request

from annotator.admin import bp
from annotator.audit import actions, entries
from annotator.extensions import db
from annotator.routing import paged

PER_PAGE = 50


@bp.get("/audit")
def audit() -> str:
    action = request.args.get("action", "")[:100] or None
    shown = paged(lambda page: entries(db.session, page, PER_PAGE, action), PER_PAGE)
    return render_template(
        "admin/audit.html",
        rows=shown.rows,
        total=shown.total,
        page=shown.page,
        pages=shown.pages,
        action=action or "",
        actions=actions(db.session),
    )
