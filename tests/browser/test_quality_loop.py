"""The whole quality loop in a real browser, as the team would live it.

Two annotators tag the seed article differently through the workspace; the dashboard shows
their agreement; a reviewer adjudicates with the keyboard; the gold export holds exactly the
accepted decisions; each annotator's scorecard shows how their work compares with gold.
"""

from __future__ import annotations

import json

from flask import Flask
from playwright.sync_api import Browser, Page, expect

from annotator.extensions import db
from annotator.models import ArticleStatus
from tests.browser.conftest import log_in, picture
from tests.browser.workspace_helpers import open_workspace, paragraph, select_text, wait_saved

CHO = "Cho Tae-yul"
KEYS = {"PERSON": "1", "ORG": "3", "GPE": "4"}


def annotate_in_the_workspace(page: Page, article_id: int, marks: list[tuple[str, str]]) -> None:
    """Tag each (text, label) with a mouse selection and the label's key, give the Cho
    paragraph a neutral sentiment, and mark the article done despite the warning."""
    open_workspace(page, article_id)
    for needle, label in marks:
        select_text(page, needle)
        expect(page.locator(".picker")).to_be_visible()
        page.keyboard.press(KEYS[label])
        expect(paragraph(page, CHO).locator(f".ent[data-label-name={label}]", has_text=needle))
    paragraph(page, CHO).locator(".sentiment-choice.sentiment-neutral").click()
    wait_saved(page)
    page.locator(".ws-done").click()
    # Only one paragraph has its sentiment: the warning lists the rest; done all the same.
    page.get_by_role("button", name="Mark done anyway").click()
    page.wait_for_url(lambda url: f"/articles/{article_id}" not in url)


def finished(app: Flask, user_id: int, article_id: int) -> bool:
    with app.app_context():
        row = db.session.get(ArticleStatus, (article_id, user_id))
        return row is not None and row.status == "done"


def as_user(browser: Browser, live_server: str, username: str) -> Page:
    context = browser.new_context(base_url=live_server, viewport={"width": 1280, "height": 900})
    page = context.new_page()
    page.set_default_timeout(5000)
    log_in(page, username)
    return page


def test_two_annotators_disagree_a_reviewer_adjudicates_and_everyone_sees_the_result(
    app: Flask,
    browser: Browser,
    live_server: str,
    page: Page,
    users: dict[str, int],
    seed_article: int,
) -> None:
    log_in(page, "anna")
    annotate_in_the_workspace(
        page, seed_article, [(CHO, "PERSON"), ("Wang Yi", "PERSON"), ("Seoul", "GPE")]
    )
    bob = as_user(browser, live_server, "bob")
    annotate_in_the_workspace(bob, seed_article, [(CHO, "PERSON"), ("Wang Yi", "ORG")])
    assert finished(app, users["anna"], seed_article)
    assert finished(app, users["bob"], seed_article)

    # The dashboard: one of anna's three spans and one of bob's two agree exactly,
    # F1 = 2 × 1 / (3 + 2); Wang Yi's labels differ, so overlap F1 is the same.
    admin = as_user(browser, live_server, "admin")
    admin.goto("/admin/projects/default/dashboard")
    entities = admin.locator("#agreement-entity")
    expect(entities.locator("tr", has_text="F1, exact span and label")).to_contain_text("0.40")
    expect(entities.locator("tr", has_text="F1, overlapping span")).to_contain_text("0.40")
    expect(admin.locator("#agreement-sentiment tr", has_text="Raw agreement")).to_contain_text(
        "1.00"
    )
    disputed = admin.locator(f"a[href='/review/articles/{seed_article}']").first
    expect(disputed).to_be_visible()
    admin.locator("#agreement ~ .dash").first.screenshot(path=picture("agreement.png"))

    # The reviewer: the agreements (Cho, the sentiment) in one key, bob's ORG for Wang Yi,
    # anna's Seoul rejected, the article marked adjudicated.
    rita = as_user(browser, live_server, "rita")
    rita.goto(f"/review/articles/{seed_article}")
    expect(rita.locator("body[data-ready=true]")).to_be_attached()
    rita.keyboard.press("Shift+A")
    expect(rita.locator("tr.rv-row[data-state=gold]")).to_have_count(2)
    wait_saved(rita)
    rita.keyboard.press("j")
    expect(rita.locator("tr.rv-row.focused .rv-item")).to_have_text("entity “Wang Yi”")
    rita.keyboard.press("2")  # bob's version
    rita.keyboard.press("a")
    expect(rita.locator("tr.focused .rv-gold")).to_have_text("ORG")
    rita.keyboard.press("j")
    expect(rita.locator("tr.rv-row.focused .rv-item")).to_have_text("entity “Seoul”")
    rita.keyboard.press("x")
    wait_saved(rita)
    rita.get_by_role("button", name="Mark adjudicated").click()
    expect(rita.locator(".rv-status")).to_have_text("adjudicated")
    wait_saved(rita)

    # The gold export holds exactly the accepted decisions.
    response = admin.request.get("/projects/default/export?format=native&gold=1")
    assert response.ok, response.text()
    records = [json.loads(line) for line in response.text().splitlines()]
    assert {(r["annotator"], r["gold"]) for r in records} == {(None, True)}
    decided = [r for r in records if r["entities"] or r["claims"] or r["sentiment"]]
    assert [r["paragraph_index"] for r in decided] == [7]  # the others: gold says nothing
    [record] = decided
    assert [(e["text"], e["label"]) for e in record["entities"]] == [
        (CHO, "PERSON"),
        ("Wang Yi", "ORG"),
    ]
    assert record["sentiment"]["label"] == "neutral"
    assert record["claims"] == []

    # Scorecards: anna kept 1 of her 3 entities and found 1 of gold's 2; bob matched both.
    page.goto("/projects/default/scorecard")
    anna_all = page.locator(".scorecard-layer", has_text="Entities").locator("tfoot tr")
    expect(anna_all).to_contain_text("33% (1/3)")
    expect(anna_all).to_contain_text("50% (1/2)")
    bob.goto("/projects/default/scorecard")
    bob_all = bob.locator(".scorecard-layer", has_text="Entities").locator("tfoot tr")
    expect(bob_all).to_contain_text("100% (2/2)")
    page.goto(f"/projects/default/scorecard/{seed_article}")
    expect(page.locator("ul.diff-missed")).to_contain_text("Wang Yi")
    expect(page.locator("ul.diff-extra")).to_contain_text("Seoul")
    for other in (bob, admin, rita):
        other.context.close()
