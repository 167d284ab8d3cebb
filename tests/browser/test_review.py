"""Adjudicating the seed article in a real browser, with the keyboard: accept all
agreements, accept one version of a disagreement, reject another, add a span nobody marked,
mark the article adjudicated; the gold in the database is exactly those decisions."""

from __future__ import annotations

from flask import Flask
from playwright.sync_api import Page, expect
from sqlalchemy import select

from annotator.annotations import Proposal, writer
from annotator.extensions import db
from annotator.models import Annotation, Article, ArticleReview, Paragraph, User
from tests.browser.conftest import log_in, picture
from tests.browser.workspace_helpers import select_text, wait_saved

CHO = "Cho Tae-yul"


def annotate(app: Flask, username: str, article_id: int, marks: dict[str, str]) -> None:
    """The user's entities (text -> label) and a neutral sentiment, through the writer; done."""
    with app.app_context():
        user = db.session.scalar(select(User).where(User.username_key == username))
        paragraph = db.session.scalar(
            select(Paragraph).where(
                Paragraph.article_id == article_id, Paragraph.text.contains(CHO)
            )
        )
        assert user is not None and paragraph is not None
        for needle, label in marks.items():
            start = paragraph.text.index(needle)
            proposal = Proposal(layer="entity", start=start, end=start + len(needle), label=label)
            writer.create(db.session, user, paragraph, proposal)
        writer.set_paragraph_sentiment(db.session, user, paragraph, "neutral")
        article = db.session.get(Article, article_id)
        assert article is not None
        writer.set_status(db.session, user, article, "done")
        db.session.commit()


def gold(app: Flask) -> list[tuple[str, str | None, str]]:
    with app.app_context():
        rows = db.session.execute(
            select(Annotation, Paragraph.text)
            .join(Paragraph, Paragraph.id == Annotation.paragraph_id)
            .where(Annotation.is_gold.is_(True))
            .order_by(Annotation.id)
        )
        return [
            (a.layer, text[a.start : a.end] if a.start is not None else None, a.label)
            for a, text in rows
        ]


def focused(page: Page, item: str) -> None:
    expect(page.locator("tr.rv-row.focused .rv-item")).to_have_text(item)


def test_a_reviewer_adjudicates_the_seed_article_with_the_keyboard(
    app: Flask, page: Page, users: dict[str, int], seed_article: int
) -> None:
    annotate(app, "anna", seed_article, {CHO: "PERSON", "Wang Yi": "PERSON", "Seoul": "GPE"})
    annotate(app, "bob", seed_article, {CHO: "PERSON", "Wang Yi": "ORG"})
    log_in(page, "rita")
    page.goto(f"/review/articles/{seed_article}")
    expect(page.locator("body[data-ready=true]")).to_be_attached()
    expect(page.locator(".rv-status")).to_have_text("in review")
    expect(page.locator("tr.rv-row[data-state=agreed]")).to_have_count(2)
    expect(page.locator("tr.rv-row[data-state=disagreed]")).to_have_count(2)

    page.keyboard.press("Shift+A")  # accept all agreements: Cho, the paragraph's sentiment
    expect(page.locator("tr.rv-row[data-state=gold]")).to_have_count(2)
    wait_saved(page)
    focused(page, f"entity “{CHO}”")

    page.keyboard.press("j")
    focused(page, "entity “Wang Yi”")
    page.keyboard.press("2")  # bob's version
    page.keyboard.press("a")
    expect(page.locator("tr.focused .rv-gold")).to_have_text("ORG")
    expect(page.locator("tr.focused .rv-cell[data-annotator=anna]")).to_have_class(
        "rv-cell cell-rejected"
    )

    page.keyboard.press("j")
    focused(page, "entity “Seoul”")
    page.keyboard.press("x")  # anna's Seoul stays out of gold
    expect(page.locator("tr.focused .rv-cell.chosen")).to_have_class("rv-cell cell-rejected chosen")

    select_text(page, "Foreign Ministry")
    form = page.locator(".rv-form")
    expect(form).to_be_visible()
    form.locator("select[name=label]").select_option("ORG")
    form.locator("select[name=label]").press("Enter")
    expect(page.locator("tr.rv-added")).to_have_count(1)
    wait_saved(page)
    page.keyboard.press("?")
    expect(page.locator(".help-overlay")).to_be_visible()
    page.keyboard.press("Escape")
    page.locator("tr.rv-row", has_text="Wang Yi").click()
    page.screenshot(path=picture("review.png"), full_page=False)

    page.get_by_role("button", name="Mark adjudicated").click()
    expect(page.locator(".rv-status")).to_have_text("adjudicated")
    wait_saved(page)
    assert sorted(gold(app)) == [
        ("entity", CHO, "PERSON"),
        ("entity", "Foreign Ministry", "ORG"),
        ("entity", "Wang Yi", "ORG"),
        ("sentiment", None, "neutral"),
    ]
    with app.app_context():
        review = db.session.get(ArticleReview, seed_article)
        assert review is not None and review.status == "adjudicated"
        assert review.reviewer_id == users["rita"]


def test_the_annotator_sees_a_reviewers_comment_on_her_span(
    app: Flask, page: Page, users: dict[str, int], seed_article: int
) -> None:
    from annotator.review.comments import add_comment

    annotate(app, "anna", seed_article, {CHO: "PERSON"})
    note = "<i>Minister</i> titles stay outside the span"
    with app.app_context():
        anna = db.session.get(User, users["anna"])
        rita = db.session.get(User, users["rita"])
        entity = db.session.scalar(select(Annotation).where(Annotation.layer == "entity"))
        assert anna is not None and rita is not None and entity is not None
        add_comment(db.session, rita, entity, note)
        db.session.commit()
    log_in(page, "anna")
    page.goto(f"/articles/{seed_article}")
    span = page.locator(".ent.has-comment")
    expect(span).to_have_count(1)
    span.click()
    expect(page.locator(".span-menu .span-comment")).to_have_text(f"Reviewer rita: {note}")


def test_a_page_read_before_the_adjudication_cannot_change_the_gold(
    app: Flask, page: Page, users: dict[str, int], seed_article: int
) -> None:
    annotate(app, "anna", seed_article, {CHO: "PERSON", "Wang Yi": "PERSON"})
    annotate(app, "bob", seed_article, {CHO: "PERSON", "Wang Yi": "ORG"})
    log_in(page, "rita")
    page.goto(f"/review/articles/{seed_article}")
    expect(page.locator("body[data-ready=true]")).to_be_attached()
    expect(page.locator(".rv-status")).to_have_text("in review")
    with app.app_context():  # another reviewer adjudicates while this page is open
        rita = db.session.get(User, users["rita"])
        article = db.session.get(Article, seed_article)
        assert rita is not None and article is not None
        review = db.session.get(ArticleReview, seed_article)
        assert review is not None
        writer.set_review_status(db.session, rita, article, "adjudicated", review.version)
        db.session.commit()

    page.locator("tr.rv-row", has_text="Wang Yi").click()
    page.keyboard.press("2")  # bob's version
    page.keyboard.press("a")
    expect(page.locator(".rv-status")).to_have_text("adjudicated")
    expect(page.get_by_text("this article is adjudicated, so its gold is final")).to_be_visible()
    expect(page.locator("tr.rv-row[data-state=gold]")).to_have_count(0)
    assert gold(app) == []
