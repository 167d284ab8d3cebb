"""Projects, article lists and article pages: where annotators work."""

from flask import Blueprint

bp = Blueprint("workspace", __name__)

from annotator.workspace import views  # noqa: E402,F401  (routes attach to bp)
