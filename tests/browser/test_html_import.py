"""In a real browser: an admin uploads saved web pages and reads the article text extracted
from them, in the import summary and on the article's page; markup in a page never runs."""

from __future__ import annotations

from pathlib import Path

import pytest
from playwright.sync_api import Dialog, Page, expect

from tests.browser.conftest import log_in

pytestmark = pytest.mark.browser

PAGES = Path(__file__).resolve().parents[1] / "data" / "boilerplate" / "html"
TITLE = "Port strike halts grain exports as talks stall"
FIRST = "(Meridian) -- Grain shipments from the country's three largest ports came to a halt"
HOSTILE = b"""<!doctype html><html><head><title>Council &lt;b&gt;vote&lt;/b&gt; night</title>
<script>alert('head')</script></head><body onload="alert('body')">
<article><h1>Council vote night</h1>
<p onclick="alert('p')">Councillors <b>approved</b> the plan after a <img src=x onerror="alert(1)">
long debate that ran past midnight, with 31 votes in favour.</p>
<p>Residents said they would watch closely how the money is spent &amp; reported.</p>
</article></body></html>"""


def test_admin_uploads_saved_pages_and_reads_the_extracted_paragraphs(
    page: Page, users: dict[str, int], tmp_path: Path
) -> None:
    dialogs: list[str] = []

    def refuse(dialog: Dialog) -> None:
        dialogs.append(dialog.message)
        dialog.dismiss()

    page.on("dialog", refuse)
    hostile = tmp_path / "council.html"
    hostile.write_bytes(HOSTILE)
    log_in(page, "admin")
    page.goto("/admin/projects/default/import")
    page.get_by_label("Files").set_input_files([str(PAGES / "wire-service.html"), str(hostile)])
    page.get_by_role("button", name="Import").click()

    summary = page.get_by_role("status")
    expect(summary).to_contain_text("2 articles added")
    expect(summary.get_by_role("link", name=TITLE)).to_be_visible()
    expect(summary).to_contain_text(FIRST)
    expect(summary).to_contain_text("Meridian · 2024-03-18")
    expect(summary).not_to_contain_text("Accept all cookies")
    expect(summary.get_by_role("link", name="Council vote night")).to_be_visible()
    expect(summary).to_contain_text("Councillors approved the plan after a long debate")

    summary.get_by_role("link", name=TITLE).click()
    expect(page.get_by_role("heading", name=TITLE)).to_be_visible()
    paragraphs = page.locator("ol.paragraphs li .text")
    expect(paragraphs.first).to_have_text(
        FIRST + " on Monday after dock workers walked out over pay, leaving dozens of bulk "
        "carriers waiting at anchor and traders scrambling to reroute cargoes."
    )
    expect(page.locator("ol.paragraphs")).not_to_contain_text("Most Read")
    assert dialogs == []
