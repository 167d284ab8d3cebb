"""Boilerplate in the browser: an annotator's proposal confirmed by an admin hides the
paragraph in the workspace; an admin's rule is previewed, applied, then undone."""

from __future__ import annotations

import re

from flask import Flask
from playwright.sync_api import Page, expect
from sqlalchemy import select

from annotator.extensions import db
from annotator.models import Paragraph
from tests.browser.conftest import log_in
from tests.browser.workspace_helpers import open_workspace, paragraph
from tests.conftest import import_text

ARTICLE = (
    "Rates held steady\n"
    "The central bank kept its rate at 4 percent.\n"
    "Markets rose after the decision.\n"
    "Weather looks fine today.\n"
)


def flags(app: Flask) -> dict[str, bool]:
    with app.app_context():
        return {
            p.text: p.is_boilerplate
            for p in db.session.scalars(select(Paragraph).order_by(Paragraph.id))
        }


def switch_user(page: Page, username: str) -> None:
    page.context.clear_cookies()
    log_in(page, username)


def test_a_proposal_confirmed_by_an_admin_makes_the_paragraph_boilerplate(
    app: Flask, page: Page, users: dict[str, int]
) -> None:
    article = import_text(app, "rates.txt", ARTICLE)
    log_in(page, "anna")
    open_workspace(page, article)
    weather = paragraph(page, "Weather looks fine today.")
    expect(weather.locator(".para-propose")).to_have_text("Propose boilerplate")
    weather.locator(".para-text").click()
    page.keyboard.press("b")
    expect(weather.locator(".proposal-pending")).to_have_text(
        "boilerplate proposed · pending review"
    )
    page.reload()
    expect(paragraph(page, "Weather looks").locator(".proposal-pending")).to_be_visible()

    switch_user(page, "admin")
    page.goto("/admin/projects/default/boilerplate")
    row = page.locator(".proposals tr", has_text="Weather looks fine today.")
    expect(row).to_contain_text("anna")
    row.get_by_role("button", name="Confirm").click()
    expect(page.locator(".flash")).to_contain_text("Paragraph 3 is now boilerplate.")
    expect(page.locator(".proposals")).to_have_count(0)

    switch_user(page, "anna")
    open_workspace(page, article)
    weather = paragraph(page, "Weather looks fine today.")
    expect(weather).to_have_class(re.compile(r"\bboilerplate\b"))
    expect(page.locator(".bp-block", has=weather)).to_have_count(1)
    expect(weather.locator(".para-propose")).to_have_text("Propose content")
    assert flags(app)["Weather looks fine today."] is True


def test_a_rule_is_previewed_applied_and_undone(
    app: Flask, page: Page, users: dict[str, int]
) -> None:
    import_text(app, "rates.txt", ARTICLE)
    import_text(app, "more.txt", "Later story\nWeather looks grim.\nA quiet day.\n")
    log_in(page, "admin")
    page.goto("/admin/projects/default/boilerplate")
    page.get_by_label("Kind").select_option("prefix")
    page.get_by_label("Pattern").fill("Weather looks")
    page.get_by_label("Mark matching paragraphs as").select_option("boilerplate")
    page.get_by_role("button", name="Add and preview").click()

    expect(page.locator(".preview-count")).to_have_text("Applying would change 2 paragraphs.")
    expect(page.locator("table.preview tbody tr")).to_have_count(2)
    expect(page.locator("table.preview")).to_contain_text("content → boilerplate")
    assert not any(flags(app).values())

    page.get_by_role("button", name="Apply").click()
    expect(page.locator(".flash")).to_contain_text("Applied: 2 paragraph(s) changed.")
    expect(page.locator(".rule-state")).to_contain_text("applied")
    changed = flags(app)
    assert changed["Weather looks fine today."] and changed["Weather looks grim."]
    assert not changed["A quiet day."]

    page.get_by_role("button", name="Undo this rule").click()
    expect(page.locator(".flash")).to_contain_text("Undone: 2 paragraph(s) restored.")
    assert not any(flags(app).values())
