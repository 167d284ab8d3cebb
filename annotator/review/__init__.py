"""Adjudication: the review view of an article and the project's review queue.

Reading lives in queries.py and align.py; every gold write goes through
annotator.annotations.writer (the JSON API is annotator/api/review.py)."""

from flask import Blueprint

bp = Blueprint("review", __name__)

from annotator.review import views  # noqa: E402,F401  (routes attach to bp)
