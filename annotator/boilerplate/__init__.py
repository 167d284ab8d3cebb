"""Boilerplate beyond the built-in detection: per-project rules (admin pages in
annotator/admin/boilerplate_views.py) and proposals from the workspace, which reviewers
and admins confirm or decline here (the JSON side is annotator/api/boilerplate.py)."""

from flask import Blueprint

bp = Blueprint("boilerplate", __name__)

from annotator.boilerplate import views  # noqa: E402,F401  (routes attach to bp)
