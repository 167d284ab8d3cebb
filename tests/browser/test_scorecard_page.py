"""An annotator opens their scorecard from the article list, then an article's differences.

With ANNOTATOR_SCREENSHOTS set to a folder, the scorecard page is photographed there
(docs/scorecard.png is taken this way).
"""

from __future__ import annotations

import os
from pathlib import Path

from flask import Flask
from playwright.sync_api import Page, expect

from annotator.extensions import db
from tests.browser.conftest import log_in
from tests.gold_support import build_case, comment


def test_scorecard_from_the_article_list_to_the_differences(
    app: Flask, page: Page, users: dict[str, int]
) -> None:
    case = build_case(app)
    with app.app_context():
        comment(case["anna_bob"], "rita", "Bob is the dog here: not a PERSON.")
        db.session.commit()
    log_in(page, "anna")
    page.goto("/projects/default/")
    page.get_by_role("link", name="Scorecard").click()
    expect(page.get_by_role("heading", name="Scorecard: anna")).to_be_visible()
    entities = page.locator(
        "section", has=page.get_by_role("heading", name="Entities (exact span and label)")
    )
    expect(entities.locator("tfoot")).to_contain_text("67% (2/3)")
    folder = os.environ.get("ANNOTATOR_SCREENSHOTS")
    if folder:
        page.set_viewport_size({"width": 1100, "height": 900})
        page.screenshot(path=str(Path(folder) / "scorecard.png"), full_page=True)
    page.get_by_role("link", name="Talks").click()
    expect(page.locator(".diff-missed").first).to_contain_text("Missed")
    expect(page.locator("ul.diff-missed")).to_contain_text("«Monday» DATE")
    expect(page.locator(".comments")).to_contain_text("Bob is the dog here: not a PERSON.")
