"""Export of labeled data (native JSONL and formats other tools read) and its import."""

from flask import Blueprint

bp = Blueprint("export", __name__)

from annotator.export import views  # noqa: E402,F401  (routes attach to bp)
