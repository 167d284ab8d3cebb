"""A spaCy pipeline trained here from our own export suggests entities through the real
background worker (`annotator worker` in its own process, huey on a SQLite file): cached per
paragraph and model version, recomputed for a new version, failures shown to the admin."""

from __future__ import annotations

from collections.abc import Iterator
from io import BytesIO
from pathlib import Path

import pytest
from flask import Flask
from flask.testing import FlaskClient

from annotator.models import JobStatus
from tests.admin_support import post
from tests.api_helpers import api_for
from tests.conftest import Auth, import_text
from tests.pipeline_support import (
    ENTITIES,
    FOREIGN,
    PARAGRAPHS,
    annotated_article,
    jobs,
    model_suggestions,
    run_now,
    running_worker,
    save_settings,
    spacy_export,
    train_pipeline,
    wait_for_job,
)


@pytest.fixture(scope="module")
def worker(migrated: str, tmp_path_factory: pytest.TempPathFactory) -> Iterator[tuple[str, Path]]:
    """One worker process for the module, on the test database and a queue file of its own;
    yields the queue URL and the worker's log."""
    folder = tmp_path_factory.mktemp("worker")
    queue = f"sqlite:///{folder / 'queue.sqlite3'}"
    with running_worker(migrated, queue, folder / "worker.log"):
        yield queue, folder / "worker.log"


@pytest.fixture
def admin(app: Flask, worker: tuple[str, Path], client: FlaskClient, auth: Auth) -> FlaskClient:
    """An admin's client on an app whose queue is the worker's."""
    app.config["QUEUE_URL"] = worker[0]
    auth.login("admin")
    return client


@pytest.fixture
def annotated(app: Flask, users: dict[str, int]) -> list[int]:
    """The article, annotated by anna through the API (another client than the admin's)."""
    anna = app.test_client()
    return annotated_article(app, api_for(anna, Auth(anna)))


def test_trained_pipeline_suggests_through_the_worker_cached_then_recomputed_per_version(
    app: Flask, admin: FlaskClient, annotated: list[int], worker: tuple[str, Path], tmp_path: Path
) -> None:
    model = tmp_path / "talks-ner"
    train_pipeline(spacy_export(app), model, version="0.0.1")

    assert save_settings(admin, str(model)).status_code == 302
    first = wait_for_job(app, jobs(app)[-1].id, worker[1])
    assert (first.status, first.error, first.reason) == ("done", None, "settings")
    assert (first.paragraphs, first.computed, first.cached) == (4, 4, 0)
    assert first.suggestions == ENTITIES
    assert first.dropped == {FOREIGN[1]: 1}, "a label outside the schema is dropped and counted"
    assert first.model_version and first.model_version.startswith("0.0.1+")

    stored = model_suggestions(app, "model:talks-ner")
    assert len(stored) == ENTITIES
    assert {s.model_version for s in stored} == {first.model_version}
    texts = dict(zip(annotated, (text for text, _ in PARAGRAPHS), strict=True))
    assert all(texts[s.paragraph_id][s.start : s.end] == s.text for s in stored)
    found = {(s.paragraph_id, s.start, s.end, s.label, s.text) for s in stored}
    assert (annotated[1], 3, 14, "PERSON", "Cho Tae-yul") in found, "after 👍🏽: code points"
    assert (annotated[2], 0, 2, "PERSON", "王毅") in found
    assert (annotated[2], 27, 34, "GPE", "Beijing") in found, "before 🇨🇳"

    assert run_now(admin).status_code == 302
    again = wait_for_job(app, jobs(app)[-1].id, worker[1])
    assert (again.status, again.reason, again.computed, again.cached) == ("done", "manual", 0, 4)
    assert [s.id for s in model_suggestions(app, "model:talks-ner")] == [s.id for s in stored]

    train_pipeline(spacy_export(app), model, version="0.0.2", seed=1)
    assert run_now(admin).status_code == 302
    newer = wait_for_job(app, jobs(app)[-1].id, worker[1])
    assert (newer.status, newer.computed, newer.cached) == ("done", 4, 0)
    assert newer.model_version and newer.model_version.startswith("0.0.2+")
    refreshed = model_suggestions(app, "model:talks-ner")
    assert {s.model_version for s in refreshed} == {newer.model_version}

    page = admin.get("/admin/projects/default/edit").get_data(as_text=True)
    assert "Run suggestions now" in page and "WEEKDAY × 1" in page

    assert save_settings(admin, str(model), "WEEKDAY = DATE").status_code == 302
    mapped = wait_for_job(app, jobs(app)[-1].id, worker[1])
    assert (mapped.reason, mapped.computed, mapped.dropped) == ("settings", 4, {})
    dates = [s.text for s in model_suggestions(app, "model:talks-ner") if s.label == "DATE"]
    assert dates == ["Tuesday"], "a new label mapping recomputes: cached per mapping too"


def test_imported_articles_get_suggestions_for_their_new_paragraphs_only(
    app: Flask, admin: FlaskClient, annotated: list[int], worker: tuple[str, Path], tmp_path: Path
) -> None:
    model = tmp_path / "talks-ner"
    train_pipeline(spacy_export(app), model, version="1.0.0")
    save_settings(admin, str(model))
    wait_for_job(app, jobs(app)[-1].id, worker[1])

    upload = b"Follow-up\n\nWang Yi praised Seoul again.\n"
    response = post(
        admin,
        "/admin/projects/default/import",
        {"files": (BytesIO(upload), "follow-up.txt")},
        content_type="multipart/form-data",
    )
    assert response.status_code == 200
    imported = wait_for_job(app, jobs(app)[-1].id, worker[1])
    assert (imported.reason, imported.status) == ("import", "done")
    assert (imported.computed, imported.cached) == (1, 4)


def test_a_pipeline_that_does_not_load_fails_its_job_with_the_reason_for_the_admin(
    app: Flask, admin: FlaskClient, worker: tuple[str, Path], tmp_path: Path
) -> None:
    import_text(app, "one.txt", "Title\n\nWang Yi praised Seoul.\n")
    empty = tmp_path / "not-a-model"
    empty.mkdir()
    assert save_settings(admin, str(empty)).status_code == 302
    failed = wait_for_job(app, jobs(app)[-1].id, worker[1])
    assert failed.status == JobStatus.FAILED
    assert failed.error and "could not be loaded" in failed.error and str(empty) in failed.error

    save_settings(admin, "no_such_pipeline_package")
    missing = wait_for_job(app, jobs(app)[-1].id, worker[1])
    assert missing.error == (
        "'no_such_pipeline_package' is neither an installed spaCy pipeline package nor a "
        "folder path."
    )
    page = admin.get("/admin/projects/default/edit").get_data(as_text=True)
    assert "neither an installed spaCy pipeline package" in page
    assert 'class="status job-failed"' in page


def test_a_stopping_worker_ends_the_job_between_batches_and_a_rerun_does_the_rest(
    app: Flask, annotated: list[int], tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """In-process, so the stop lands at a known point: after the first batch of two."""
    from annotator.extensions import db
    from annotator.models import Project
    from annotator.pipelines import runner
    from annotator.pipelines.jobs import Reason, schedule

    model = tmp_path / "talks-ner"
    train_pipeline(spacy_export(app), model, version="0.1.0")
    monkeypatch.setattr(runner, "BATCH", 2)
    predict = runner.predict

    def predict_then_stop(*args: object) -> object:
        found = predict(*args)  # type: ignore[arg-type]
        runner.request_stop()  # as the consumer does on SIGTERM or Ctrl-C
        return found

    monkeypatch.setattr(runner, "predict", predict_then_stop)
    with app.app_context():
        project = db.session.scalars(db.select(Project)).one()
        project.settings = {**project.settings, "pipeline": str(model)}
        first = schedule(db.session, project, Reason.MANUAL, None)
        db.session.commit()
        assert first is not None
        try:
            runner.run_job(db.session, first.id)
        finally:
            runner._stopping.clear()
        db.session.refresh(first)
        assert (first.status, first.computed, first.error) == ("failed", 2, runner.INTERRUPTED)
        monkeypatch.setattr(runner, "predict", predict)
        second = schedule(db.session, project, Reason.MANUAL, None)
        db.session.commit()
        assert second is not None
        runner.run_job(db.session, second.id)
        db.session.refresh(second)
        assert (second.status, second.computed, second.cached) == ("done", 2, 2)
    assert len(model_suggestions(app, "model:talks-ner")) == ENTITIES
