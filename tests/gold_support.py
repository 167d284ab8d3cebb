"""Hand-built cases for gold, majority and scorecard tests: three annotators and a reviewer's
gold on two short articles, written so that every expected figure can be worked out by eye.

Gold rows and review status are stored directly (the writer's gold path is being built
elsewhere); annotators' rows as tests/test_export_support.py stores them.
"""

from __future__ import annotations

from typing import Any

from flask import Flask

from annotator.extensions import db
from annotator.models import Annotation, AnnotationComment, ArticleReview
from tests.conftest import add_user, import_text
from tests.test_export_support import _paragraph, _user_id, add, set_status

FIRST = "Alice met Bob in Paris on Monday."
SECOND = "Markets were calm."
ARTICLE_ONE = f"Talks\n{FIRST}\n{SECOND}\n"
ARTICLE_TWO = "Weather\nRain fell on Oslo.\n"
ALICE, BOB, PARIS, MONDAY, WHOLE = (0, 5), (10, 13), (17, 22), (26, 32), (0, 33)


def add_gold(
    article_id: int,
    index: int,
    reviewer: str,
    layer: str,
    label: str,
    span: tuple[int, int] | None = None,
    **attributes: Any,
) -> int:
    """A gold annotation as the writer's gold path stores it: is_gold, the reviewer owns it."""
    row = Annotation(
        paragraph_id=_paragraph(article_id, index).id,
        annotator_id=_user_id(reviewer),
        is_gold=True,
        layer=layer,
        start=span[0] if span else None,
        end=span[1] if span else None,
        label=label,
        attributes=attributes,
        target_id=attributes.get("target_id"),
    )
    db.session.add(row)
    db.session.flush()
    return row.id


def set_review(article_id: int, status: str) -> None:
    db.session.add(ArticleReview(article_id=article_id, status=status))


def comment(annotation_id: int, author: str, body: str) -> None:
    db.session.add(
        AnnotationComment(annotation_id=annotation_id, author_id=_user_id(author), body=body)
    )


def build_case(app: Flask) -> dict[str, int]:
    """Article one: anna and bob done, cleo in progress, adjudicated by rita.
    Article two: anna done, in review with a gold draft that must not count yet.

    Returns the ids tests name: articles, and some annotations.
    """
    add_user(app, "cleo")
    one = import_text(app, "one.txt", ARTICLE_ONE)
    two = import_text(app, "two.txt", ARTICLE_TWO)
    ids: dict[str, int] = {"one": one, "two": two}
    with app.app_context():
        for name, status in [("anna", "done"), ("bob", "done"), ("cleo", "in_progress")]:
            set_status(one, name, status)
        set_status(two, "anna", "done")
        _annotators(one, ids)
        _gold(one, two, ids)
        ids["oslo"] = add(two, 0, "anna", "entity", "GPE", (13, 17))
        db.session.commit()
    return ids


def _annotators(one: int, ids: dict[str, int]) -> None:
    for name, alice in [("anna", "PERSON"), ("bob", "PERSON"), ("cleo", "ORG")]:
        ids[f"{name}_alice"] = add(one, 0, name, "entity", alice, ALICE)
    ids["anna_bob"] = add(one, 0, "anna", "entity", "PERSON", BOB)
    for name in ("anna", "bob", "cleo"):
        ids[f"{name}_paris"] = add(one, 0, name, "entity", "GPE", PARIS)
    for name in ("bob", "cleo"):
        add(one, 0, name, "entity", "DATE", MONDAY)
    for name, checkworthy in [("anna", "yes"), ("bob", "no")]:
        claimant = {"entity_id": ids[f"{name}_alice"], "text": "Alice"}
        add(one, 0, name, "claim", "factual", WHOLE, attribution="reported",
            claimant=claimant, checkworthy=checkworthy)  # fmt: skip
    add(one, 0, "cleo", "claim", "opinion", WHOLE, attribution=None, claimant=None,
        checkworthy=None)  # fmt: skip
    for name, label in [("anna", "neutral"), ("bob", "neutral"), ("cleo", "negative")]:
        add(one, 0, name, "sentiment", label)
    for name, label in [("anna", "positive"), ("bob", "positive"), ("cleo", "negative")]:
        add(one, 0, name, "sentiment", label, target_id=ids[f"{name}_paris"])
    add(one, 0, "anna", "sentiment", "negative", target_id=ids["anna_alice"])
    add(one, 1, "anna", "sentiment", "positive")
    add(one, 1, "bob", "sentiment", "negative")


def _gold(one: int, two: int, ids: dict[str, int]) -> None:
    set_review(one, "adjudicated")
    alice = add_gold(one, 0, "rita", "entity", "PERSON", ALICE)
    paris = add_gold(one, 0, "rita", "entity", "GPE", PARIS)
    add_gold(one, 0, "rita", "entity", "DATE", MONDAY)
    add_gold(one, 0, "rita", "claim", "factual", WHOLE, attribution="reported",
             claimant={"entity_id": alice, "text": "Alice"}, checkworthy="yes")  # fmt: skip
    add_gold(one, 0, "rita", "sentiment", "neutral")
    add_gold(one, 0, "rita", "sentiment", "negative", target_id=paris)
    add_gold(one, 1, "rita", "sentiment", "positive")
    ids["gold_alice"] = alice
    set_review(two, "in_review")
    add_gold(two, 0, "rita", "entity", "LOC", (13, 17))
