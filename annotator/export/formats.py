"""Where export/views.py still looks for the format list; the formats live in annotator.formats.

Remove once views.py imports FORMATS from annotator.formats.registry.
"""

from annotator.formats.registry import FORMATS, Format

__all__ = ["FORMATS", "Format"]
