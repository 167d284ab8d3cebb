"""The audit log page."""

from __future__ import annotations

from flask import render_template, request

from annotator.admin import bp
from annotator.audit import actions, entries
from annotator.extensions import db
from annotator.routing import page_number

PER_PAGE = 50


@bp.get("/audit")
def audit() -> str:
    page = page_number()
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
