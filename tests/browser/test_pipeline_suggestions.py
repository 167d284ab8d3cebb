"""In a real browser, with the real background worker: an admin names a pipeline trained on
the project's export, watches the job finish on the settings page without a reload, runs it
again (all cached), and an annotator sees and accepts the model's ghost spans."""

from __future__ import annotations

from pathlib import Path

import pytest
from flask import Flask
from playwright.sync_api import Page, expect

from tests.api_helpers import api_for
from tests.browser.conftest import log_in
from tests.browser.workspace_helpers import open_workspace, saved_annotations, wait_saved
from tests.conftest import Auth
from tests.pipeline_support import annotated_article, running_worker, spacy_export, train_pipeline

pytestmark = pytest.mark.browser

#: The worker starts in its own interpreter and loads spaCy: allow for a slow machine.
WORKER_MS = 90_000


def test_admin_runs_a_trained_pipeline_and_an_annotator_accepts_its_suggestion(
    app: Flask, page: Page, users: dict[str, int], migrated: str, tmp_path: Path
) -> None:
    anna = app.test_client()
    paragraphs = annotated_article(app, api_for(anna, Auth(anna)))
    model = tmp_path / "talks-ner"
    train_pipeline(spacy_export(app), model, version="1.0.0")
    queue = f"sqlite:///{tmp_path / 'queue.sqlite3'}"
    app.config["QUEUE_URL"] = queue

    with running_worker(migrated, queue, tmp_path / "worker.log"):
        log_in(page, "admin")
        page.goto("/admin/projects/default/edit")
        page.get_by_label("spaCy pipeline for suggestions").fill(str(model))
        page.get_by_role("button", name="Save").click()
        expect(page.locator(".flash-success").last).to_contain_text("The background worker")
        page.evaluate("window.samePage = true")
        first = page.locator("tr[data-job]").first
        expect(first.locator(".status")).to_have_text("done", timeout=WORKER_MS)
        expect(first).to_contain_text("4 computed, 0 cached of 4")
        expect(first).to_contain_text("Dropped (label not in the schema): WEEKDAY × 1")
        assert page.evaluate("window.samePage") is True, "followed in place, not reloaded"

        page.get_by_role("button", name="Run suggestions now").click()
        expect(page.locator(".flash-success")).to_contain_text("Suggestions queued")
        again = page.locator("tr[data-job]").first
        expect(again.locator(".status")).to_have_text("done", timeout=WORKER_MS)
        expect(again).to_contain_text("0 computed, 4 cached of 4")

    page.get_by_role("button", name="Log out").click()
    log_in(page, "bob")
    article = _article_of(app, paragraphs[0])
    open_workspace(page, article)
    ghost = page.locator(".ghost[data-source='model:talks-ner']", has_text="王毅")
    expect(ghost).to_be_visible()
    ghost.focus()
    page.keyboard.press("a")
    wait_saved(page)
    accepted = [a for a in saved_annotations(app) if a.label == "PERSON" and a.start == 0]
    assert [
        (a.paragraph_id, a.end, a.source) for a in accepted if a.annotator_id == users["bob"]
    ] == [(paragraphs[2], 2, "model:talks-ner")]


def _article_of(app: Flask, paragraph_id: int) -> int:
    from annotator.extensions import db
    from annotator.models import Paragraph

    with app.app_context():
        paragraph = db.session.get(Paragraph, paragraph_id)
        assert paragraph is not None
        return paragraph.article_id
