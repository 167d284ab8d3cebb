"""The project dashboard, as a page with SVG charts and as JSON."""

from __future__ import annotations

from flask import Response, jsonify, render_template

from annotator.admin import bp
from annotator.admin.charts import columns, stacked_bars
from annotator.admin.dashboard import STATES, Progress, project_progress
from annotator.admin.dashboard_agreement import agreement_view
from annotator.extensions import db
from annotator.models import Project
from annotator.projects import project_or_404
from annotator.quality import project_agreement
from annotator.suggestions.stats import suggestion_counts

Segment = tuple[int, str, str | None]

STATE_NAMES = {"done": "Done", "in_progress": "In progress", "not_started": "Not started"}
LEGEND = [(f"state-{s}", STATE_NAMES[s]) for s in STATES]


def _colors(project: Project) -> dict[str, str]:
    return {e["name"]: e["color"] for e in project.label_schema.get("entities", [])}


def _charts(project: Project, progress: Progress) -> dict[str, object]:
    overall: list[Segment] = [(progress.overall[s], f"state-{s}", None) for s in STATES]
    people: list[tuple[str, list[Segment]]] = [
        (a.username, [(a.states[s], f"state-{s}", None) for s in STATES])
        for a in progress.annotators
    ]
    colors = _colors(project)
    labels: list[tuple[str, list[Segment]]] = [
        (
            f"{layer}: {label}",
            [(count, f"layer-{layer}", colors.get(label) if layer == "entity" else None)],
        )
        for layer, label, count in progress.labels
    ]
    activity = [(day.strftime("%d %b"), n) for day, n in progress.activity]
    return {
        "overall": stacked_bars([("All articles", overall)], LEGEND),
        "people": stacked_bars(people, LEGEND),
        "labels": stacked_bars(labels),
        "activity": columns(activity),
    }


@bp.get("/projects/<slug>/dashboard")
def dashboard(slug: str) -> str:
    project = project_or_404(slug)
    progress = project_progress(db.session, project)
    return render_template(
        "admin/dashboard.html",
        project=project,
        progress=progress,
        charts=_charts(project, progress),
        states=STATES,
        state_names=STATE_NAMES,
        agreement=agreement_view(project_agreement(db.session, project)),
        suggestions=suggestion_counts(db.session, project.id),
    )


@bp.get("/projects/<slug>/dashboard.json")
def dashboard_json(slug: str) -> Response:
    """The dashboard's numbers for scripts; admins only, like every page here."""
    project = project_or_404(slug)
    counts = suggestion_counts(db.session, project.id)
    return jsonify(
        {
            **project_progress(db.session, project).as_json(),
            "suggestions": [c.as_json() for c in counts],
        }
    )
