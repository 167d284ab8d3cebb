"""Scorecards: an annotator's work on adjudicated articles against gold, and the differences."""

from flask import Blueprint

bp = Blueprint("scorecard", __name__)

from annotator.scorecard import views  # noqa: E402,F401  (routes attach to bp)
