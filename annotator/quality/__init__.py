"""Quality of annotations. Agreement between annotators: pure maths (agreement), reading
(load), pairing (compare), figures in the shared JSON shape (report) and a flat table of them
(table). Each annotator against gold: scorecard.

Free of Flask but for cli.py (the command); the API, the CLI, the dashboard and the
benchmark all call project_agreement.
"""

from __future__ import annotations

from typing import Any

from annotator.models import DbSession, Project
from annotator.quality.load import load_corpus
from annotator.quality.report import agreement_report


def project_agreement(session: DbSession, project: Project) -> dict[str, Any]:
    """Every agreement figure of the project, in the JSON shape docs/quality.md describes."""
    return agreement_report(load_corpus(session, project), project.slug)
