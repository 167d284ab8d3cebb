"""Retake the README's screenshots from a running instance (`make run` first).

.venv/bin/python docs/take_screenshots.py --password PASSWORD [--base http://127.0.0.1:5000]
"""

from __future__ import annotations

import argparse
from pathlib import Path

from playwright.sync_api import Page, sync_playwright

DOCS = Path(__file__).resolve().parent
ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]


def log_in(page: Page, username: str, password: str) -> None:
    page.goto("/login")
    page.get_by_label("Username").fill(username)
    page.get_by_label("Password", exact=True).fill(password)
    page.get_by_role("button", name="Log in").click()
    page.wait_for_url(lambda url: "/login" not in url)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--base", default="http://127.0.0.1:5000")
    parser.add_argument("--username", default="admin")
    parser.add_argument("--password", required=True)
    options = parser.parse_args()
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path="/usr/bin/chromium", args=ARGS)
        page = browser.new_page(base_url=options.base, viewport={"width": 1280, "height": 860})
        page.goto("/login")
        page.screenshot(path=str(DOCS / "login.png"))
        log_in(page, options.username, options.password)
        page.goto("/projects/default/")
        page.screenshot(path=str(DOCS / "articles.png"))
        page.get_by_role("link", name="Top China, South Korea").click()
        page.screenshot(path=str(DOCS / "article.png"))
        browser.close()


if __name__ == "__main__":
    main()
