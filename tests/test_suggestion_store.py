"""The suggestion store: every source writes through replace_suggestions, which checks each
proposal and replaces only what is still open."""

from __future__ import annotations

import pytest
from flask import Flask
from sqlalchemy import func, select

from annotator.extensions import db
from annotator.models import Decision, Paragraph, Suggestion, SuggestionDecision
from annotator.suggestions.store import SuggestedSpan, SuggestionError, replace_suggestions
from tests.conftest import add_user, import_text

TEXT = "Seoul and Beijing met.\n\nChina said 🙂 Seoul agreed."


@pytest.fixture
def paragraphs(app: Flask) -> list[int]:
    article_id = import_text(app, "talks.txt", "Talks\n" + TEXT)
    with app.app_context():
        query = select(Paragraph.id).where(Paragraph.article_id == article_id)
        return list(db.session.scalars(query.order_by(Paragraph.position)))


def _spans(app: Flask) -> list[tuple[str, str, int | None, str]]:
    with app.app_context():
        rows = db.session.scalars(select(Suggestion).order_by(Suggestion.id))
        return [(s.label, s.text, s.start, s.source) for s in rows]


def test_stores_checked_spans_with_their_text(app: Flask, paragraphs: list[int]) -> None:
    last = paragraphs[-1]
    with app.app_context():
        items = [
            SuggestedSpan(last, "entity", "GPE", 0, 5, score=0.9),
            SuggestedSpan(last, "entity", "GPE", 13, 18),  # after the emoji: code points
            SuggestedSpan(last, "sentiment", "positive"),
        ]
        result = replace_suggestions(db.session, [last], "model:ner", items, model_version="1")
        db.session.commit()
    assert result.added == 3
    assert _spans(app) == [
        ("GPE", "China", 0, "model:ner"),
        ("GPE", "Seoul", 13, "model:ner"),
        ("positive", "", None, "model:ner"),
    ]


def test_is_idempotent_and_replaces_only_open_ones(app: Flask, paragraphs: list[int]) -> None:
    last = paragraphs[-1]
    china = SuggestedSpan(last, "entity", "GPE", 0, 5)
    seoul = SuggestedSpan(last, "entity", "GPE", 13, 18)
    with app.app_context():
        replace_suggestions(db.session, [last], "pattern", [china, seoul])
        replace_suggestions(db.session, [last], "pattern", [china, seoul])
        db.session.commit()
        decided = db.session.scalar(select(Suggestion).where(Suggestion.start == 13))
        assert decided is not None
        user = _any_user_id(app)
        db.session.add(
            SuggestionDecision(suggestion_id=decided.id, user_id=user, decision=Decision.REJECTED)
        )
        db.session.commit()
        result = replace_suggestions(db.session, [last], "pattern", [])
        db.session.commit()
        assert (result.removed, result.retired) == (1, 1)
        rows = list(db.session.scalars(select(Suggestion)))
    assert [(r.text, r.retired_at is not None) for r in rows] == [("Seoul", True)]


def test_a_bad_proposal_stores_nothing_and_is_named(app: Flask, paragraphs: list[int]) -> None:
    last = paragraphs[-1]
    with app.app_context():
        items = [
            SuggestedSpan(last, "entity", "GPE", 0, 5),
            SuggestedSpan(last, "entity", "KINGDOM", 13, 18),
        ]
        with pytest.raises(SuggestionError) as raised:
            replace_suggestions(db.session, [last], "pattern", items)
        db.session.rollback()
        assert db.session.scalar(select(func.count()).select_from(Suggestion)) == 0
    assert raised.value.index == 1
    assert "KINGDOM" in str(raised.value)


@pytest.mark.parametrize(
    ("item", "field"),
    [
        (SuggestedSpan(0, "entity", "GPE", 0, 500), "start"),
        (SuggestedSpan(0, "entity", "GPE", 3, 3), "start"),
        (SuggestedSpan(0, "sentiment", "positive", 0, 5), "start"),
        (SuggestedSpan(0, "sentiment", "furious"), "label"),
        (SuggestedSpan(0, "claim", "factual", 0, 5), "layer"),
    ],
)
def test_offsets_labels_and_layers_are_checked(
    app: Flask, paragraphs: list[int], item: SuggestedSpan, field: str
) -> None:
    bad = SuggestedSpan(paragraphs[-1], item.layer, item.label, item.start, item.end)
    with app.app_context(), pytest.raises(SuggestionError) as raised:
        replace_suggestions(db.session, [paragraphs[-1]], "pattern", [bad])
    assert raised.value.field == field


def test_a_paragraph_outside_the_replaced_ones_is_refused(
    app: Flask, paragraphs: list[int]
) -> None:
    with app.app_context(), pytest.raises(SuggestionError, match="paragraph_id"):
        replace_suggestions(
            db.session,
            [paragraphs[0]],
            "pattern",
            [SuggestedSpan(paragraphs[-1], "entity", "GPE", 0, 5)],
        )


def test_one_users_suggestions_are_apart_from_everyones(app: Flask, paragraphs: list[int]) -> None:
    last = paragraphs[-1]
    china = SuggestedSpan(last, "entity", "GPE", 0, 5)
    user = _any_user_id(app)
    with app.app_context():
        replace_suggestions(db.session, [last], "propagation", [china], user_id=user)
        replace_suggestions(db.session, [last], "propagation", [china])
        replace_suggestions(db.session, [last], "propagation", [], user_id=user)
        db.session.commit()
        rows = list(db.session.scalars(select(Suggestion)))
    assert [r.user_id for r in rows] == [None]


def _any_user_id(app: Flask) -> int:
    return add_user(app, "sam")
