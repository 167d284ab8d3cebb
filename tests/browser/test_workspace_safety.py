"""Exact offsets after emoji and CJK, untrusted text shown as text, saves that survive outages."""

from flask import Flask
from playwright.sync_api import Page, Route, expect

from tests.browser.conftest import log_in
from tests.browser.workspace_helpers import (
    api_json,
    label_text,
    open_workspace,
    paragraph,
    saved_annotations,
    wait_saved,
)
from tests.conftest import import_text

UNICODE = "😀 𠀋 Cafe\u0301 met Cho Tae-yul 😀 in 서울, then 𠀋𠀋 Seoul."


def test_a_span_after_emoji_and_cjk_has_exact_code_point_offsets(
    app: Flask, page: Page, users: dict[str, int]
) -> None:
    article = import_text(app, "unicode.txt", f"Unicode everywhere\n{UNICODE}\n")
    log_in(page, "anna")
    open_workspace(page, article)

    label_text(page, "ho Tae-y", "1")
    label_text(page, "Seoul", "4")
    label_text(page, "Cafe\u0301", "3")
    wait_saved(page)

    saved = api_json(page, f"/articles/{article}")["annotations"]
    text = saved and api_json(page, f"/articles/{article}")["paragraphs"][0]["text"]
    assert text == UNICODE
    spans = {a["label"]: (a["start"], a["end"]) for a in saved}
    assert spans == {
        "ORG": (4, 9),
        "PERSON": (UNICODE.index("Cho"), UNICODE.index("Cho") + 11),
        "GPE": (UNICODE.index("Seoul"), UNICODE.index("Seoul") + 5),
    }
    assert [text[s:e] for s, e in sorted(spans.values())] == ["Cafe\u0301", "Cho Tae-yul", "Seoul"]


def test_markup_in_an_article_is_shown_as_text_and_never_runs(
    app: Flask, page: Page, users: dict[str, int]
) -> None:
    evil = "<img src=x onerror=alert(1)>"
    body = f"He wrote {evil} <script>alert(2)</script> here."
    article = import_text(app, "evil.txt", f"Title {evil}\n{body}\n")
    dialogs: list[str] = []
    page.on("dialog", lambda dialog: (dialogs.append(dialog.message), dialog.dismiss()))
    log_in(page, "anna")
    open_workspace(page, article)

    expect(page.get_by_role("heading", level=1)).to_have_text(f"Title {evil}")
    expect(paragraph(page, "He wrote")).to_contain_text(f"He wrote {evil} <script>")
    label_text(page, "onerror", "3")
    expect(paragraph(page, "He wrote").locator(".ent")).to_have_text("onerror")
    wait_saved(page)
    assert page.locator(".ws-doc img, .ws-doc script").count() == 0
    assert dialogs == []


def test_an_edit_made_while_the_server_is_unreachable_is_saved_when_it_returns(
    app: Flask, page: Page, users: dict[str, int], seed_article: int
) -> None:
    log_in(page, "anna")
    open_workspace(page, seed_article)

    def unreachable(route: Route) -> None:
        route.abort("connectionrefused")

    page.route("**/api/v1/annotations", unreachable)
    label_text(page, "Wang Yi", "1")
    expect(page.locator(".ws-save")).to_contain_text("Offline, retrying")
    assert saved_annotations(app) == []

    page.reload()  # the unsaved edit waits in localStorage, shown again after the reload
    expect(page.locator("body[data-ready=true]")).to_be_attached()
    expect(paragraph(page, "Wang Yi").locator(".ent")).to_have_text("Wang Yi")
    expect(page.locator(".ws-save")).to_contain_text("Offline, retrying")

    page.unroute("**/api/v1/annotations", unreachable)
    expect(page.locator(".ws-save")).to_have_text("All changes saved", timeout=10_000)
    [saved] = saved_annotations(app)
    assert (saved.label, saved.end - saved.start) == ("PERSON", len("Wang Yi"))


def test_a_stale_change_reloads_the_paragraph_and_says_so(
    app: Flask, page: Page, users: dict[str, int], seed_article: int
) -> None:
    log_in(page, "anna")
    open_workspace(page, seed_article)
    label_text(page, "Wang Yi", "1")
    wait_saved(page)
    [entity] = saved_annotations(app)
    # another tab changes it behind this page's back
    page.evaluate(
        """async (id) => {
          const token = document.querySelector('meta[name=csrf-token]').content;
          await fetch('/api/v1/annotations/' + id, {method: 'PATCH',
            headers: {'Content-Type': 'application/json', 'X-CSRFToken': token},
            body: JSON.stringify({version: 1, label: 'NORP'})});
        }""",
        entity.id,
    )

    span = paragraph(page, "Wang Yi").locator(".ent")
    span.click()
    page.locator(".span-menu").get_by_role("button", name="ORG").click()

    expect(page.locator(".ws-message")).to_contain_text("changed elsewhere")
    expect(span).to_have_attribute("data-label-name", "NORP")
    [current] = saved_annotations(app)
    assert (current.label, current.version) == ("NORP", 2)


def test_a_change_whose_answer_is_lost_is_saved_and_the_next_one_too(
    app: Flask, page: Page, users: dict[str, int], seed_article: int
) -> None:
    """The relabel reaches the server and is committed, but its answer never comes back (a
    proxy's timeout): the retry finds it stored. It said "changed elsewhere" and dropped the
    user's next change to the span."""
    log_in(page, "anna")
    open_workspace(page, seed_article)
    label_text(page, "Wang Yi", "1")
    wait_saved(page)
    [entity] = saved_annotations(app)
    lost: list[str] = []

    def commit_then_lose_the_answer(route: Route) -> None:
        if route.request.method == "PATCH" and not lost:
            lost.append(route.request.url)
            route.fetch()  # the server commits the change...
            route.abort("connectionreset")  # ...and the page never hears of it
        else:
            route.continue_()

    page.route(f"**/api/v1/annotations/{entity.id}", commit_then_lose_the_answer)
    span = paragraph(page, "Wang Yi").locator(".ent")
    span.click()
    page.locator(".span-menu").get_by_role("button", name="ORG").click()
    span.click()
    page.locator(".span-menu").get_by_role("button", name="GPE").click()

    expect(page.locator(".ws-save")).to_have_text("All changes saved", timeout=10_000)
    assert lost
    expect(page.locator(".ws-message")).not_to_contain_text("changed elsewhere")
    expect(span).to_have_attribute("data-label-name", "GPE")
    [saved] = saved_annotations(app)
    assert (saved.label, saved.version) == ("GPE", 3)
