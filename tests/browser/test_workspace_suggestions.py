"""Suggestions in a real browser: ghost spans from propagation and from a model, accepted and
rejected by keys and by click, accept-all with Shift+A, and propagation to the next article."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from flask import Flask
from playwright.sync_api import Page, expect

from annotator.extensions import db
from annotator.suggestions.store import SuggestedSpan, replace_suggestions
from tests.api_helpers import paragraph_with, span_of
from tests.browser.conftest import log_in
from tests.browser.workspace_helpers import (
    open_workspace,
    paragraph,
    saved_annotations,
    select_text,
    wait_saved,
)
from tests.conftest import import_text

pytestmark = pytest.mark.browser

KOREA = "South Korea"
SPACY_LOAD_MS = 30_000
WANG_PARAGRAPH = "Wang pledged to work with South Korea"


def suggest(app: Flask, article: int, needle: str, items: list[tuple[str, str]]) -> int:
    """Store model suggestions (text, label) in the paragraph holding needle, for everyone."""
    paragraph_id, text = paragraph_with(app, article, needle)
    with app.app_context():
        spans = [
            SuggestedSpan(paragraph_id, "entity", label, *span_of(text, t)) for t, label in items
        ]
        replace_suggestions(db.session, [paragraph_id], "model:ner", spans, model_version="7")
        db.session.commit()
    return paragraph_id


def ghosts(page: Page, needle: str) -> object:
    return paragraph(page, needle).locator(".ghost[tabindex='0']")


def test_labelling_a_string_suggests_it_elsewhere_and_keys_accept_and_reject(
    app: Flask, page: Page, users: dict[str, int], seed_article: int
) -> None:
    log_in(page, "anna")
    open_workspace(page, seed_article)
    expect(page.locator("body[data-suggestions='0']")).to_be_attached()

    select_text(page, KOREA)  # the first one
    expect(page.locator(".picker")).to_be_visible()
    page.keyboard.press("4")  # GPE
    wait_saved(page)

    korea = page.locator(".ghost[tabindex='0']", has_text=KOREA)
    expect(korea.first).to_be_visible()  # no reload: propagation arrives after the save
    expect(korea.first).to_have_attribute("data-source", "propagation")
    expect(korea.first).to_have_attribute(
        "title", "Suggested GPE from propagation: Enter or a accepts, x rejects"
    )
    count = korea.count()
    assert count >= 3

    korea.first.focus()
    page.keyboard.press("Enter")  # accept; focus moves to the next suggestion
    expect(page.locator(".ghost[tabindex='0']", has_text=KOREA)).to_have_count(count - 1)
    page.keyboard.press("x")  # reject the next one
    expect(page.locator(".ghost[tabindex='0']", has_text=KOREA)).to_have_count(count - 2)
    page.keyboard.press("a")  # and accept the one after
    expect(page.locator(".ghost[tabindex='0']", has_text=KOREA)).to_have_count(count - 3)
    wait_saved(page)

    saved = saved_annotations(app)
    assert sorted(a.source for a in saved) == ["manual", "propagation", "propagation"]
    assert {a.label for a in saved} == {"GPE"}
    expect(page.locator(".ent", has_text=KOREA)).to_have_count(3)

    page.reload()  # the rejected one stays rejected, the accepted ones are spans
    expect(page.locator("body[data-ready=true]")).to_be_attached()
    expect(page.locator(".ent", has_text=KOREA)).to_have_count(3)
    expect(page.locator(".ghost[tabindex='0']", has_text=KOREA)).to_have_count(count - 3)


def test_shift_a_accepts_a_paragraphs_suggestions_and_undo_takes_them_back(
    app: Flask, page: Page, users: dict[str, int], seed_article: int
) -> None:
    suggest(app, seed_article, WANG_PARAGRAPH, [("Wang", "PERSON"), ("Beijing", "GPE")])
    log_in(page, "anna")
    open_workspace(page, seed_article)
    expect(ghosts(page, WANG_PARAGRAPH)).to_have_count(2)
    expect(ghosts(page, WANG_PARAGRAPH).first).to_have_attribute(
        "title", "Suggested PERSON from model ner (7): Enter or a accepts, x rejects"
    )

    ghosts(page, WANG_PARAGRAPH).first.focus()
    page.keyboard.press("Shift+A")

    expect(ghosts(page, WANG_PARAGRAPH)).to_have_count(0)
    expect(paragraph(page, WANG_PARAGRAPH).locator(".ent.ent-start")).to_have_count(2)
    expect(page.locator(".ws-message")).to_have_text("Accepted 2 suggestions in this paragraph.")
    wait_saved(page)
    assert sorted((a.label, a.source) for a in saved_annotations(app)) == [
        ("GPE", "model:ner"),
        ("PERSON", "model:ner"),
    ]

    page.keyboard.press("Control+z")
    expect(paragraph(page, WANG_PARAGRAPH).locator(".ent")).to_have_count(0)
    wait_saved(page)
    assert saved_annotations(app) == []
    expect(ghosts(page, WANG_PARAGRAPH)).to_have_count(2)  # undone: suggested again


def test_a_click_on_a_ghost_offers_accept_and_reject(
    app: Flask, page: Page, users: dict[str, int], seed_article: int
) -> None:
    suggest(app, seed_article, WANG_PARAGRAPH, [("Wang", "PERSON"), ("Beijing", "GPE")])
    log_in(page, "anna")
    open_workspace(page, seed_article)

    ghosts(page, WANG_PARAGRAPH).first.click()
    menu = page.locator(".ghost-menu")
    expect(menu).to_contain_text("Suggested by model ner (7)")
    menu.get_by_role("button", name="Reject").click()
    expect(ghosts(page, WANG_PARAGRAPH)).to_have_count(1)

    ghosts(page, WANG_PARAGRAPH).first.click()
    page.locator(".ghost-menu").get_by_role("button", name="Accept").click()
    expect(ghosts(page, WANG_PARAGRAPH)).to_have_count(0)
    wait_saved(page)
    assert [(a.label, a.source) for a in saved_annotations(app)] == [("GPE", "model:ner")]


def test_propagation_follows_the_annotator_to_the_next_article(
    app: Flask, page: Page, users: dict[str, int], seed_article: int
) -> None:
    later = import_text(app, "later.txt", "Later story\nEnvoys of South Korea met again.\n")
    log_in(page, "anna")
    open_workspace(page, seed_article)
    select_text(page, KOREA)
    expect(page.locator(".picker")).to_be_visible()
    page.keyboard.press("4")
    wait_saved(page)

    open_workspace(page, later)

    ghost = page.locator(".ghost[tabindex='0']")
    expect(ghost).to_have_text(KOREA)
    ghost.focus()
    page.keyboard.press("a")
    expect(page.locator(".ent")).to_have_text(KOREA)
    wait_saved(page)
    assert [a.source for a in saved_annotations(app)] == ["manual", "propagation"]


def test_an_admin_uploads_patterns_a_bad_line_is_named_and_the_good_file_suggests(
    app: Flask, page: Page, users: dict[str, int], seed_article: int, tmp_path: Path
) -> None:
    bad = tmp_path / "places.jsonl"
    bad.write_text(
        '{"label": "GPE", "pattern": "Seoul"}\n{"label": "GPE", "pattern": [{"COLOUR": "red"}]}\n'
    )
    good = tmp_path / "people.jsonl"
    tokens = [{"LOWER": "cho"}, {"LOWER": "tae"}, {"ORTH": "-"}, {"LOWER": "yul"}]
    good.write_text(json.dumps({"label": "PERSON", "pattern": tokens}) + "\n")
    log_in(page, "admin")
    page.goto("/admin/projects/default/patterns")

    page.get_by_label("Pattern file").set_input_files(str(bad))
    page.get_by_role("button", name="Upload patterns").click()
    # The first upload loads spaCy in the server: seconds on a busy machine.
    expect(page.locator(".error")).to_contain_text(
        "places.jsonl, line 2: bad token pattern", timeout=SPACY_LOAD_MS
    )
    expect(page.get_by_text("No pattern files yet.")).to_be_visible()

    page.get_by_label("Pattern file").set_input_files(str(good))
    page.get_by_role("button", name="Upload patterns").click()
    stored = page.get_by_text("people.jsonl: 1 patterns stored; 1 new suggestions.")
    expect(stored).to_be_visible(timeout=SPACY_LOAD_MS)

    open_workspace(page, seed_article)
    # Suggestions load after the page is ready: Tab before they are drawn finds no ghost.
    expect(paragraph(page, "Cho Tae-yul").locator(".ghost")).to_have_text("Cho Tae-yul")
    paragraph(page, "Cho Tae-yul").locator(".para-text").click(position={"x": 5, "y": 5})
    page.keyboard.press("Tab")  # from the paragraph into its ghost
    focused = page.locator(".ghost:focus")
    expect(focused).to_have_text("Cho Tae-yul")
    expect(focused).to_have_attribute("data-source", "pattern")
    page.keyboard.press("a")
    wait_saved(page)
    assert [(a.label, a.source) for a in saved_annotations(app)] == [("PERSON", "pattern")]


def test_predictions_imported_on_the_command_line_show_as_ghosts(
    app: Flask, page: Page, users: dict[str, int], seed_article: int, tmp_path: Path
) -> None:
    _, text = paragraph_with(app, seed_article, "Cho Tae-yul")
    start, end = span_of(text, "Seoul")
    path = tmp_path / "ner.jsonl"
    path.write_text(json.dumps({"text": text, "label": [[start, end, "GPE"]]}) + "\n")
    result = app.test_cli_runner().invoke(args=["import", str(path), "--as-predictions", "ner"])
    assert result.exit_code == 0, result.output
    log_in(page, "anna")
    open_workspace(page, seed_article)

    ghost = paragraph(page, "Cho Tae-yul").locator(".ghost[tabindex='0']")
    expect(ghost).to_have_text("Seoul")
    expect(ghost).to_have_attribute(
        "title", "Suggested GPE from import ner: Enter or a accepts, x rejects"
    )
    ghost.focus()
    page.keyboard.press("x")
    expect(paragraph(page, "Cho Tae-yul").locator(".ghost")).to_have_count(0)
    page.reload()
    expect(page.locator("body[data-ready=true]")).to_be_attached()
    expect(page.locator("body[data-suggestions='0']")).to_be_attached()
    assert saved_annotations(app) == []
