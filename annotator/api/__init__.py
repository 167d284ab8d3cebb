"""The JSON API under /api/v1/: what the workspace page and scripts read and write."""

from flask import Blueprint

from annotator.errors import answers_json

bp = answers_json(Blueprint("api", __name__, url_prefix="/api/v1"))

from annotator.api import (  # noqa: E402,F401  (routes attach to bp)
    boilerplate,
    openapi,
    quality,
    review,
    scorecard,
    suggestions,
    views,
)
