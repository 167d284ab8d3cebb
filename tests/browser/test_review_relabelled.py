"""An admin renames a label while a reviewer's page is open: the reviewer's next gold save
with the old name is refused (422 unknown_label), and the page takes the project's labels
and the relabelled annotations again, so its forms offer the new name and the next try
saves."""

from __future__ import annotations

from flask import Flask
from playwright.sync_api import Page, expect

from tests.admin_support import post
from tests.browser.conftest import log_in
from tests.browser.test_review import CHO, annotate, gold
from tests.browser.workspace_helpers import select_text, wait_saved
from tests.conftest import Auth


def add_gold_entity(page: Page, needle: str, label: str) -> list[str]:
    """Select the needle, choose the label in the review's add form, save it; the labels
    the form offered."""
    select_text(page, needle)
    choice = page.locator(".rv-form select[name=label]")
    expect(choice).to_be_visible()
    offered = choice.locator("option").all_inner_texts()
    assert label in offered, offered
    choice.select_option(label)
    choice.press("Enter")
    return offered


def test_a_review_page_opened_before_a_rename_takes_the_new_labels_when_its_save_is_refused(
    app: Flask, page: Page, users: dict[str, int], seed_article: int
) -> None:
    annotate(app, "anna", seed_article, {CHO: "PERSON"})
    annotate(app, "bob", seed_article, {CHO: "PERSON"})
    log_in(page, "rita")
    page.goto(f"/review/articles/{seed_article}")
    expect(page.locator("body[data-ready=true]")).to_be_attached()
    cho = page.locator("tr.rv-row", has_text=CHO)
    expect(cho.locator(".rv-cell[data-annotator=anna]")).to_contain_text("PERSON")

    admin = app.test_client()
    Auth(admin).login("admin")
    rename = {"kind": "entity", "old": "ORG", "new": "AGENCY"}
    assert post(admin, "/admin/projects/default/labels/rename", rename).status_code == 302
    rename = {"kind": "entity", "old": "PERSON", "new": "OFFICIAL"}
    assert post(admin, "/admin/projects/default/labels/rename", rename).status_code == 302

    add_gold_entity(page, "Foreign Ministry", "ORG")  # this page still offers ORG
    message = page.locator(".ws-message")
    expect(message).to_contain_text("label 'ORG' is not an entity label of the project.")
    expect(message).to_contain_text("The project's labels changed")
    expect(page.locator("tr.rv-added")).to_have_count(0)  # the refused gold is gone
    expect(cho.locator(".rv-cell[data-annotator=anna]")).to_contain_text("OFFICIAL")
    assert gold(app) == []

    offered = add_gold_entity(page, "Foreign Ministry", "AGENCY")  # the new name, not the old
    assert "ORG" not in offered and "OFFICIAL" in offered
    expect(page.locator(".rv-form")).to_have_count(0)
    expect(page.locator("tr.rv-added")).to_have_count(1)
    wait_saved(page)
    assert gold(app) == [("entity", "Foreign Ministry", "AGENCY")]
