"""The project's spaCy pipeline on the admin pages: the setting, its label mapping, "Run
suggestions now", the job list, and what happens when the queue cannot be reached. No worker
runs here: these tests look at the jobs and at the messages left on the queue."""

from __future__ import annotations

from pathlib import Path

import pytest
from flask import Flask
from flask.testing import FlaskClient

from annotator.pipelines.queue import get_queue
from tests.admin_support import last_audit, project
from tests.conftest import Auth, csrf_token, import_text
from tests.pipeline_support import jobs, run_now, save_settings


@pytest.fixture
def admin(app: Flask, client: FlaskClient, auth: Auth, tmp_path: Path) -> FlaskClient:
    """An admin's client; the queue is a SQLite file of this test's own."""
    app.config["QUEUE_URL"] = f"sqlite:///{tmp_path / 'queue.sqlite3'}"
    auth.login("admin")
    return client


def pending(app: Flask) -> int:
    return int(get_queue(app).pending_count())


def test_naming_a_pipeline_queues_a_job_for_the_worker_and_the_page_shows_it(
    app: Flask, admin: FlaskClient
) -> None:
    response = save_settings(admin, "en_core_web_sm", "PER = PERSON")
    assert response.status_code == 302
    settings = project(app).settings
    assert (settings["pipeline"], settings["pipeline_labels"]) == (
        "en_core_web_sm",
        {"PER": "PERSON"},
    )
    [job] = jobs(app)
    assert (job.status, job.reason, job.pipeline) == ("queued", "settings", "en_core_web_sm")
    assert pending(app) == 1, "the job's id is on the queue, for the worker"
    page = admin.get("/admin/projects/default/edit").get_data(as_text=True)
    assert "The background worker will load the pipeline" in page
    assert 'class="status job-queued"' in page and "PER = PERSON" in page
    state = admin.get("/admin/projects/default/suggestions/jobs").get_json()
    assert [(j["id"], j["status"]) for j in state["jobs"]] == [(job.id, "queued")]


def test_saving_the_same_pipeline_again_queues_nothing_and_run_now_reuses_a_waiting_job(
    app: Flask, admin: FlaskClient
) -> None:
    save_settings(admin, "en_core_web_sm", "PER = PERSON")
    save_settings(admin, "en_core_web_sm", "PER = PERSON")
    assert len(jobs(app)) == 1
    assert run_now(admin).status_code == 302
    assert [j.reason for j in jobs(app)] == ["settings"], "one job still waits: no second one"
    entry = last_audit(app)
    assert (entry.action, entry.after) == (
        "project.suggestions_run",
        {"job": jobs(app)[0].id, "pipeline": "en_core_web_sm"},
    )


def test_removing_the_pipeline_queues_nothing(app: Flask, admin: FlaskClient) -> None:
    save_settings(admin, "")
    assert jobs(app) == [] and "pipeline" not in project(app).settings


def test_run_now_without_a_pipeline_says_to_name_one(app: Flask, admin: FlaskClient) -> None:
    response = run_now(admin)
    assert response.status_code == 302
    assert response.headers["Location"] == "/admin/projects/default/edit"
    assert "Name a spaCy pipeline in the settings first." in admin.get(
        response.headers["Location"]
    ).get_data(as_text=True)
    assert jobs(app) == []


def test_a_bad_label_mapping_or_setting_is_a_400_naming_the_problem(
    app: Flask, admin: FlaskClient
) -> None:
    response = save_settings(admin, "en_core_web_sm", "PER = PERSON\nLOC = PLACE")
    assert response.status_code == 400
    assert "Line 2: &#39;PLACE&#39; is not an entity label of the schema." in response.get_data(
        as_text=True
    )
    response = save_settings(admin, "models/ner\nrm -rf")
    assert response.status_code == 400
    assert "No control characters or line breaks." in response.get_data(as_text=True)
    assert jobs(app) == [] and "pipeline" not in project(app).settings


def test_an_unreachable_queue_fails_the_job_with_the_reason_not_a_500(
    app: Flask, admin: FlaskClient
) -> None:
    app.config["QUEUE_URL"] = "redis://127.0.0.1:1/0"  # nothing listens on port 1
    response = save_settings(admin, "en_core_web_sm")
    assert response.status_code == 302
    [job] = jobs(app)
    assert job.status == "failed" and job.error
    assert job.error.startswith("The task queue could not be reached:")
    page = admin.get("/admin/projects/default/edit").get_data(as_text=True)
    assert "The task queue could not be reached" in page
    assert project(app).settings["pipeline"] == "en_core_web_sm", "the setting itself is saved"


def test_importing_articles_into_a_project_with_a_pipeline_queues_a_job(
    app: Flask, admin: FlaskClient, tmp_path: Path
) -> None:
    save_settings(admin, "en_core_web_sm")
    queued = jobs(app)[0]
    article = tmp_path / "new.txt"
    article.write_text("New\n\nWang Yi praised Seoul.\n", encoding="utf-8")
    runner = app.test_cli_runner()
    result = runner.invoke(args=["import", str(article)])
    assert result.exit_code == 0, result.output
    assert f"(job {queued.id})" in result.output, "the waiting job covers the new article"
    import_text(app, "other.txt", "Other\n\nSeoul replied.\n")  # no pipeline run: a service
    assert len(jobs(app)) == 1


def test_only_admins_run_pipelines_or_see_their_jobs(
    app: Flask, client: FlaskClient, auth: Auth
) -> None:
    auth.login("anna")
    token = csrf_token(client, "/profile/")
    run = client.post("/admin/projects/default/suggestions/run", data={"csrf_token": token})
    assert run.status_code == 403
    assert client.get("/admin/projects/default/suggestions/jobs").status_code == 403
    assert jobs(app) == []


def test_run_now_needs_the_csrf_token(app: Flask, admin: FlaskClient) -> None:
    assert admin.post("/admin/projects/default/suggestions/run").status_code == 400
    assert jobs(app) == []


def test_the_settings_page_renders_a_job_error_as_text(app: Flask, admin: FlaskClient) -> None:
    from annotator.extensions import db
    from annotator.models import PipelineJob

    save_settings(admin, "en_core_web_sm")
    with app.app_context():
        job = db.session.get(PipelineJob, jobs(app)[0].id)
        assert job is not None
        job.status, job.error = "failed", "<img src=x onerror=alert(1)>"
        db.session.commit()
    page = admin.get("/admin/projects/default/edit").get_data(as_text=True)
    assert "<img src=x" not in page and "&lt;img src=x onerror=alert(1)&gt;" in page
