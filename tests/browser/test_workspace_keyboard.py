"""The keyboard-first flow: sticky labels, the word caret, keys with one meaning each,
sentiment towards a span, claims in three actions, popups that leave the selected line visible."""

from flask import Flask
from playwright.sync_api import Page, expect

from tests.browser.conftest import log_in
from tests.browser.workspace_helpers import (
    FIND_TEXT_BOX,
    open_workspace,
    paragraph,
    saved_annotations,
    saved_texts,
    select_text,
    wait_saved,
)

CHO = "Cho Tae-yul"
CLAIM = "Seoul has said the meeting could take place on May 26-27"

SELECTION_BOX = """() => {
  const r = window.getSelection().getRangeAt(0).getBoundingClientRect();
  return {top: r.top, bottom: r.bottom};
}"""


def spans(app: Flask) -> list[tuple[str, str, str | None]]:
    return saved_texts(app)


def press(page: Page, *keys: str) -> None:
    for key in keys:
        page.keyboard.press(key)


def test_the_caret_reaches_a_hyphenated_name_and_a_label_key_labels_it(
    app: Flask, page: Page, users: dict[str, int], seed_article: int
) -> None:
    log_in(page, "anna")
    open_workspace(page, seed_article)
    press(page, "j", "j")
    focused = page.locator(".para.focused")
    expect(focused).to_contain_text(CHO)
    press(page, *["ArrowRight"] * 5)  # South, Korea, Foreign, Minister, Cho
    press(page, "Shift+ArrowRight")  # "Tae-yul" is one word
    assert page.evaluate("() => window.getSelection().toString()") == CHO
    press(page, "1")  # a label key labels the selection at once: no picker
    expect(focused.locator(".ent")).to_have_text(CHO)
    expect(page.locator(".picker")).to_have_count(0)
    wait_saved(page)
    [saved] = saved_annotations(app)
    assert (saved.start, saved.end, saved.label) == (31, 42, "PERSON")

    # The caret resumes after the new span; an entity span is one step of it.
    press(page, "ArrowRight")
    assert page.evaluate("() => window.getSelection().toString()") == "and"
    press(page, "ArrowLeft")
    expect(focused.locator(".ent.selected")).to_have_text(CHO)
    press(page, "4")  # on the focused span a label key relabels it, keeping it
    expect(focused.locator(".ent")).to_have_attribute("data-label-name", "GPE")
    wait_saved(page)
    [relabelled] = saved_annotations(app)
    assert (relabelled.id, relabelled.label) == (saved.id, "GPE")


def test_sticky_label_labels_every_selection_until_escape(
    app: Flask, page: Page, users: dict[str, int], seed_article: int
) -> None:
    log_in(page, "anna")
    open_workspace(page, seed_article)
    sticky = page.locator(".ws-sticky")
    expect(sticky).to_be_hidden()
    press(page, "4")  # nothing selected: arm GPE
    expect(sticky).to_be_visible()
    expect(sticky).to_contain_text("GPE")

    select_text(page, "Seoul", occurrence=1)  # the mouse: one drag, no picker
    select_text(page, "eiji")  # a half word snaps: Beijing
    expect(page.locator(".picker")).to_have_count(0)
    press(page, "k", *["ArrowRight"] * 6)  # k: the caret starts again in this paragraph
    press(page, "Shift+ArrowRight", "Enter")  # the keyboard: the selection, then Enter
    expect(paragraph(page, "(Bloomberg)").locator(".ent")).to_have_count(2)
    wait_saved(page)
    assert sorted(spans(app)) == [
        ("entity", "GPE", "Beijing"),
        ("entity", "GPE", "Seoul"),
        ("entity", "GPE", "South Korea"),
    ]

    press(page, "Escape")
    expect(sticky).to_be_hidden()
    select_text(page, "Wang Yi")
    expect(page.locator(".picker")).to_be_visible()  # disarmed: the picker asks again
    press(page, "1")
    press(page, "1", "1")  # arm, then the same key again disarms
    expect(sticky).to_be_hidden()
    wait_saved(page)
    assert ("entity", "PERSON", "Wang Yi") in spans(app)


def test_a_label_key_never_sets_the_sentiment_which_has_keys_of_its_own(
    app: Flask, page: Page, users: dict[str, int], seed_article: int
) -> None:
    log_in(page, "anna")
    open_workspace(page, seed_article)
    press(page, "j")
    focused = page.locator(".para.focused")
    press(page, "1")  # PERSON armed; the paragraph's sentiment is untouched
    expect(page.locator(".ws-sticky")).to_contain_text("PERSON")
    expect(focused.locator(".sentiment-choice[aria-pressed=true]")).to_have_count(0)
    press(page, "Escape", "q")  # q: the first sentiment, negative
    expect(focused.get_by_role("button", name="q negative")).to_have_attribute(
        "aria-pressed", "true"
    )
    press(page, "r")  # r: mixed replaces it
    expect(focused.get_by_role("button", name="r mixed")).to_have_attribute("aria-pressed", "true")
    wait_saved(page)
    assert spans(app) == [("sentiment", "mixed", None)]
    press(page, "r")  # the same key again clears it
    expect(focused.locator(".sentiment-choice[aria-pressed=true]")).to_have_count(0)
    wait_saved(page)
    assert spans(app) == []
    # Clicking a sentiment button focuses its paragraph too, for the keys that follow.
    paragraph(page, CHO).locator(".sentiment-choice[data-value=positive]").click()
    expect(page.locator(".para.focused")).to_contain_text(CHO)
    press(page, "w")
    expect(paragraph(page, CHO).get_by_role("button", name="w neutral")).to_have_attribute(
        "aria-pressed", "true"
    )
    page.locator(".ws-help-button").click()
    help_text = page.locator(".help-overlay").inner_text()
    assert "Shift+Q" in help_text and "q … t" in help_text


def test_sentiment_towards_the_focused_span_by_keys(
    app: Flask, page: Page, users: dict[str, int], seed_article: int
) -> None:
    log_in(page, "anna")
    open_workspace(page, seed_article)
    select_text(page, CHO)
    press(page, "1")
    press(page, "Shift+E")  # the span just labelled is focused: positive towards it
    targets = paragraph(page, CHO).locator(".targets")
    expect(targets).to_have_text(f"{CHO}: positive")
    select_text(page, "Wang Yi")
    press(page, "1")
    paragraph(page, CHO).locator(".ent", has_text=CHO).click()  # focus a span by clicking it
    expect(page.locator(".span-menu")).to_be_visible()
    press(page, "Shift+W")  # neutral, from the span menu
    expect(targets).to_have_text(f"{CHO}: neutral")
    wait_saved(page)
    saved = saved_annotations(app)
    cho = next(a for a in saved if a.layer == "entity" and a.label == "PERSON" and a.start == 31)
    [towards] = [a for a in saved if a.layer == "sentiment"]
    assert towards.label == "neutral" and towards.attributes == {"target_id": cho.id}
    press(page, "j", "Shift+W")  # no focused span: a message, nothing else
    expect(page.locator(".ws-message")).to_contain_text("Focus an entity span first")


def test_a_claim_with_its_claimant_in_three_actions_and_by_type_ahead(
    app: Flask, page: Page, users: dict[str, int], seed_article: int
) -> None:
    log_in(page, "anna")
    open_workspace(page, seed_article)
    for needle, occurrence in (("Seoul", 0), ("Seoul", 1)):
        select_text(page, needle, occurrence)
        press(page, "4")
    wait_saved(page)

    press(page, "c")  # claim mode, once for any number of claims
    select_text(page, CLAIM)  # 1
    form = page.locator(".claim-form")
    expect(form).to_be_visible()
    paragraph(page, CLAIM).locator(".ent", has_text="Seoul").nth(1).click()  # 2: the claimant
    expect(form.locator(".claimant-chosen")).to_have_text("Claimant: Seoul · GPE · ¶8")
    press(page, "2")  # 3: prediction, saved
    expect(form).to_be_hidden()
    wait_saved(page)
    claims = [a for a in saved_annotations(app) if a.layer == "claim"]
    seoul = [a for a in saved_annotations(app) if a.layer == "entity"]
    assert [(c.label, c.attributes["claimant"]) for c in claims] == [
        ("prediction", {"entity_id": seoul[1].id, "text": "Seoul"})
    ]

    select_text(page, "the meeting could take place")
    box = page.evaluate(SELECTION_BOX)
    expect(form).to_be_visible()
    form_box = form.bounding_box()
    assert form_box is not None
    assert form_box["y"] + form_box["height"] <= box["top"] or form_box["y"] >= box["bottom"]
    page.keyboard.type("o")  # letters go to the claimant field without clicking into it
    expect(form.get_by_role("option")).not_to_have_count(0)
    page.wait_for_timeout(100)  # the form grew with its choices, and is placed again
    grown = form.bounding_box()
    assert grown is not None and grown["height"] > form_box["height"]
    assert grown["y"] + grown["height"] <= box["top"] or grown["y"] >= box["bottom"]
    page.keyboard.press("Backspace")
    page.keyboard.type("seo")
    options = form.get_by_role("option")
    expect(options).to_have_count(1)  # two mentions of Seoul, one choice, with its paragraph
    expect(options).to_have_text(["Seoul · GPE · ¶8"])
    press(page, "Enter", "1")  # pick the highlighted one, then the type key saves
    expect(form).to_be_hidden()
    wait_saved(page)
    claims = [a for a in saved_annotations(app) if a.layer == "claim"]
    assert len(claims) == 2


def test_popups_open_above_the_selected_line_and_never_cover_it(
    app: Flask, page: Page, users: dict[str, int], seed_article: int
) -> None:
    log_in(page, "anna")
    open_workspace(page, seed_article)
    for needle in ("Pyongyang", "Washington has imposed"):
        select_text(page, needle)
        box = page.evaluate(SELECTION_BOX)
        picker = page.locator(".picker").bounding_box()
        assert picker is not None
        assert picker["y"] + picker["height"] <= box["top"]  # above, where there is room
        press(page, "Escape")
    page.mouse.wheel(0, -5000)
    select_text(page, "(Bloomberg)")  # just under the toolbar: no room above, so below
    box = page.evaluate(SELECTION_BOX)
    picker = page.locator(".picker").bounding_box()
    assert picker is not None and picker["y"] >= box["bottom"]
    press(page, "3")
    page.locator(".ent", has_text="Bloomberg").first.click()
    menu = page.locator(".span-menu").bounding_box()
    assert menu is not None and menu["y"] >= box["bottom"]


def test_selections_across_paragraphs_or_in_boilerplate_say_why_nothing_happened(
    page: Page, users: dict[str, int], seed_article: int
) -> None:
    log_in(page, "anna")
    open_workspace(page, seed_article)
    start = page.evaluate(FIND_TEXT_BOX, ["nuclear ambitions", 0])
    end = page.evaluate(FIND_TEXT_BOX, ["Foreign Minister", 0])
    page.mouse.move(start["x1"], start["y1"])
    page.mouse.down()
    page.mouse.move(end["x2"], end["y2"], steps=5)
    page.mouse.up()
    message = page.locator(".ws-message")
    expect(message).to_contain_text("inside one paragraph")
    expect(page.locator(".picker")).to_have_count(0)

    page.locator(".bp-toggle").first.click()
    select_text(page, "Most Read from Bloomberg")
    expect(message).to_contain_text("boilerplate")
    expect(page.locator(".picker")).to_have_count(0)
    select_text(page, "Wang Yi")  # a good selection clears the message
    expect(page.locator(".picker")).to_be_visible()
    expect(message).to_be_hidden()
