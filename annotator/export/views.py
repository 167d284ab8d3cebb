"""Thin views: the export page, its count preview, and the streamed download."""

from __future__ import annotations

from flask import Response, render_template, request, stream_with_context
from flask_login import current_user, login_required
from werkzeug.datastructures import MultiDict
from werkzeug.exceptions import Forbidden

from annotator.access import visible_project
from annotator.errors import answers_json, error_response
from annotator.export import bp
from annotator.export.counting import count_records
from annotator.export.filters import ExportFilters, FilterError, parse_filters
from annotator.export.service import build_export
from annotator.export.stream import plan_export
from annotator.extensions import db
from annotator.formats.registry import FORMATS
from annotator.models import Layer, Project, User
from annotator.projects import may_review
from annotator.tokens import login_or_token_required


@bp.errorhandler(FilterError)
def _bad_filter(error: FilterError) -> Response | tuple[str, int]:
    """Raised before the first byte is sent, so the answer is still a clean 400."""
    return error_response(400, "invalid_filter", error.message, error.field, "Bad request")


@bp.get("/projects/<slug>/export")
@login_or_token_required
def download(slug: str) -> Response:
    """Stream the file: rows are read from the database while the response is sent."""
    project = visible_project(db.session, current_user, slug)
    export = build_export(db.session, project, _filters_for(current_user, project))
    response = Response(stream_with_context(export.chunks), content_type=export.format.content_type)
    response.headers["Content-Disposition"] = f'attachment; filename="{export.filename}"'
    response.headers["Cache-Control"] = "no-store"
    return response


@bp.get("/projects/<slug>/export/count")
@answers_json
@login_or_token_required
def count(slug: str) -> Response:
    project = visible_project(db.session, current_user, slug)
    plan = plan_export(db.session, project, _filters_for(current_user, project))
    records = count_records(db.session, plan)
    return Response(f'{{"records": {records}}}\n', content_type="application/json; charset=utf-8")


@bp.get("/projects/<slug>/exports")
@login_required
def page(slug: str) -> str:
    project = visible_project(db.session, current_user, slug)
    reviews = may_review(db.session, project, current_user)
    return render_template(
        "export/page.html",
        project=project,
        formats=FORMATS.values(),
        layers=list(Layer),
        reviews=reviews,
        annotators=_annotator_names() if reviews else [],
    )


def _filters_for(user: User, project: Project) -> ExportFilters:
    """The query's filters, narrowed to what this user may export (asking for more is 403):
    whoever reviews the project may export its gold, which they can write."""
    args = MultiDict(request.args)
    filters = parse_filters({key: args.getlist(key) for key in args})
    try:
        return filters.restricted_to(user, may_review(db.session, project, user))
    except PermissionError as exc:
        raise Forbidden(f"Not allowed: {exc}.") from None


def _annotator_names() -> list[str]:
    return list(db.session.scalars(db.select(User.username).order_by(User.username_key)))
