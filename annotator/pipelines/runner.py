"""The worker's side: load a project's spaCy pipeline, run it on the paragraphs it has not
seen at this version, store what it finds as suggestions.

Only the background worker imports this module (through the task in queue.py), and spaCy
is imported inside the functions that need it, so the web process never loads either.
Offsets from spaCy are code points already (Python str), as ours are.
"""

from __future__ import annotations

import hashlib
import json
import logging
import os
import socket
import threading
from collections import Counter
from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from itertools import islice
from pathlib import Path
from typing import Any

from flask import Flask
from sqlalchemy import and_, func, select, update

from annotator.engines import upsert_insert
from annotator.extensions import db
from annotator.models import (
    Article,
    DbSession,
    JobStatus,
    ModelParagraph,
    Paragraph,
    PipelineJob,
    Project,
    SuggestionLayer,
    utcnow,
)
from annotator.pipelines.labels import Mapped, label_map, map_entities
from annotator.schema import entity_labels
from annotator.suggestions.store import MAX_SOURCE, SuggestedSpan, replace_suggestions

log = logging.getLogger(__name__)

#: Paragraphs per nlp.pipe call and per commit: progress shows, a crash loses little.
BATCH = 64
SOURCE_PREFIX = "model:"
MAX_ERROR = 2000


class PipelineError(Exception):
    """A pipeline that cannot be used; the message is shown on the project's admin page."""


class Interrupted(Exception):
    """The worker is stopping: the job ends between two batches, its finished ones kept."""


@dataclass(frozen=True)
class LoadedPipeline:
    nlp: Any
    #: What "model:NAME" says: the package's name, or the folder's own name.
    name: str
    #: The pipeline's own version and a digest of its files: retraining changes it.
    version: str

    @property
    def source(self) -> str:
        return SOURCE_PREFIX + self.name


#: Jobs this process is running: a worker stopped in the middle marks them interrupted.
_running: set[int] = set()
#: Set when the worker is asked to stop; running jobs stop at their next batch.
_stopping = threading.Event()
INTERRUPTED = (
    "The worker stopped while this job ran. Paragraphs it finished are kept; run it again "
    "for the rest."
)
ABANDONED = (
    "The worker running this job ended without finishing it (killed, or out of memory). "
    "Paragraphs it finished are kept; run it again for the rest."
)

#: The last pipeline loaded by this worker process, by (setting, version): loading a large
#: pipeline takes seconds, and most jobs use the same one.
_loaded: dict[tuple[str, str], LoadedPipeline] = {}
#: spaCy does not promise that one pipeline may run in two threads at once: with
#: WORKER_THREADS above 1, jobs share the database work but take turns at the model.
_model_lock = threading.Lock()


def run_job_in_app(app: Flask, job_id: int) -> None:
    """The task the queue runs: one job, in the app's context, with a session of its own."""
    with app.app_context():
        try:
            run_job(db.session, job_id)
        finally:
            db.session.remove()


def run_job(session: DbSession, job_id: int) -> None:
    """Run a queued job; a job another worker took, or that is gone, is left alone."""
    if not _claim(session, job_id):
        log.info("pipeline job %s is not queued any more; skipped", job_id)
        return
    job = session.get(PipelineJob, job_id)
    assert job is not None
    _running.add(job_id)
    try:
        _run(session, job)
    except Interrupted:
        session.rollback()
        log.warning("pipeline job %s interrupted by the worker's shutdown", job_id)
        _fail(session, job_id, INTERRUPTED)
    except Exception as exc:  # the job fails visibly, whatever spaCy or the database raised
        session.rollback()
        log.exception("pipeline job %s failed", job_id)
        _fail(session, job_id, _message(exc))
    finally:
        _running.discard(job_id)


def request_stop() -> None:
    """The worker got a stop signal: running jobs end at their next batch, marked so."""
    _stopping.set()


def mark_interrupted(app: Flask) -> None:
    """At the worker's exit, for a job that did not reach a batch boundary in time: it will
    not finish, so say so on its page."""
    if not _running:
        return
    with app.app_context():
        session = db.session
        for job_id in list(_running):
            log.warning("pipeline job %s interrupted by the worker's shutdown", job_id)
            _fail(session, job_id, INTERRUPTED)
        db.session.remove()


def _claim(session: DbSession, job_id: int) -> bool:
    """queued -> running in one UPDATE, so two workers never run one job."""
    claimed = session.execute(
        update(PipelineJob)
        .where(PipelineJob.id == job_id, PipelineJob.status == JobStatus.QUEUED.value)
        .values(status=JobStatus.RUNNING.value, started_at=utcnow(), worker=worker_id())
    )
    session.commit()
    return bool(getattr(claimed, "rowcount", 0))


def worker_id() -> str:
    """This worker process: host and pid."""
    return f"{socket.gethostname()}:{os.getpid()}"


def fail_abandoned(session: DbSession) -> int:
    """Fail the running jobs of workers on this host that no longer exist; how many.

    Only this host's processes can be checked, so with workers on several hosts each one
    clears what its own host left behind when it starts.
    """
    host = socket.gethostname()
    query = select(PipelineJob.id, PipelineJob.worker).where(
        PipelineJob.status == JobStatus.RUNNING.value, PipelineJob.worker.like(f"{host}:%")
    )
    gone = [job_id for job_id, worker in session.execute(query) if not _alive(worker or "", host)]
    for job_id in gone:
        log.warning("pipeline job %s abandoned by a worker that is gone", job_id)
        _fail(session, job_id, ABANDONED)
    return len(gone)


def _alive(worker: str, host: str) -> bool:
    """Whether the process named host:pid still runs (an unreadable pid counts as alive)."""
    pid = worker[len(host) + 1 :]
    if not pid.isdigit():
        return True
    try:
        os.kill(int(pid), 0)
    except ProcessLookupError:
        return False
    except PermissionError:  # another user's process
        return True
    return True


def _run(session: DbSession, job: PipelineJob) -> None:
    project = session.get(Project, job.project_id)
    assert project is not None
    pipeline = load_pipeline(job.pipeline)
    labels = label_map(
        entity_labels(project.label_schema), (project.settings or {}).get("pipeline_labels") or {}
    )
    cache = cache_version(pipeline, labels)
    todo = uncached_paragraphs(session, project, pipeline.source, cache)
    job.model_version = pipeline.version
    job.paragraphs = _content_paragraphs(session, project)
    job.cached = job.paragraphs - len(todo)
    session.commit()
    dropped: Counter[str] = Counter()
    for batch in _batches(todo, BATCH):
        if _stopping.is_set():
            raise Interrupted
        found = predict(pipeline.nlp, [text for _, text in batch], labels)
        job.suggestions += _store(session, pipeline, cache, [pid for pid, _ in batch], found)
        job.computed += len(batch)
        for mapped in found:
            dropped.update(mapped.dropped)
        job.dropped = dict(dropped)
        session.commit()
    job.status, job.finished_at = JobStatus.DONE.value, utcnow()
    session.commit()
    log.info(
        "pipeline job %s done: %s %s, %d computed, %d cached, %d suggestions",
        job.id, pipeline.source, pipeline.version, job.computed, job.cached, job.suggestions,
    )  # fmt: skip


def _fail(session: DbSession, job_id: int, message: str) -> None:
    session.execute(
        update(PipelineJob)
        .where(PipelineJob.id == job_id)
        .values(status=JobStatus.FAILED.value, error=message, finished_at=utcnow())
    )
    session.commit()


def _message(exc: Exception) -> str:
    text = str(exc) if isinstance(exc, PipelineError) else f"{type(exc).__name__}: {exc}"
    return text[:MAX_ERROR]


# --- loading ------------------------------------------------------------------------------


def load_pipeline(setting: str) -> LoadedPipeline:
    """The pipeline a setting names (a package or a folder), loaded once per version."""
    with _model_lock:
        return _load_pipeline(setting)


def _load_pipeline(setting: str) -> LoadedPipeline:
    folder = pipeline_folder(setting)
    digest = folder_digest(folder)
    cached = next((p for (s, _), p in _loaded.items() if s == setting), None)
    if cached is not None and cached.version.endswith(digest):
        return cached
    nlp = _spacy_load(setting, folder)
    version = f"{str(nlp.meta.get('version') or '0.0.0')[:60]}+{digest}"
    loaded = LoadedPipeline(nlp, pipeline_name(setting), version)
    _loaded.clear()
    _loaded[(setting, version)] = loaded
    return loaded


def looks_like_path(setting: str) -> bool:
    return "/" in setting or os.sep in setting or setting.startswith((".", "~"))


def pipeline_name(setting: str) -> str:
    """The NAME of "model:NAME": a package's name, or a folder's own name."""
    name = Path(setting).expanduser().name if looks_like_path(setting) else setting
    return name[: MAX_SOURCE - len(SOURCE_PREFIX)]


def pipeline_folder(setting: str) -> Path:
    """Where the pipeline's files are: the folder named, or the installed package's."""
    if looks_like_path(setting):
        folder = Path(setting).expanduser()
        if not folder.is_dir():
            raise PipelineError(f"There is no folder {setting!r} on the worker's machine.")
        return folder
    import spacy.util

    if not spacy.util.is_package(setting):
        raise PipelineError(
            f"{setting!r} is neither an installed spaCy pipeline package nor a folder path."
        )
    return Path(spacy.util.get_package_path(setting))


def folder_digest(folder: Path) -> str:
    """A digest of every file's name and content: a retrained pipeline gets a new one."""
    digest = hashlib.sha256()
    files = (p for p in folder.rglob("*") if p.is_file() and "__pycache__" not in p.parts)
    for path in sorted(files):
        digest.update(str(path.relative_to(folder)).encode("utf-8", "surrogateescape") + b"\0")
        with path.open("rb") as handle:
            for chunk in iter(lambda: handle.read(1 << 20), b""):
                digest.update(chunk)
    return digest.hexdigest()[:12]


def _spacy_load(setting: str, folder: Path) -> Any:
    import spacy

    try:
        return spacy.load(folder if looks_like_path(setting) else setting)
    except Exception as exc:  # spaCy raises OSError, ValueError, config and registry errors
        raise PipelineError(f"The pipeline {setting!r} could not be loaded: {exc}") from exc


# --- running ------------------------------------------------------------------------------


def cache_version(pipeline: LoadedPipeline, labels: dict[str, str]) -> str:
    """What a cached paragraph must have been computed with: this model version and this
    label mapping (a new mapping, or a renamed schema label, maps entities differently)."""
    mapping = json.dumps(sorted(labels.items()), ensure_ascii=False).encode("utf-8")
    return f"{pipeline.version}/{hashlib.sha256(mapping).hexdigest()[:8]}"


def uncached_paragraphs(
    session: DbSession, project: Project, source: str, cache: str
) -> list[tuple[int, str]]:
    """Content paragraphs not yet computed by this source at this cache version: (id, text)."""
    seen = and_(
        ModelParagraph.paragraph_id == Paragraph.id,
        ModelParagraph.source == source,
        ModelParagraph.model_version == cache,
    )
    query = (
        select(Paragraph.id, Paragraph.text)
        .join(Article, Paragraph.article_id == Article.id)
        .outerjoin(ModelParagraph, seen)
        .where(
            Article.project_id == project.id,
            Paragraph.is_boilerplate.is_(False),
            ModelParagraph.paragraph_id.is_(None),
        )
        .order_by(Paragraph.id)
    )
    return [(pid, text) for pid, text in session.execute(query)]


def _content_paragraphs(session: DbSession, project: Project) -> int:
    query = (
        select(func.count())
        .select_from(Paragraph)
        .join(Article, Paragraph.article_id == Article.id)
        .where(Article.project_id == project.id, Paragraph.is_boilerplate.is_(False))
    )
    return session.scalar(query) or 0


def predict(nlp: Any, texts: Sequence[str], labels: dict[str, str]) -> list[Mapped]:
    """The pipeline's entities in each text, mapped into the schema."""
    with _model_lock:
        docs = list(nlp.pipe(texts))
    return [
        map_entities(((e.start_char, e.end_char, e.label_) for e in doc.ents), labels)
        for doc in docs
    ]


def _store(
    session: DbSession, pipeline: LoadedPipeline, cache: str, ids: list[int], found: list[Mapped]
) -> int:
    """Replace the model's suggestions in these paragraphs and remember they are done."""
    items = [
        SuggestedSpan(pid, SuggestionLayer.ENTITY.value, e.label, e.start, e.end)
        for pid, mapped in zip(ids, found, strict=True)
        for e in mapped.entities
    ]
    replace_suggestions(session, ids, pipeline.source, items, model_version=pipeline.version)
    _mark_cached(session, ids, pipeline.source, cache)
    return len(items)


def _mark_cached(session: DbSession, ids: list[int], source: str, cache: str) -> None:
    rows = [
        {
            "paragraph_id": pid,
            "source": source,
            "model_version": cache,
            "computed_at": utcnow(),
        }
        for pid in ids
    ]
    insert = upsert_insert(session.get_bind().dialect.name)
    statement = insert(ModelParagraph).values(rows)
    session.execute(
        statement.on_conflict_do_update(
            index_elements=["paragraph_id", "source"],
            set_={
                "model_version": statement.excluded.model_version,
                "computed_at": statement.excluded.computed_at,
            },
        )
    )


def _batches(items: Sequence[tuple[int, str]], size: int) -> Iterator[list[tuple[int, str]]]:
    iterator = iter(items)
    while batch := list(islice(iterator, size)):
        yield batch
