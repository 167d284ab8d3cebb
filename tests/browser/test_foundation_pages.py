"""A person logs in and reads the seed article, boilerplate greyed, in a real browser."""

from playwright.sync_api import Page, expect

from tests.browser.conftest import log_in
from tests.conftest import SEED_TITLE


def test_login_then_read_the_seed_article(
    page: Page, users: dict[str, int], seed_article: int
) -> None:
    log_in(page, "anna")
    expect(page.get_by_role("heading", name="Default project")).to_be_visible()
    page.get_by_role("link", name=SEED_TITLE).click()
    expect(page.locator(".para")).to_have_count(30)
    expect(page.locator(".para.boilerplate")).to_have_count(17)
    expect(page.locator(".para").first).to_contain_text("(Bloomberg) -- The top diplomats")


def test_wrong_password_shows_an_error(page: Page, users: dict[str, int]) -> None:
    page.goto("/login")
    page.get_by_label("Username").fill("anna")
    page.get_by_label("Password", exact=True).fill("nope")
    page.get_by_role("button", name="Log in").click()
    expect(page.get_by_role("alert")).to_have_text("Unknown username or wrong password.")
