"""Every user's own page: change the password, and the forced change after a reset."""

from flask import Blueprint

bp = Blueprint("profile", __name__, url_prefix="/profile")

from annotator.profile import views  # noqa: E402,F401  (routes attach to bp)
