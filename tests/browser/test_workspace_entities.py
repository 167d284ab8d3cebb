"""Tagging entities in a real browser: select, label, reload, change, delete, undo."""

from flask import Flask
from playwright.sync_api import Page, expect

from tests.browser.conftest import log_in
from tests.browser.workspace_helpers import (
    open_workspace,
    paragraph,
    saved_annotations,
    select_text,
    wait_saved,
)

CHO = "Cho Tae-yul"


def test_tag_a_person_reload_change_delete_and_undo(
    app: Flask, page: Page, users: dict[str, int], seed_article: int
) -> None:
    log_in(page, "anna")
    open_workspace(page, seed_article)
    expect(page.locator(".ws-status")).to_have_text("not started")

    select_text(page, "ho Tae-yu")  # half words snap to "Cho Tae-yul"
    expect(page.locator(".picker")).to_be_visible()
    page.keyboard.press("1")
    span = paragraph(page, CHO).locator(".ent")
    expect(span).to_have_text(CHO)
    expect(span).to_have_attribute("data-label-name", "PERSON")
    wait_saved(page)
    expect(page.locator(".ws-status")).to_have_text("in progress")
    [saved] = saved_annotations(app)
    assert (saved.layer, saved.label) == ("entity", "PERSON")
    assert (saved.start, saved.end) == (31, 42)  # "Cho Tae-yul" in code points

    page.reload()
    expect(page.locator("body[data-ready=true]")).to_be_attached()
    span = paragraph(page, CHO).locator(".ent")
    expect(span).to_have_text(CHO)

    span.click()
    page.locator(".span-menu").get_by_role("button", name="ORG").click()
    expect(span).to_have_attribute("data-label-name", "ORG")
    wait_saved(page)
    assert [a.label for a in saved_annotations(app)] == ["ORG"]

    span.click()
    page.keyboard.press("Delete")
    expect(paragraph(page, CHO).locator(".ent")).to_have_count(0)
    wait_saved(page)
    assert saved_annotations(app) == []

    page.keyboard.press("Control+z")
    expect(paragraph(page, CHO).locator(".ent")).to_have_text(CHO)
    wait_saved(page)
    [restored] = saved_annotations(app)
    assert restored.label == "ORG"
    page.keyboard.press("Control+z")  # undo the label change
    expect(paragraph(page, CHO).locator(".ent")).to_have_attribute("data-label-name", "PERSON")
    page.keyboard.press("Control+Shift+z")
    expect(paragraph(page, CHO).locator(".ent")).to_have_attribute("data-label-name", "ORG")
    wait_saved(page)
    assert [a.label for a in saved_annotations(app)] == ["ORG"]


def test_tag_with_the_keyboard_only(
    app: Flask, page: Page, users: dict[str, int], seed_article: int
) -> None:
    log_in(page, "anna")
    open_workspace(page, seed_article)
    page.keyboard.press("j")
    expect(page.locator(".para.focused")).to_contain_text("(Bloomberg) -- The top")
    page.keyboard.press("ArrowRight")  # the caret on the first word
    page.keyboard.press("Enter")
    expect(page.locator(".picker")).to_be_visible()
    page.keyboard.press("3")
    expect(page.locator(".para.focused .ent")).to_have_text("Bloomberg")
    wait_saved(page)
    expect(page.locator(".ws-status")).to_have_text("in progress")
    [saved] = saved_annotations(app)
    assert (saved.start, saved.end, saved.label) == (1, 10, "ORG")
