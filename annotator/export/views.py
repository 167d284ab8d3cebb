"""Thin views: the export page, its count preview, and the streamed download."""

from __future__ import annotations

from typing import NoReturn

from flask import Response, abort, g, render_template, request, stream_with_context
from flask_login import current_user, login_required
from werkzeug.datastructures import MultiDict

from annotator.errors import json_error, wants_json
from annotator.export import bp
from annotator.export.filters import ExportFilters, FilterError, parse_filters
from annotator.export.formats import FORMATS
from annotator.export.service import build_export
from annotator.export.stream import count_records, plan_export
from annotator.extensions import db
from annotator.models import Layer, Project, User
from annotator.projects import may_work_on, project_or_404
from annotator.tokens import login_or_token_required


class _Refused(Exception):
    def __init__(self, response: Response) -> None:
        self.response = response


@bp.errorhandler(_Refused)
def _refused(error: _Refused) -> Response:
    return error.response


@bp.get("/projects/<slug>/export")
@login_or_token_required
def download(slug: str) -> Response:
    """Stream the file: rows are read from the database while the response is sent."""
    project = _workable(slug)
    try:
        export = build_export(db.session, project, _filters_for(current_user))
    except FilterError as exc:
        _refuse(400, "invalid_filter", exc.message, exc.field)
    response = Response(stream_with_context(export.chunks), content_type=export.format.content_type)
    response.headers["Content-Disposition"] = f'attachment; filename="{export.filename}"'
    response.headers["Cache-Control"] = "no-store"
    return response


@bp.get("/projects/<slug>/export/count")
@login_or_token_required
def count(slug: str) -> Response:
    project = _workable(slug)
    filters = _filters_for(current_user)
    try:
        plan = plan_export(db.session, project, filters)
    except FilterError as exc:
        _refuse(400, "invalid_filter", exc.message, exc.field)
    records = count_records(db.session, plan)
    return Response(f'{{"records": {records}}}\n', content_type="application/json; charset=utf-8")


@bp.get("/projects/<slug>/exports")
@login_required
def page(slug: str) -> str:
    project = _workable(slug)
    return render_template(
        "export/page.html",
        project=project,
        formats=FORMATS.values(),
        layers=list(Layer),
        annotators=_annotator_names() if current_user.can_see_all_work else [],
    )


def _workable(slug: str) -> Project:
    """The project if this user works on it; 404 unknown, 403 someone else's."""
    project = project_or_404(slug)
    if not may_work_on(db.session, project, current_user):
        _refuse(403, "forbidden", "You do not work on this project.")
    return project


def _filters_for(user: User) -> ExportFilters:
    args = MultiDict(request.args)
    try:
        filters = parse_filters({key: args.getlist(key) for key in args})
        return filters.restricted_to(user)
    except FilterError as exc:
        _refuse(400, "invalid_filter", exc.message, exc.field)
    except PermissionError as exc:
        _refuse(403, "forbidden", f"Not allowed: {exc}.")


def _refuse(status: int, code: str, message: str, field: str | None = None) -> NoReturn:
    if g.get("authenticated_by_token") or wants_json() or request.path.endswith("/count"):
        raise _Refused(json_error(status, code, message, field))
    abort(status, description=message)


def _annotator_names() -> list[str]:
    return list(db.session.scalars(db.select(User.username).order_by(User.username_key)))
