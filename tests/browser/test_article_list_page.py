"""Searching and filtering the article list in a browser: the filters land in the URL, so
the list can be reloaded, bookmarked and paged without losing them."""

from urllib.parse import parse_qs, urlparse

from flask import Flask
from playwright.sync_api import Page, expect

from annotator.extensions import db
from annotator.models import Assignment
from tests.browser.conftest import log_in
from tests.conftest import import_text


def test_search_and_filters_narrow_the_list_and_stay_in_the_url(
    app: Flask, page: Page, users: dict[str, int]
) -> None:
    percent = import_text(app, "p.txt", "Rates at 100%\nThe rate rose by 100% this year.\n")
    import_text(app, "h.txt", "Rates at a hundred\nThe rate rose by a hundred this year.\n")
    import_text(app, "o.txt", "Other news\nNothing about rates here.\n")
    with app.app_context():
        db.session.add(Assignment(article_id=percent, user_id=users["anna"]))
        db.session.commit()
    log_in(page, "anna")
    page.goto("/projects/default/")
    rows = page.locator("table.articles tbody tr")
    expect(rows).to_have_count(3)

    page.get_by_role("searchbox", name="Search titles and text").fill("rate rose")
    page.get_by_role("button", name="Filter").click()
    expect(rows).to_have_count(2)
    page.get_by_role("searchbox", name="Search titles and text").fill("100%")
    page.get_by_label("Status").select_option("not_started")
    page.get_by_label("Assigned to me").check()
    page.get_by_role("button", name="Filter").click()

    expect(rows).to_have_count(1)
    expect(rows.first).to_contain_text("Rates at 100%")
    query = parse_qs(urlparse(page.url).query)
    assert query == {"q": ["100%"], "status": ["not_started"], "mine": ["1"]}
    page.reload()
    expect(rows).to_have_count(1)
    expect(page.get_by_role("searchbox", name="Search titles and text")).to_have_value("100%")
    expect(page.get_by_label("Assigned to me")).to_be_checked()

    page.get_by_label("Status").select_option("done")
    page.get_by_role("button", name="Filter").click()
    expect(page.get_by_text("No article matches these filters.")).to_be_visible()
    page.get_by_role("link", name="Show all articles").click()
    expect(rows).to_have_count(3)
