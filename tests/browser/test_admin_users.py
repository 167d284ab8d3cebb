"""In a real browser: an admin creates a user and assigns them an article; they log in,
set their own password and find the article."""

from __future__ import annotations

import re

from playwright.sync_api import Page, expect

from tests.browser.conftest import log_in
from tests.conftest import SEED_TITLE


def test_admin_creates_a_user_who_logs_in_and_sees_the_assigned_article(
    page: Page, users: dict[str, int], seed_article: int
) -> None:
    log_in(page, "admin")
    page.get_by_role("link", name="Admin", exact=True).click()
    page.get_by_role("link", name="Users").click()
    page.get_by_role("link", name="New user").click()
    page.get_by_label("Username").fill("carla")
    page.get_by_label("Role").select_option("annotator")
    page.get_by_role("button", name="Create user").click()
    expect(page.get_by_role("heading", name="Created carla")).to_be_visible()
    password = page.locator("#new-password").inner_text()
    assert len(password) >= 12

    admin_nav = page.get_by_role("navigation", name="Administration")
    admin_nav.get_by_role("link", name="Projects").click()
    page.get_by_role("link", name="Default project").click()
    page.get_by_role("link", name="Articles & assignment").click()
    page.get_by_label(f"Annotator for {SEED_TITLE}").select_option("carla")
    page.get_by_role("button", name="Assign").click()
    expect(page.locator(".flash-success")).to_contain_text("assigned to carla")
    page.get_by_role("button", name="Log out").click()

    log_in(page, "carla", password)
    expect(page).to_have_url(re.compile(r"/profile/$"))
    page.get_by_label("Current password", exact=True).fill(password)
    page.get_by_label("New password", exact=True).fill("tangerine lighthouse")
    page.get_by_label("Repeat the new password").fill("tangerine lighthouse")
    page.get_by_role("button", name="Change password").click()
    expect(page.locator(".flash-success")).to_have_text("Your password has been changed.")
    expect(page.get_by_role("link", name="Admin", exact=True)).to_have_count(0)
    page.get_by_role("link", name="Projects", exact=True).click()
    expect(page.get_by_role("link", name=SEED_TITLE)).to_be_visible()
    page.get_by_role("link", name=SEED_TITLE).click()
    expect(page.get_by_role("heading", name=SEED_TITLE)).to_be_visible()


def test_reviewer_sees_403_on_admin_pages(page: Page, users: dict[str, int]) -> None:
    log_in(page, "rita")
    expect(page.get_by_role("link", name="Admin", exact=True)).to_have_count(0)
    response = page.goto("/admin/users")
    assert response is not None and response.status == 403
    expect(page.get_by_role("heading", name=re.compile("403"))).to_be_visible()


def test_admin_edits_the_label_schema(page: Page, users: dict[str, int]) -> None:
    log_in(page, "admin")
    page.goto("/admin/projects/default/labels")
    page.get_by_label("New name for PRODUCT").fill("GOODS")
    page.get_by_label("New name for PRODUCT").press("Enter")
    expect(page.locator(".flash-success")).to_contain_text("Renamed 'PRODUCT' to 'GOODS'")
    expect(page.get_by_label("New name for GOODS")).to_be_visible()
    swatch = page.locator(".swatch").first
    assert swatch.evaluate("el => getComputedStyle(el).backgroundColor") == "rgb(230, 159, 0)"
