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


ARABIC = "قال الرئيس محمد بن سلمان إن المحادثات ستستمر."


def test_a_right_to_left_name_keeps_its_label_beside_it(
    app: Flask, page: Page, users: dict[str, int]
) -> None:
    """The label chip of an Arabic name was drawn after the next word: bidi reordering
    split the span's box, its chip on one side of "الرئيس" and its text on the other."""
    from tests.conftest import import_text

    article = import_text(app, "rtl.txt", f"Talks\n{ARABIC}\n")
    log_in(page, "anna")
    open_workspace(page, article)
    select_text(page, "محمد بن سلمان")
    page.keyboard.press("1")
    span = paragraph(page, "الرئيس").locator(".ent")
    expect(span).to_have_text("محمد بن سلمان")
    wait_saved(page)
    [saved] = saved_annotations(app)
    assert ARABIC[saved.start : saved.end] == "محمد بن سلمان"
    # One box: the name and its chip side by side, nothing of the paragraph between them.
    assert span.evaluate("node => node.getClientRects().length") == 1
    # The paragraph reads right to left: its first word starts at the right edge.
    first, edge = paragraph(page, "الرئيس").locator(".para-text").evaluate(FIRST_WORD_RIGHT)
    assert abs(first - edge) < 4, (first, edge)


FIRST_WORD_RIGHT = """node => {
  const range = document.createRange();
  range.setStart(node.firstChild, 0);
  range.setEnd(node.firstChild, 3);
  return [range.getBoundingClientRect().right, node.getBoundingClientRect().right];
}"""
