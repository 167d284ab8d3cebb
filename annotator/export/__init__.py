"""Export: filters, one database snapshot streamed out, delivery on the web and the CLI.

The formats themselves (writers and readers) live in annotator.formats; import of
annotations in annotator.annotations.importer.
"""

from flask import Blueprint

bp = Blueprint("export", __name__)

from annotator.export import views  # noqa: E402,F401  (routes attach to bp)
