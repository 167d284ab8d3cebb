"""A save that meets long work holding the database: the page says the database is busy,
keeps the change and retries it until it is stored (tests/test_database_busy.py has the
server's side: 503 "busy", nothing stored)."""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from flask import Flask
from playwright.sync_api import Page, expect

from tests.browser.conftest import log_in
from tests.browser.workspace_helpers import (
    label_text,
    open_workspace,
    paragraph,
    saved_annotations,
)
from tests.conftest import app_on
from tests.test_database_busy import IMPATIENT, project_held_by_other_work


@pytest.fixture
def app(migrated: str) -> Iterator[Flask]:
    """The served app, waiting at most SHORT_WAIT_MS for a lock (so the test need not wait
    the default five seconds for its 503)."""
    with app_on(migrated, **IMPATIENT) as app:
        yield app


def test_a_save_refused_as_busy_is_kept_shown_and_stored_once_the_database_is_free(
    app: Flask, page: Page, users: dict[str, int], seed_article: int
) -> None:
    log_in(page, "anna")
    open_workspace(page, seed_article)

    with project_held_by_other_work(app):
        label_text(page, "Wang Yi", "1")
        expect(page.locator(".ws-save")).to_contain_text("Database busy with other work, retrying")
        expect(paragraph(page, "Wang Yi").locator(".ent")).to_have_text("Wang Yi")
        assert saved_annotations(app) == []

    expect(page.locator(".ws-save")).to_have_text("All changes saved", timeout=15_000)
    [saved] = saved_annotations(app)
    assert (saved.label, saved.end - saved.start) == ("PERSON", len("Wang Yi"))
