"""In a real browser: the import page sends its files in the background and shows how far
the upload got, then that the server is processing, then the server's answer in place."""

from __future__ import annotations

from pathlib import Path

import pytest
from flask import Flask
from playwright.sync_api import Page, expect

from tests.browser.conftest import log_in

pytestmark = pytest.mark.browser

# Records every phase the progress box shows, and marks the document: a navigation (a plain
# form post) would lose both.
WATCH_PHASES = """() => {
  window.sameDocument = true;
  window.phases = [];
  new MutationObserver((changes) => {
    for (const change of changes) window.phases.push(change.target.dataset.phase);
  }).observe(document.body, { subtree: true, attributeFilter: ["data-phase"] });
}"""


def _article(tmp_path: Path, paragraphs: int) -> Path:
    body = "\n\n".join(
        f"Paragraph {n} of the harbour report, with enough words in it to read as prose "
        "about the council, the port and the money that was spent there last year."
        for n in range(paragraphs)
    )
    path = tmp_path / "harbour.txt"
    path.write_text(f"Harbour report\n\n{body}\n", encoding="utf-8")
    return path


def test_upload_shows_progress_then_the_summary_in_place(
    page: Page, users: dict[str, int], tmp_path: Path
) -> None:
    log_in(page, "admin")
    page.goto("/admin/projects/default/import")
    page.evaluate(WATCH_PHASES)
    page.get_by_label("Files").set_input_files(str(_article(tmp_path, 2000)))  # about 300 kB
    page.get_by_role("button", name="Import").click()

    expect(page.get_by_role("status")).to_contain_text("1 article added")
    assert page.evaluate("window.sameDocument") is True
    phases = page.evaluate("window.phases")
    assert phases[0] == "uploading"
    assert "processing" in phases
    assert phases[-1] == "done"
    expect(page).to_have_title("Import · Default project · annotator")


def test_a_refused_file_shows_its_error_and_the_form_still_sends_in_place(
    page: Page, users: dict[str, int], tmp_path: Path
) -> None:
    bad = tmp_path / "broken.jsonl"
    bad.write_text('{"title": "no closing brace"\n', encoding="utf-8")
    log_in(page, "admin")
    page.goto("/admin/projects/default/import")
    page.evaluate(WATCH_PHASES)
    page.get_by_label("Files").set_input_files(str(bad))
    page.get_by_role("button", name="Import").click()

    expect(page.locator("form[data-upload]")).to_contain_text("invalid JSON")
    expect(page.locator("form[data-upload]")).to_contain_text("nothing was imported")
    page.get_by_label("Files").set_input_files(str(_article(tmp_path, 3)))
    page.get_by_role("button", name="Import").click()
    expect(page.get_by_role("status")).to_contain_text("1 article added")
    assert page.evaluate("window.sameDocument") is True


def test_files_past_the_upload_limit_are_refused_before_they_are_sent(
    app: Flask, page: Page, users: dict[str, int], tmp_path: Path
) -> None:
    """The server refuses a body past its limit only once it has it, and its bare 413 page
    took the form's place; the page now says so first, and keeps the form."""
    app.config["MAX_CONTENT_LENGTH"] = 100_000
    log_in(page, "admin")
    page.goto("/admin/projects/default/import")
    expect(page.locator("form[data-upload]")).to_contain_text("Up to 0.1 MB in one upload")
    page.evaluate(WATCH_PHASES)
    page.get_by_label("Files").set_input_files(str(_article(tmp_path, 2000)))  # about 300 kB
    page.get_by_role("button", name="Import").click()

    expect(page.locator(".upload-text")).to_contain_text("one upload holds at most 0.1 MB")
    assert page.evaluate("window.phases") == ["refused"]
    expect(page.get_by_role("button", name="Import")).to_be_enabled()
    assert page.evaluate("window.sameDocument") is True
