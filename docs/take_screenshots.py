"""Retake the README's screenshots from a freshly started instance (`make run` first).

    .venv/bin/python docs/take_screenshots.py --password PASSWORD [--base http://127.0.0.1:5000]

It annotates the seed article through the JSON API as the admin (entities, a claim with an
entity claimant, paragraph sentiment), then photographs the workspace (light and dark), its
suggestions (propagation of those labels as dashed ghost spans), the article list, the export
page and the admin dashboard.
"""

from __future__ import annotations

import argparse
from pathlib import Path
from typing import Any

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
SEED_TITLE = "Top China, South Korea Diplomats Hold Rare Talks in Beijing"
ENTITIES = [
    ("South Korea and China", "South Korea", "GPE"),
    ("South Korea and China", "China", "GPE"),
    ("North Korea’s nuclear", "North Korea", "GPE"),
    ("Cho Tae-yul", "Cho Tae-yul", "PERSON"),
    ("Cho Tae-yul", "Wang Yi", "PERSON"),
    ("Cho Tae-yul", "Japan", "GPE"),
    ("Cho Tae-yul", "Monday", "DATE"),
    ("Cho Tae-yul", "Foreign Ministry", "ORG"),
    ("Cho Tae-yul", "May 26-27", "DATE"),
]
CLAIM = ("Cho Tae-yul", "Seoul has said the meeting could take place on May 26-27")


def log_in(page: Page, username: str, password: str) -> None:
    page.goto("/login")
    page.get_by_label("Username").fill(username)
    page.get_by_label("Password", exact=True).fill(password)
    page.get_by_role("button", name="Log in").click()
    page.wait_for_url(lambda url: "/login" not in url)


class Api:
    """The JSON API with the browser's session and CSRF token."""

    def __init__(self, page: Page, article_id: int) -> None:
        page.goto(f"/articles/{article_id}")
        self.page = page
        self.token = page.locator('meta[name="csrf-token"]').get_attribute("content") or ""
        self.article = page.request.get(f"/api/v1/articles/{article_id}").json()

    def paragraph(self, needle: str) -> dict[str, Any]:
        return next(p for p in self.article["paragraphs"] if needle in p["text"])

    def send(self, method: str, path: str, body: dict[str, Any]) -> dict[str, Any]:
        response = self.page.request.fetch(
            f"/api/v1{path}", method=method, data=body, headers={"X-CSRFToken": self.token}
        )
        assert response.ok, response.text()
        result: dict[str, Any] = response.json()
        return result

    def span(self, needle: str, part: str, layer: str, label: str, **attributes: Any) -> int:
        paragraph = self.paragraph(needle)
        start = paragraph["text"].index(part)
        body = {"paragraph_id": paragraph["id"], "layer": layer, "start": start,
                "end": start + len(part), "label": label, "attributes": attributes}  # fmt: skip
        annotation_id: int = self.send("POST", "/annotations", body)["annotation"]["id"]
        return annotation_id


def annotate_seed(page: Page, article_id: int) -> None:
    api = Api(page, article_id)
    if api.article["annotations"]:
        return
    ids = {part: api.span(needle, part, "entity", label) for needle, part, label in ENTITIES}
    api.span(*CLAIM, "claim", "prediction", attribution="reported",
             claimant={"entity_id": ids["Foreign Ministry"]}, checkworthy="yes")  # fmt: skip
    for needle, label in [("(Bloomberg)", "neutral"), ("Cho Tae-yul", "positive")]:
        api.send("PUT", f"/paragraphs/{api.paragraph(needle)['id']}/sentiment", {"label": label})


def photograph_suggestions(page: Page) -> None:
    """Ghost spans where the labelled strings occur again, one focused with its menu open."""
    page.locator("body:not([data-suggestions='0'])[data-suggestions]").wait_for(state="attached")
    section = page.locator(".para", has_text="The trilateral summits have been on hold").first
    section.scroll_into_view_if_needed()
    ghost = section.locator(".ghost[tabindex='0']").first
    ghost.click()
    page.locator(".ghost-menu").wait_for()
    box = section.bounding_box()
    assert box is not None
    clip = {"x": box["x"] - 12, "y": box["y"] - 12, "width": box["width"] + 24, "height": 330}
    page.screenshot(path=str(DOCS / "suggestions.png"), clip=clip)
    page.keyboard.press("Escape")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--base", default="http://127.0.0.1:5000")
    parser.add_argument("--username", default="admin")
    parser.add_argument("--password", required=True)
    options = parser.parse_args()
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path="/usr/bin/chromium", args=ARGS)
        page = browser.new_page(base_url=options.base, viewport={"width": 1280, "height": 900})
        log_in(page, options.username, options.password)
        page.goto("/projects/default/")
        href = page.get_by_role("link", name=SEED_TITLE).get_attribute("href") or ""
        article_id = int(href.rstrip("/").rsplit("/", 1)[-1])
        annotate_seed(page, article_id)
        page.goto("/projects/default/")
        page.screenshot(path=str(DOCS / "articles.png"))
        page.goto(f"/articles/{article_id}")
        page.locator("body[data-ready=true]").wait_for(state="attached")
        page.set_viewport_size({"width": 1280, "height": 1000})
        page.screenshot(path=str(DOCS / "workspace.png"))
        page.emulate_media(color_scheme="dark")  # the theme follows the system's setting
        page.screenshot(path=str(DOCS / "workspace-dark.png"))
        page.emulate_media(color_scheme="light")
        photograph_suggestions(page)
        page.set_viewport_size({"width": 1280, "height": 900})
        page.goto("/projects/default/exports")
        page.wait_for_timeout(1500)
        page.screenshot(path=str(DOCS / "export-page.png"), full_page=True)
        page.goto("/admin/projects/default/dashboard")
        page.screenshot(path=str(DOCS / "admin.png"), full_page=True)
        browser.close()


if __name__ == "__main__":
    main()
