"""What the workspace page tells the user: the Done warning with what is missing, conflicts
told in the sticky toolbar, boilerplate runs folded into blocks, `/` to find text, a dark
theme that follows the system."""

from collections.abc import Iterator
from typing import Any

import pytest
from flask import Flask
from playwright.sync_api import Page, expect

from annotator.extensions import db
from annotator.models import ArticleStatus
from tests.browser.conftest import log_in
from tests.browser.workspace_helpers import (
    api_json,
    open_workspace,
    paragraph,
    select_text,
    wait_saved,
)

CHO = "Cho Tae-yul"
FAR_DOWN = "The last time a South Korean foreign minister"  # paragraph 22, the last content one


def status_of(app: Flask, user_id: int, article_id: int) -> str | None:
    with app.app_context():
        row = db.session.get(ArticleStatus, (article_id, user_id))
        return row.status if row else None


def put_sentiments(page: Page, paragraph_ids: list[int]) -> None:
    """Give paragraphs a sentiment through the API, as another tab would."""
    page.evaluate(
        """async (ids) => {
          const token = document.querySelector('meta[name="csrf-token"]').content;
          for (const id of ids) {
            await fetch(`/api/v1/paragraphs/${id}/sentiment`, {method: 'PUT',
              headers: {'Content-Type': 'application/json', 'X-CSRFToken': token},
              body: JSON.stringify({label: 'neutral'})});
          }
        }""",
        paragraph_ids,
    )


# --- Done ---------------------------------------------------------------------------------


def test_done_lists_what_is_missing_jumps_there_and_can_still_be_confirmed(
    app: Flask, page: Page, users: dict[str, int], seed_article: int
) -> None:
    log_in(page, "anna")
    open_workspace(page, seed_article)
    paragraph(page, CHO).locator(".sentiment-choice.sentiment-neutral").click()
    wait_saved(page)
    expect(page.locator(".ws-progress-text")).to_have_text("1 / 13 paragraphs")

    page.locator(".ws-done").click()
    warning = page.get_by_role("dialog", name="Not finished yet")
    expect(warning).to_be_visible()
    missing = api_json(page, f"/articles/{seed_article}/progress")["missing"]
    assert len(missing) == 12  # the page and the API agree
    expect(warning.locator(".ws-jump")).to_have_text(
        [f"Paragraph {gap['number']}: no sentiment" for gap in missing]
    )
    assert status_of(app, users["anna"], seed_article) != "done"

    warning.locator(".ws-jump").last.click()  # paragraph 22, far below
    expect(warning).to_be_hidden()
    focused = page.locator(".para.focused")
    expect(focused).to_have_attribute("data-id", str(missing[-1]["paragraph_id"]))
    expect(focused).to_contain_text(FAR_DOWN)
    expect(focused).to_be_in_viewport()

    page.keyboard.press("D")
    expect(warning).to_be_visible()
    page.keyboard.press("Escape")  # keep annotating
    expect(warning).to_be_hidden()
    page.keyboard.press("D")
    warning.get_by_role("button", name="Mark done anyway").click()
    page.wait_for_url(lambda url: f"/articles/{seed_article}" not in url)
    assert status_of(app, users["anna"], seed_article) == "done"


def test_a_claim_without_claimant_is_listed_and_a_finished_article_goes_straight_on(
    app: Flask, page: Page, users: dict[str, int], seed_article: int
) -> None:
    log_in(page, "anna")
    open_workspace(page, seed_article)
    content = [p["id"] for p in api_json(page, f"/articles/{seed_article}")["paragraphs"]
               if not p["is_boilerplate"]]  # fmt: skip
    put_sentiments(page, content)
    claim = send(page, "POST", "/annotations", claim_body(page, seed_article))
    open_workspace(page, seed_article)
    expect(page.locator(".ws-progress-text")).to_have_text("12 / 13 paragraphs")

    page.locator(".ws-done").click()
    warning = page.get_by_role("dialog", name="Not finished yet")
    expect(warning.locator(".ws-jump")).to_have_text(["Paragraph 8: a claim without claimant"])
    warning.get_by_role("button", name="Keep annotating").click()

    named = {**claim["attributes"], "claimant": {"entity_id": None, "text": "Seoul"}}
    send(page, "PATCH", f"/annotations/{claim['id']}", {"attributes": named, "version": 1})
    open_workspace(page, seed_article)
    expect(page.locator(".ws-progress-text")).to_have_text("13 / 13 paragraphs")
    page.locator(".ws-done").click()
    page.wait_for_url(lambda url: f"/articles/{seed_article}" not in url)
    assert status_of(app, users["anna"], seed_article) == "done"


def claim_body(page: Page, article_id: int) -> dict[str, Any]:
    """A reported claim in paragraph 8 that names nobody."""
    paragraphs = api_json(page, f"/articles/{article_id}")["paragraphs"]
    cho = next(p for p in paragraphs if CHO in p["text"])
    start = cho["text"].index("Seoul has said")
    attributes = {"attribution": "reported", "claimant": None, "checkworthy": "yes"}
    return {"paragraph_id": cho["id"], "layer": "claim", "start": start, "end": start + 14,
            "label": "factual", "attributes": attributes}  # fmt: skip


def send(page: Page, method: str, path: str, body: dict[str, Any]) -> Any:
    """The JSON API with the page's session and CSRF token; the annotation it answers."""
    token = page.locator('meta[name="csrf-token"]').get_attribute("content") or ""
    response = page.request.fetch(
        f"/api/v1{path}", method=method, data=body, headers={"X-CSRFToken": token}
    )
    assert response.ok, response.text()
    return response.json()["annotation"]


# --- conflicts ----------------------------------------------------------------------------


@pytest.fixture
def tab_b(page: Page) -> Iterator[Page]:
    """A second tab of the same browser, stale once the first saves."""
    other = page.context.new_page()
    other.set_default_timeout(5000)
    yield other


def test_a_conflict_far_down_the_article_is_told_in_the_toolbar_in_view(
    app: Flask, page: Page, tab_b: Page, users: dict[str, int], seed_article: int
) -> None:
    log_in(page, "anna")
    open_workspace(page, seed_article)
    open_workspace(tab_b, seed_article)
    paragraph(page, FAR_DOWN).locator(".sentiment-choice.sentiment-positive").click()
    wait_saved(page)

    far = paragraph(tab_b, FAR_DOWN)
    far.scroll_into_view_if_needed()
    assert tab_b.evaluate("window.scrollY") > 1000
    far.locator(".sentiment-choice.sentiment-negative").click()

    message = tab_b.locator(".ws-message")
    expect(message).to_contain_text("sentiment was changed in another tab or window")
    expect(message).to_be_in_viewport()
    expect(tab_b.locator(".ws-toolbar .ws-message")).to_be_visible()
    expect(far.locator(".sentiment-choice.sentiment-positive")).to_have_attribute(
        "aria-pressed", "true"
    )


# --- boilerplate --------------------------------------------------------------------------


def test_a_run_of_boilerplate_is_one_folded_block_opened_and_closed_from_the_keyboard(
    page: Page, users: dict[str, int], seed_article: int
) -> None:
    log_in(page, "anna")
    open_workspace(page, seed_article)
    expect(page.locator(".bp-block")).to_have_count(5)
    promos = page.get_by_role("button", name="6 boilerplate paragraphs")
    promo = page.locator(".para", has_text="Trump Vows")
    expect(promos).to_have_attribute("aria-expanded", "false")
    expect(promo).to_be_hidden()

    paragraph(page, "(Bloomberg) -- The top").locator("button").last.focus()
    page.keyboard.press("Tab")  # after paragraph 1's last control: the block's button
    expect(promos).to_be_focused()
    page.keyboard.press("Enter")
    expect(promos).to_have_attribute("aria-expanded", "true")
    expect(promo).to_be_visible()
    expect(page.locator(".bp-block.open .para.boilerplate")).to_have_count(6)

    page.keyboard.press("Space")
    expect(promos).to_have_attribute("aria-expanded", "false")
    expect(promo).to_be_hidden()


# --- find ---------------------------------------------------------------------------------


def test_slash_finds_text_highlights_every_match_and_steps_through_them(
    page: Page, users: dict[str, int], seed_article: int
) -> None:
    log_in(page, "anna")
    open_workspace(page, seed_article)
    texts = [p["text"] for p in api_json(page, f"/articles/{seed_article}")["paragraphs"]]
    korea = sum(text.lower().count("korea") for text in texts)
    assert korea > 10

    page.keyboard.press("/")
    find = page.get_by_role("searchbox", name="Find in the article")
    expect(find).to_be_focused()
    find.fill("korea")
    count = page.locator(".ws-find-count")
    expect(count).to_have_text(f"1 / {korea}")
    assert page.evaluate("CSS.highlights.get('find').size") == korea
    page.keyboard.press("Enter")
    page.keyboard.press("Enter")
    expect(count).to_have_text(f"3 / {korea}")
    page.keyboard.press("Shift+Enter")
    expect(count).to_have_text(f"2 / {korea}")
    page.keyboard.press("Shift+Enter")
    page.keyboard.press("Shift+Enter")
    expect(count).to_have_text(f"{korea} / {korea}")  # wraps round

    page.keyboard.press("Escape")
    expect(find).to_be_hidden()
    assert page.evaluate("CSS.highlights.has('find')") is False
    expect(page.locator(".picker")).to_have_count(0)


def test_a_match_in_folded_boilerplate_unfolds_its_block_and_wildcards_are_literal(
    page: Page, users: dict[str, int], seed_article: int
) -> None:
    log_in(page, "anna")
    open_workspace(page, seed_article)
    page.keyboard.press("/")
    find = page.get_by_role("searchbox", name="Find in the article")
    find.fill("caitlin clark")
    expect(page.locator(".ws-find-count")).to_have_text("1 / 1")
    expect(page.get_by_role("button", name="8 boilerplate paragraphs")).to_have_attribute(
        "aria-expanded", "true"
    )
    expect(page.locator(".para", has_text="Caitlin Clark")).to_be_in_viewport()

    find.fill("Korea.*China")  # a regular expression would match; find means the text
    expect(page.locator(".ws-find-count")).to_have_text("no match")


def test_paragraphs_do_not_move_when_the_boilerplate_proposals_arrive(
    page: Page, users: dict[str, int], seed_article: int
) -> None:
    """The proposal buttons are drawn with the page, not when their request answers: a late
    answer used to grow every paragraph at once and move what a find had scrolled to."""
    held: list[Any] = []
    page.route("**/boilerplate-proposals", lambda route: held.append(route))
    log_in(page, "anna")
    open_workspace(page, seed_article)
    last = page.locator(".para").last
    before = last.bounding_box()
    expect(page.locator(".para-propose").first).to_be_attached()

    page.wait_for_timeout(100)
    assert held, "the proposals request was not held"
    with page.expect_response("**/boilerplate-proposals"):
        held[0].continue_()
    page.wait_for_timeout(100)

    assert last.bounding_box() == before


# --- dark theme ---------------------------------------------------------------------------

COLOURS = """() => {
  const rgb = (value) => value.match(/\\d+/g).slice(0, 3).map(Number);
  const doc = getComputedStyle(document.querySelector('.ws-doc'));
  const chip = getComputedStyle(document.querySelector('.ent.ent-end'), '::after');
  const boilerplate = getComputedStyle(document.querySelector('.bp-toggle'));
  return {
    body: rgb(getComputedStyle(document.body).backgroundColor),
    doc: [rgb(doc.color), rgb(doc.backgroundColor)],
    chip: [rgb(chip.color), rgb(chip.backgroundColor)],
    boilerplate: [rgb(boilerplate.color), rgb(boilerplate.backgroundColor)],
  };
}"""


def luminance(rgb: list[int]) -> float:
    def channel(value: int) -> float:
        c = value / 255
        return c / 12.92 if c <= 0.04045 else ((c + 0.055) / 1.055) ** 2.4

    r, g, b = (channel(v) for v in rgb)
    return 0.2126 * r + 0.7152 * g + 0.0722 * b


def contrast(pair: list[list[int]]) -> float:
    hi, lo = sorted(map(luminance, pair), reverse=True)
    return (hi + 0.05) / (lo + 0.05)


@pytest.mark.parametrize("scheme", ["dark", "light"])
def test_the_theme_follows_the_system_and_its_text_meets_aa(
    page: Page, users: dict[str, int], seed_article: int, scheme: str
) -> None:
    page.emulate_media(color_scheme=scheme)  # type: ignore[arg-type]
    log_in(page, "anna")
    open_workspace(page, seed_article)
    select_text(page, "Wang Yi")
    expect(page.locator(".picker")).to_be_visible()
    page.keyboard.press("5")  # LOC, a dark blue: its chip is written in white
    wait_saved(page)

    colours = page.evaluate(COLOURS)
    dark_page = luminance(colours["body"]) < 0.05
    assert dark_page is (scheme == "dark")
    assert (luminance(colours["doc"][1]) < 0.05) is (scheme == "dark")
    assert contrast(colours["doc"]) >= 4.5
    assert contrast(colours["chip"]) >= 4.5
    assert contrast(colours["boilerplate"]) >= 4.5
