"""Helpers for the spaCy pipeline tests: an annotated article with emoji and CJK, a tiny NER
pipeline trained from our own spaCy export (nothing is downloaded), the settings form, and
waiting for the background worker."""

from __future__ import annotations

import json
import os
import random
import re
import subprocess
import time
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

from flask import Flask
from flask.testing import FlaskClient
from sqlalchemy import select

from annotator.export.filters import parse_filters
from annotator.export.service import build_export
from annotator.extensions import db
from annotator.models import JobStatus, Paragraph, PipelineJob, Suggestion
from annotator.projects import ensure_default_project
from tests.admin_support import post
from tests.api_helpers import Api, span_of
from tests.conftest import import_text, make_config
from tests.live_server import annotator_command

#: Paragraphs and their entities; offsets after the emoji and in the CJK name are code
#: points (the browser counts 👍🏽 as four UTF-16 units, Python as two code points).
PARAGRAPHS = [
    ("Cho Tae-yul met Wang Yi in Beijing on Tuesday.", ["Cho Tae-yul", "Wang Yi", "Beijing"]),
    (
        "👍🏽 Cho Tae-yul said Seoul and Beijing would keep talking.",
        ["Cho Tae-yul", "Seoul", "Beijing"],
    ),
    ("王毅 welcomed Cho Tae-yul to Beijing 🇨🇳 warmly.", ["王毅", "Cho Tae-yul", "Beijing"]),
    ("Wang Yi praised Seoul.", ["Wang Yi", "Seoul"]),
]
LABELS = {"Cho Tae-yul": "PERSON", "Wang Yi": "PERSON", "王毅": "PERSON"}
#: A label the project's schema does not have: the worker drops and counts it.
FOREIGN = ("Tuesday", "WEEKDAY")
ENTITIES = sum(len(names) for _, names in PARAGRAPHS)


def label_of(name: str) -> str:
    return LABELS.get(name, "GPE")


def annotated_article(app: Flask, api: Api) -> list[int]:
    """Import the article, label its entities through the API; its paragraph ids."""
    content = "Talks in Beijing\n\n" + "\n\n".join(text for text, _ in PARAGRAPHS) + "\n"
    article_id = import_text(app, "talks.txt", content)
    with app.app_context():
        rows = db.session.execute(
            select(Paragraph.id, Paragraph.text)
            .where(Paragraph.article_id == article_id)
            .order_by(Paragraph.position)
        ).all()
    assert [text for _, text in rows] == [text for text, _ in PARAGRAPHS]
    for (pid, text), (_, names) in zip(rows, PARAGRAPHS, strict=True):
        for name in names:
            assert api.entity(pid, *span_of(text, name), label=label_of(name)).status_code == 201
    return [pid for pid, _ in rows]


def spacy_export(app: Flask) -> list[dict[str, Any]]:
    """The project's annotations through our own exporter, in the spaCy (Prodigy) format."""
    with app.app_context():
        project = ensure_default_project(db.session)
        export = build_export(db.session, project, parse_filters({"format": "spacy"}))
        data = b"".join(export.chunks).decode("utf-8")
    return [json.loads(line) for line in data.splitlines() if line.strip()]


def train_pipeline(tasks: list[dict[str, Any]], folder: Path, version: str, seed: int = 0) -> None:
    """A blank English pipeline with NER, fitted to the exported tasks (plus one entity of a
    label the schema lacks), saved to folder."""
    import spacy
    from spacy.training import Example

    spacy.util.fix_random_seed(seed)
    nlp = spacy.blank("en")
    nlp.add_pipe("ner")
    examples = [Example.from_dict(nlp.make_doc(t["text"]), _entities(t)) for t in tasks]
    optimizer = nlp.initialize(lambda: examples)
    for iteration in range(30):
        random.Random(seed + iteration).shuffle(examples)
        nlp.update(examples, sgd=optimizer)
    nlp.meta["version"] = version
    nlp.to_disk(folder)


def _entities(task: dict[str, Any]) -> dict[str, Any]:
    spans = [(s["start"], s["end"], s["label"]) for s in task["spans"]]
    word, label = FOREIGN
    if word in task["text"]:
        spans.append((*span_of(task["text"], word), label))
    return {"entities": spans}


REVISION = re.compile(r'name="revision" type="hidden" value="([0-9a-f]+)"')


def save_settings(client: FlaskClient, pipeline: str, labels: str = "") -> Any:
    """Submit the default project's settings form with this pipeline, as an admin would."""
    page = client.get("/admin/projects/default/edit").get_data(as_text=True)
    match = REVISION.search(page)
    assert match, "no revision on the settings page"
    form = {
        "name": "Default project",
        "slug": "default",
        "description": "",
        "guidelines": "",
        "snap_to_words": "y",
        "overlap": "1",
        "pipeline": pipeline,
        "pipeline_labels": labels,
        "revision": match.group(1),
    }
    return post(client, "/admin/projects/default/edit", form)


def run_now(client: FlaskClient) -> Any:
    return post(client, "/admin/projects/default/suggestions/run")


def jobs(app: Flask) -> list[PipelineJob]:
    with app.app_context():
        found = list(db.session.scalars(select(PipelineJob).order_by(PipelineJob.id)))
        db.session.expunge_all()
        return found


def wait_for_job(app: Flask, job_id: int, log: Path | None = None) -> PipelineJob:
    """The job once the worker has finished it (done or failed)."""
    deadline = time.monotonic() + 90
    while time.monotonic() < deadline:
        with app.app_context():
            job = db.session.get(PipelineJob, job_id)
            assert job is not None
            if job.status in (JobStatus.DONE, JobStatus.FAILED):
                db.session.expunge(job)
                return job
        time.sleep(0.2)
    raise AssertionError(f"job {job_id} did not finish: {log.read_text() if log else ''}")


def model_suggestions(app: Flask, source: str) -> list[Suggestion]:
    with app.app_context():
        query = select(Suggestion).where(Suggestion.source == source).order_by(Suggestion.id)
        found = list(db.session.scalars(query))
        db.session.expunge_all()
        return found


@contextmanager
def running_worker(database_url: str, queue_url: str, log: Path) -> Iterator[None]:
    """`annotator worker` in its own process on this database and queue; stopped (SIGTERM,
    which it takes as a graceful stop) afterwards."""
    env = {
        **os.environ,
        "ANNOTATOR_DATABASE_URL": database_url,
        "ANNOTATOR_SECRET_KEY": make_config(database_url)["SECRET_KEY"],
        "ANNOTATOR_QUEUE_URL": queue_url,
    }
    with log.open("wb") as output:
        process = subprocess.Popen(
            annotator_command("worker"), env=env, stdout=output, stderr=output
        )
    try:
        yield
    finally:
        process.terminate()
        assert process.wait(timeout=30) == 0, log.read_text()
