"""The store replaces many paragraphs in one call, as the pipeline worker does per batch:
the same span with the same label in two paragraphs is two suggestions, not one."""

from __future__ import annotations

from flask import Flask
from sqlalchemy import select

from annotator.extensions import db
from annotator.models import Paragraph, Suggestion
from annotator.suggestions.store import SuggestedSpan, replace_suggestions
from tests.conftest import import_text


def test_one_call_keeps_the_same_span_in_two_paragraphs_apart(app: Flask) -> None:
    article_id = import_text(app, "twice.txt", "Twice\nSeoul spoke first.\n\nSeoul spoke again.")
    with app.app_context():
        query = select(Paragraph.id).where(Paragraph.article_id == article_id)
        first, second = db.session.scalars(query.order_by(Paragraph.position))
        items = [SuggestedSpan(p, "entity", "GPE", 0, 5) for p in (first, second)]
        result = replace_suggestions(db.session, [first, second], "model:ner", items)
        again = replace_suggestions(db.session, [first, second], "model:ner", items)
        db.session.commit()
        stored = db.session.scalars(select(Suggestion.paragraph_id).order_by(Suggestion.id))
        assert list(stored) == [first, second]
    assert (result.added, again.kept, again.added) == (2, 2, 0)
