"""Corpus learning in the browser: an admin sets how many articles make a repeated line
boilerplate, imports articles, reads what learning changed, and sees the footer marked."""

from __future__ import annotations

from pathlib import Path

from flask import Flask
from playwright.sync_api import Page, expect

from tests.browser.conftest import log_in

FOOTER = "The Gazette is delivered free to 40,000 homes every Thursday."


def article(path: Path, n: int) -> Path:
    path.write_text(
        f"Council story {n}\n"
        f"The council met on day {n} and voted on item {n} after a long debate in the chamber.\n"
        f"Residents who came to watch said the outcome on item {n} surprised them greatly.\n"
        f"{FOOTER}\n",
        encoding="utf-8",
    )
    return path


def test_an_admin_sets_the_threshold_imports_and_sees_the_footer_learned(
    app: Flask, page: Page, users: dict[str, int], tmp_path: Path
) -> None:
    log_in(page, "admin")
    page.goto("/admin/projects/default/edit")
    threshold = page.get_by_label("Learn boilerplate from lines repeated in at least")
    expect(threshold).to_have_value("3")
    threshold.fill("2")
    page.get_by_role("button", name="Save").click()
    expect(page.locator(".flash").first).to_contain_text("Project saved.")

    page.goto("/admin/projects/default/import")
    files = [article(tmp_path / f"story-{n}.txt", n) for n in (1, 2)]
    page.locator("input[type=file]").set_input_files([str(f) for f in files])
    page.get_by_role("button", name="Import").click()
    learned = page.locator(".summary .learned")
    expect(learned).to_contain_text("2 more paragraphs marked as boilerplate by corpus learning")

    page.get_by_role("link", name="Council story 1").click()
    footer = page.locator("li", has_text=FOOTER)
    expect(footer.locator(".pill")).to_have_text("boilerplate")
