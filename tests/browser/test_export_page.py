"""A reviewer picks a format and filters, sees the count, and downloads the file."""

from __future__ import annotations

import json

from flask import Flask
from playwright.sync_api import Page, expect

from tests.browser.conftest import log_in
from tests.gold_support import build_case
from tests.test_export_support import annotate_seed


def test_export_page_counts_and_downloads(
    app: Flask, page: Page, users: dict[str, int], seed_article: int
) -> None:
    annotate_seed(app, seed_article)
    log_in(page, "rita")
    page.goto("/projects/default/exports")
    count = page.locator("#export-count")
    expect(count).to_have_text("26 records will be exported.")
    page.get_by_label("anna").check()
    expect(count).to_have_text("13 records will be exported.")
    page.get_by_label("Articles").select_option("done")
    page.get_by_label("Include boilerplate paragraphs").check()
    expect(count).to_have_text("30 records will be exported.")
    page.get_by_label("Format").select_option("labelstudio")
    with page.expect_download() as info:
        page.get_by_role("button", name="Download").click()
    download = info.value
    assert download.suggested_filename.endswith(".labelstudio.json")
    tasks = json.loads(download.path().read_text(encoding="utf-8"))
    assert len(tasks) == 30 and tasks[0]["data"]["annotators"] == ["anna"]


def test_unticking_every_layer_is_explained(
    app: Flask, page: Page, users: dict[str, int], seed_article: int
) -> None:
    log_in(page, "anna")
    page.goto("/projects/default/exports")
    for layer in ("entity", "claim", "sentiment"):
        page.get_by_label(layer, exact=True).uncheck()
    expect(page.locator("#export-count")).to_have_text("Choose at least one layer.")


def test_tokens_page_creates_shows_once_and_revokes(page: Page, users: dict[str, int]) -> None:
    log_in(page, "rita")
    page.goto("/profile/tokens")
    page.get_by_label("Token name").fill("nightly export")
    page.get_by_role("button", name="Create token").click()
    secret = page.locator("#new-token")
    expect(secret).to_contain_text("ann_")
    page.goto("/profile/tokens")
    expect(page.locator("#new-token")).to_have_count(0)
    expect(page.get_by_role("cell", name="nightly export", exact=True)).to_be_visible()
    page.get_by_role("button", name="Revoke nightly export").click()
    expect(page.get_by_text("revoked", exact=False).first).to_be_visible()


def test_gold_where_adjudicated_and_majority_from_the_page(
    app: Flask, page: Page, users: dict[str, int]
) -> None:
    build_case(app)
    log_in(page, "rita")
    page.goto("/projects/default/exports")
    count = page.locator("#export-count")
    expect(count).to_have_text("7 records will be exported.")
    majority = page.get_by_label("Majority of at least K annotators")
    majority.fill("0")
    majority.dispatch_event("change")
    expect(count).to_have_text("must be a whole number of annotators, at least 1")
    majority.fill("2")
    majority.dispatch_event("change")
    expect(count).to_have_text("2 records will be exported.")
    with page.expect_download() as info:
        page.get_by_role("button", name="Download").click()
    assert "prefer" not in info.value.url and "majority=2" in info.value.url
    records = [json.loads(line) for line in info.value.path().read_text().splitlines()]
    assert [r["annotator"] for r in records] == ["majority", "majority"]
    majority.fill("")
    page.get_by_label("Whose version").select_option("gold")
    expect(count).to_have_text("3 records will be exported.")
