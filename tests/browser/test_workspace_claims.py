"""Claims with an entity claimant, and paragraph sentiment by keyboard, in a real browser."""

from flask import Flask
from playwright.sync_api import Page, expect

from tests.browser.conftest import log_in
from tests.browser.workspace_helpers import (
    open_workspace,
    paragraph,
    saved_annotations,
    select_text,
    wait_saved,
)

CLAIM = "Seoul has said the meeting could take place on May 26-27"


def test_add_a_claim_whose_claimant_is_an_entity(
    app: Flask, page: Page, users: dict[str, int], seed_article: int
) -> None:
    log_in(page, "anna")
    open_workspace(page, seed_article)
    select_text(page, "Seoul", occurrence=1)
    expect(page.locator(".picker")).to_be_visible()
    page.keyboard.press("4")  # GPE
    expect(paragraph(page, CLAIM).locator(".ent")).to_have_count(1)

    page.keyboard.press("c")
    expect(page.get_by_role("button", name="Claims")).to_have_attribute("aria-pressed", "true")
    select_text(page, CLAIM)
    form = page.locator(".claim-form")
    expect(form).to_be_visible()
    form.get_by_label("reported").check()
    form.get_by_label("Claimant").fill("seo")
    form.get_by_role("option", name="Seoul · GPE · ¶8").click()
    expect(form.locator(".claimant-chosen")).to_have_text("Claimant: Seoul · GPE · ¶8")
    form.get_by_label("yes").check()
    page.keyboard.press("2")  # prediction: the type key saves the claim
    expect(form).to_be_hidden()

    claim = paragraph(page, CLAIM).locator(".claim")
    expect(claim.first).to_be_visible()
    expect(paragraph(page, CLAIM).locator(".claim .ent, .ent .claim")).to_have_count(1)
    wait_saved(page)
    entity, saved = saved_annotations(app)
    assert saved.layer == "claim" and saved.label == "prediction"
    assert saved.attributes == {
        "attribution": "reported",
        "claimant": {"entity_id": entity.id, "text": "Seoul"},
        "checkworthy": "yes",
    }

    # Deleting the claimant entity unlinks the claim; undo links it to the restored entity.
    page.keyboard.press("c")  # back to entities
    paragraph(page, CLAIM).locator(".ent").click()
    page.keyboard.press("Delete")
    expect(paragraph(page, CLAIM).locator(".ent")).to_have_count(0)
    wait_saved(page)
    [unlinked] = saved_annotations(app)
    assert unlinked.attributes["claimant"] == {"entity_id": None, "text": "Seoul"}
    page.keyboard.press("Control+z")
    expect(paragraph(page, CLAIM).locator(".ent")).to_have_count(1)
    wait_saved(page)
    relinked, restored = saved_annotations(app)  # the restored entity has a new id
    assert restored.layer == "entity" and restored.label == "GPE"
    assert relinked.attributes["claimant"] == {"entity_id": restored.id, "text": "Seoul"}


def test_set_a_paragraph_sentiment_with_the_keyboard(
    app: Flask, page: Page, users: dict[str, int], seed_article: int
) -> None:
    log_in(page, "anna")
    open_workspace(page, seed_article)
    page.keyboard.press("j")
    page.keyboard.press("j")
    focused = page.locator(".para.focused")
    expect(focused).to_contain_text("Cho Tae-yul")
    page.keyboard.press("e")  # the third sentiment, positive

    expect(focused.get_by_role("button", name="e positive")).to_have_attribute(
        "aria-pressed", "true"
    )
    expect(page.locator(".ws-progress-text")).to_have_text("1 / 13 paragraphs")
    wait_saved(page)
    [saved] = saved_annotations(app)
    assert (saved.layer, saved.label, saved.start) == ("sentiment", "positive", None)
