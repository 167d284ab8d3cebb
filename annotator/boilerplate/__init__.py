"""Boilerplate beyond the built-in detection: per-project rules (admin pages in
annotator/admin/boilerplate_views.py) and proposals from the workspace, which reviewers
and admins confirm or decline here (the JSON side is annotator/api/boilerplate.py).

The blueprint is in annotator.boilerplate.views, so that the import command reads the rules
and proposals without loading Flask (annotator.standalone)."""
