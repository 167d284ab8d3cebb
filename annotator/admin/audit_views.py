"""The audit log page."""

from __future__ import annotations

from flask import render_template, request

from annotator.admin import bp
from annotator.audit import actions, entries
from annotator.extensions import db

PER_PAGE = 50


@bp.get("/audit")
def audit() -> str:
    page = max(request.args.get("page", 1, type=int) or 1, 1)
    action = request.args.get("action", "")[:100] or None
    rows, total = entries(db.session, page, PER_PAGE, action)
    return render_template(
        "admin/audit.html",
        rows=rows,
        total=total,
        page=page,
        pages=max((total + PER_PAGE - 1) // PER_PAGE, 1),
        action=action or "",
        actions=actions(db.session),
    )
