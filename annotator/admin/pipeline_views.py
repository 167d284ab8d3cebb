"""The project's spaCy pipeline on the admin pages: run it now, and how its jobs stand."""

from __future__ import annotations

from flask import current_app, flash, jsonify, redirect, url_for
from flask_login import current_user
from werkzeug.wrappers import Response

from annotator.admin import bp
from annotator.audit import record
from annotator.extensions import db
from annotator.pipelines.jobs import Reason, dispatch, job_state, latest_jobs, schedule
from annotator.projects import project_or_404


@bp.post("/projects/<slug>/suggestions/run")
def run_suggestions(slug: str) -> Response:
    """ "Run suggestions now": a job for the worker; cached paragraphs are not recomputed.
    (CSRF is checked before every post: annotator.security.)"""
    project = project_or_404(slug)
    job = schedule(db.session, project, Reason.MANUAL, current_user)
    if job is None:
        flash("Name a spaCy pipeline in the settings first.", "error")
        return redirect(url_for("admin.edit_project", slug=slug))
    target = ("project", project.id)
    after = {"job": job.id, "pipeline": job.pipeline}
    record(db.session, current_user, "project.suggestions_run", target, None, after)
    db.session.commit()
    problem = dispatch(current_app._get_current_object(), db.session, job)  # type: ignore[attr-defined]
    flash(problem or f"Suggestions queued (job {job.id}).", "error" if problem else "success")
    return redirect(url_for("admin.edit_project", slug=slug, _anchor="suggestions"))


@bp.get("/projects/<slug>/suggestions/jobs")
def suggestion_jobs(slug: str) -> Response:
    """The latest jobs as JSON, for the settings page to follow a running job."""
    project = project_or_404(slug)
    return jsonify(jobs=[job_state(job) for job in latest_jobs(db.session, project)])
