"""The web process's side of pipeline jobs: ask for a run, put it on the queue, report it.

Nothing here imports spaCy: whether the pipeline loads is found out by the worker, which
writes the answer on the job for the admin page. A job is put on the queue only after the
request's commit, so the worker always finds its row.
"""

from __future__ import annotations

import enum
import logging
from typing import TYPE_CHECKING, Any

from sqlalchemy import select

from annotator.models import DbSession, JobStatus, PipelineJob, Project, User

if TYPE_CHECKING:
    from flask import Flask

log = logging.getLogger(__name__)

MAX_SETTING = 500


class Reason(enum.StrEnum):
    SETTINGS = "settings"
    IMPORT = "import"
    MANUAL = "manual"


def pipeline_setting(project: Project) -> str:
    """The project's pipeline: an installed package name or a folder path; "" for none."""
    value = (project.settings or {}).get("pipeline") or ""
    return value if isinstance(value, str) else ""


def label_mapping(project: Project) -> dict[str, str]:
    """The project's spaCy label -> schema label mapping (may be empty)."""
    value = (project.settings or {}).get("pipeline_labels") or {}
    return dict(value) if isinstance(value, dict) else {}


def setting_problem(value: str) -> str | None:
    """What is wrong with a pipeline setting's form, or None; whether it loads is the worker's."""
    if len(value) > MAX_SETTING:
        return f"At most {MAX_SETTING} characters."
    if any(ord(char) < 32 or ord(char) == 127 for char in value):
        return "No control characters or line breaks."
    return None


def schedule(
    session: DbSession, project: Project, reason: Reason, actor: User | None
) -> PipelineJob | None:
    """A queued job for the project's pipeline (one already waiting is reused); None when
    the project has no pipeline. Flushes only: dispatch() it after the commit."""
    setting = pipeline_setting(project)
    if not setting:
        return None
    waiting = session.scalar(
        select(PipelineJob).where(
            PipelineJob.project_id == project.id,
            PipelineJob.status == JobStatus.QUEUED.value,
            PipelineJob.pipeline == setting,
        )
    )
    if waiting is not None:
        return waiting
    job = PipelineJob(
        project_id=project.id,
        pipeline=setting,
        reason=reason.value,
        status=JobStatus.QUEUED.value,
        requested_by_id=actor.id if actor else None,
        dropped={},
    )
    session.add(job)
    session.flush()
    log.info("pipeline job %s queued for %s (%s) by %s", job.id, project.slug, reason, actor)
    return job


def run_soon(
    app: Flask, session: DbSession, project: Project, reason: Reason, actor: User | None
) -> tuple[PipelineJob | None, str | None]:
    """schedule(), commit (the worker must find the job), dispatch(): the job (None without a
    pipeline) and the reason it could not be queued, if any. Commits the session."""
    job = schedule(session, project, reason, actor)
    if job is None:
        return None, None
    session.commit()
    return job, dispatch(app, session, job)


def dispatch(app: Flask, session: DbSession, job: PipelineJob | None) -> str | None:
    """Put a committed job on the queue; if the queue cannot be reached, the job fails with
    that reason (committed) and the reason is returned for the page."""
    from annotator.pipelines.queue import enqueue_job  # the queue brings Flask: load it late

    if job is None:
        return None
    try:
        enqueue_job(app, job.id)
    except Exception as exc:  # Redis down, SQLite file unwritable: say so, never a 500
        message = f"The task queue could not be reached: {exc}"
        log.error("pipeline job %s not queued: %s", job.id, exc)
        job.status, job.error = JobStatus.FAILED.value, message
        session.commit()
        return message
    return None


def latest_jobs(session: DbSession, project: Project, limit: int = 5) -> list[PipelineJob]:
    """The project's most recent jobs, newest first."""
    query = (
        select(PipelineJob)
        .where(PipelineJob.project_id == project.id)
        .order_by(PipelineJob.id.desc())
        .limit(limit)
    )
    return list(session.scalars(query))


def job_state(job: PipelineJob) -> dict[str, Any]:
    """A job as the admin page and its status poll show it."""
    return {
        "id": job.id,
        "status": job.status,
        "reason": job.reason,
        "pipeline": job.pipeline,
        "model_version": job.model_version,
        "paragraphs": job.paragraphs,
        "computed": job.computed,
        "cached": job.cached,
        "suggestions": job.suggestions,
        "dropped": dict(sorted((job.dropped or {}).items())),
        "error": job.error,
        "created_at": job.created_at.isoformat() if job.created_at else None,
        "finished_at": job.finished_at.isoformat() if job.finished_at else None,
    }
