"""Two tabs of one browser on one article: each saves only its own edits, nothing is stored
twice, a stale tab's sentiment is refused and says so, and leaving with unsaved edits asks."""

from collections.abc import Iterator
from typing import Any

import pytest
from flask import Flask
from playwright.sync_api import ConsoleMessage, Dialog, Locator, Page, Request, Route, expect

from tests.browser.conftest import log_in
from tests.browser.workspace_helpers import (
    open_workspace,
    paragraph,
    saved_annotations,
    select_text,
    wait_saved,
)

WANG = "Wang Yi"
CHO = "Cho Tae-yul"
CREATES = "**/api/v1/annotations"


@pytest.fixture
def tab_b(page: Page) -> Iterator[Page]:
    """A second tab of the same browser: its cookies and localStorage, its own sessionStorage."""
    other = page.context.new_page()
    other.set_default_timeout(5000)
    problems: list[str] = []
    other.on("pageerror", lambda error: problems.append(f"page error: {error}"))
    other.on("console", lambda message: _note_error(message, problems))
    yield other
    assert not problems, problems


def _note_error(message: ConsoleMessage, problems: list[str]) -> None:
    if message.type == "error" and "Failed to load resource" not in message.text:
        problems.append(f"console error: {message.text}")


def lose_the_answer(route: Route) -> None:
    """The create reaches the server, which stores it; the tab never hears back."""
    route.fetch()
    route.abort("connectionreset")


def tag(page: Page, needle: str, key: str = "1") -> None:
    select_text(page, needle)
    expect(page.locator(".picker")).to_be_visible()
    page.keyboard.press(key)


def creates_sent_by(page: Page) -> list[Request]:
    sent: list[Request] = []
    page.on(
        "request",
        lambda r: sent.append(r) if r.method == "POST" and r.url.endswith(CREATES[2:]) else None,
    )
    return sent


def posted(request: Request) -> Any:
    body = request.post_data_json
    assert isinstance(body, dict)
    return body


def spans(app: Flask) -> list[tuple[str, str]]:
    return [(a.layer, a.label) for a in saved_annotations(app) if a.layer == "entity"]


def test_a_create_pending_in_one_tab_is_stored_once_while_another_tab_saves_its_own(
    app: Flask, page: Page, tab_b: Page, users: dict[str, int], seed_article: int
) -> None:
    log_in(page, "anna")
    open_workspace(page, seed_article)
    page.route(CREATES, lose_the_answer)
    tag(page, WANG)
    expect(page.locator(".ws-save")).to_contain_text("Offline, retrying")
    assert spans(app) == [("entity", "PERSON")]  # stored, but tab A does not know it yet

    sent_by_b = creates_sent_by(tab_b)
    open_workspace(tab_b, seed_article)
    expect(paragraph(tab_b, WANG).locator(".ent")).to_have_text(WANG)  # read from the server
    tag(tab_b, CHO, "2")
    wait_saved(tab_b)
    assert [posted(r)["label"] for r in sent_by_b] == ["NORP"], "B sends only its own edit"

    expect(page.locator(".ws-save")).to_contain_text("Offline, retrying")  # A still retrying
    page.unroute(CREATES, lose_the_answer)
    page.evaluate("window.dispatchEvent(new Event('online'))")  # retry now, not after back-off
    wait_saved(page)

    saved = saved_annotations(app)
    assert sorted(a.label for a in saved) == ["NORP", "PERSON"], "every retry named one client id"
    assert len({a.client_id for a in saved}) == 2 and all(a.client_id for a in saved)


def test_a_closed_tabs_pending_create_is_adopted_by_another_tab_and_still_stored_once(
    app: Flask, page: Page, tab_b: Page, users: dict[str, int], seed_article: int
) -> None:
    log_in(page, "anna")
    open_workspace(page, seed_article)
    page.route(CREATES, lose_the_answer)
    tag(page, WANG)
    expect(page.locator(".ws-save")).to_contain_text("Offline, retrying")

    tab_b.clock.install()  # B's clock and timers run only when the test says so
    open_workspace(tab_b, seed_article)
    sent_by_b = creates_sent_by(tab_b)
    page.close()  # closed with a pending save: nobody hears back from tab A again
    assert sent_by_b == []

    # Long after A's last heartbeat, B adopts the create and sends it again. Waiting for that
    # request first: the toolbar says "All changes saved" before B starts, so waiting for
    # it alone could pass before the request was sent (or its event reached the test).
    with tab_b.expect_request(lambda r: r.method == "POST" and r.url.endswith(CREATES[2:])):
        tab_b.clock.run_for(3 * 60_000)
    expect(tab_b.locator(".ws-message")).to_contain_text("left unsaved by a tab or window")
    wait_saved(tab_b)
    assert len(sent_by_b) == 1
    expect(paragraph(tab_b, WANG).locator(".ent")).to_have_count(1)
    [saved] = saved_annotations(app)
    assert (saved.label, saved.client_id) == ("PERSON", posted(sent_by_b[0])["client_id"])


def test_a_stale_tabs_overlapping_span_is_refused_with_a_reason_and_the_saved_span_shown(
    app: Flask, page: Page, tab_b: Page, users: dict[str, int], seed_article: int
) -> None:
    log_in(page, "anna")
    open_workspace(page, seed_article)
    open_workspace(tab_b, seed_article)  # does not know of the span A is about to save
    tag(page, WANG)
    wait_saved(page)

    tag(tab_b, "Wang", "2")
    expect(tab_b.locator(".ws-message")).to_contain_text("Not saved: ")
    expect(tab_b.locator(".ws-message")).to_contain_text("now shows what is saved")
    span = paragraph(tab_b, WANG).locator(".ent")
    expect(span).to_have_text(WANG)
    expect(span).to_have_attribute("data-label-name", "PERSON")
    wait_saved(tab_b)
    assert spans(app) == [("entity", "PERSON")]


def sentiment_button(page: Page, value: str) -> Locator:
    return paragraph(page, CHO).locator(f".sentiment-choice[data-value={value}]")


def test_a_stale_tabs_sentiment_is_refused_and_the_tab_shows_the_saved_one(
    app: Flask, page: Page, tab_b: Page, users: dict[str, int], seed_article: int
) -> None:
    log_in(page, "anna")
    open_workspace(page, seed_article)
    open_workspace(tab_b, seed_article)  # loaded before A's choice: stale from then on

    sentiment_button(page, "positive").click()
    wait_saved(page)
    sentiment_button(tab_b, "negative").click()

    expect(tab_b.locator(".ws-message")).to_have_text(
        "This paragraph's sentiment was changed in another tab or window; "
        "it now shows the saved value."
    )
    expect(sentiment_button(tab_b, "positive")).to_have_attribute("aria-pressed", "true")
    expect(sentiment_button(tab_b, "negative")).to_have_attribute("aria-pressed", "false")
    wait_saved(tab_b)
    [kept] = [a for a in saved_annotations(app) if a.layer == "sentiment"]
    assert (kept.label, kept.version) == ("positive", 1)

    sentiment_button(tab_b, "negative").click()  # now based on what it was shown: accepted
    wait_saved(tab_b)
    [changed] = [a for a in saved_annotations(app) if a.layer == "sentiment"]
    assert (changed.id, changed.label, changed.version) == (kept.id, "negative", 2)


def test_leaving_asks_first_only_while_changes_are_unsaved(
    app: Flask, page: Page, users: dict[str, int], seed_article: int
) -> None:
    log_in(page, "anna")
    open_workspace(page, seed_article)
    page.route(CREATES, lambda route: route.abort("connectionrefused"))
    tag(page, WANG)
    expect(page.locator(".ws-save")).to_contain_text("Offline, retrying")

    with page.expect_event("dialog") as asked:
        page.close(run_before_unload=True)
    assert asked.value.type == "beforeunload"
    asked.value.dismiss()  # stay on the page
    page.unroute(CREATES)
    page.evaluate("window.dispatchEvent(new Event('online'))")
    wait_saved(page)
    assert spans(app) == [("entity", "PERSON")]

    dialogs: list[str] = []

    def answer(dialog: Dialog) -> None:
        dialogs.append(dialog.type)
        dialog.accept()

    page.on("dialog", answer)
    with page.expect_event("close"):
        page.close(run_before_unload=True)
    assert dialogs == []
