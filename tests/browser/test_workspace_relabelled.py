"""An admin renames a label while an annotator's page is open: the page's next save with
the old name is refused (422 unknown_label), and the page takes the project's labels and
saved annotations again, so the next try saves under the new name."""

from __future__ import annotations

from flask import Flask
from playwright.sync_api import Page, expect
from sqlalchemy import select

from annotator.extensions import db
from annotator.models import Annotation
from tests.admin_support import post
from tests.browser.conftest import log_in
from tests.browser.workspace_helpers import (
    label_text,
    open_workspace,
    paragraph,
    saved_annotations,
    wait_saved,
)
from tests.conftest import Auth


def labels_of(app: Flask) -> list[str]:
    with app.app_context():
        return list(db.session.scalars(select(Annotation.label).order_by(Annotation.id)))


def test_a_page_opened_before_a_rename_takes_the_new_labels_when_its_save_is_refused(
    app: Flask, page: Page, users: dict[str, int], seed_article: int
) -> None:
    log_in(page, "anna")
    open_workspace(page, seed_article)
    label_text(page, "Wang Yi", "1")
    wait_saved(page)
    assert labels_of(app) == ["PERSON"]

    admin = app.test_client()
    Auth(admin).login("admin")
    rename = {"kind": "entity", "old": "PERSON", "new": "OFFICIAL"}
    assert post(admin, "/admin/projects/default/labels/rename", rename).status_code == 302
    assert labels_of(app) == ["OFFICIAL"]  # relabelled on the server, not yet on the page

    label_text(page, "Cho Tae-yul", "1")  # still PERSON on this page
    expect(page.locator(".ws-message")).to_contain_text("The project's labels changed")
    expect(page.locator(".ws-legend")).to_contain_text("OFFICIAL")
    expect(page.locator(".ws-legend")).not_to_contain_text("PERSON")
    spans = paragraph(page, "Cho Tae-yul").locator(".ent")
    expect(spans).to_have_count(1)  # Wang Yi's, which the page now shows relabelled
    expect(spans).to_have_attribute("data-label-name", "OFFICIAL")
    assert len(saved_annotations(app)) == 1

    label_text(page, "Cho Tae-yul", "1")  # the same key, now the renamed label
    wait_saved(page)
    assert labels_of(app) == ["OFFICIAL", "OFFICIAL"]
