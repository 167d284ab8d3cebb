"""Administration: users, projects, label schemas, import, assignment, progress, audit log.

Every route of the blueprint is for admins only: the guard below runs before each of them,
so a new page cannot forget it.
"""

from __future__ import annotations

from flask import Blueprint, abort
from flask_login import current_user
from werkzeug.wrappers import Response

from annotator.extensions import login_manager
from annotator.models import Role

bp = Blueprint("admin", __name__, url_prefix="/admin")


@bp.before_request
def _admins_only() -> Response | None:
    if not current_user.is_authenticated:
        return login_manager.unauthorized()  # type: ignore[no-any-return]
    if current_user.role != Role.ADMIN:
        abort(403)
    return None


from annotator.admin import (  # noqa: E402,F401  (routes attach to bp)
    audit_views,
    boilerplate_views,
    dashboard_views,
    import_views,
    label_views,
    pattern_views,
    project_views,
    user_views,
)
