"""Propagation: a string an annotator labelled is suggested, with that label, wherever it
occurs again as whole words in their articles of the project.

Computed lazily, when the annotator's suggestions of an article are read: from their most
recent labelled strings in the project (bounded), over that article's paragraphs only, and
stored for that annotator through the store (source "propagation") so that accepting and
rejecting work like any other suggestion.
"""

from __future__ import annotations

from collections.abc import Sequence

from sqlalchemy import select

from annotator.models import Annotation, Article, DbSession, Layer, Paragraph, User
from annotator.suggestions.matching import find_whole_words, non_overlapping, worth_propagating
from annotator.suggestions.store import ReplaceResult, SuggestedSpan, replace_suggestions

SOURCE = "propagation"
#: The annotator's most recent entity annotations read per article opened.
MAX_ANNOTATIONS = 5000
#: Distinct strings propagated (the most recent ones).
MAX_STRINGS = 1000


def refresh_propagation(session: DbSession, user: User, article: Article) -> ReplaceResult:
    """Make the user's propagation suggestions of the article match what they labelled."""
    paragraphs = [p for p in article.paragraphs if not p.is_boilerplate]
    labels = labelled_strings(session, user, article.project_id)
    taken = _own_spans(session, user, [p.id for p in paragraphs])
    items = [
        SuggestedSpan(p.id, Layer.ENTITY.value, label, start, end)
        for p in paragraphs
        for needle, label in labels.items()
        for start, end in non_overlapping(find_whole_words(p.text, needle), taken.get(p.id, []))
    ]
    return replace_suggestions(
        session, [p.id for p in article.paragraphs], SOURCE, items, user_id=user.id
    )


def labelled_strings(session: DbSession, user: User, project_id: int) -> dict[str, str]:
    """The user's labelled entity strings in the project, each with its most recent label."""
    query = (
        select(Paragraph.text, Annotation.start, Annotation.end, Annotation.label)
        .join(Paragraph, Annotation.paragraph_id == Paragraph.id)
        .join(Article, Paragraph.article_id == Article.id)
        .where(
            Article.project_id == project_id,
            Annotation.annotator_id == user.id,
            Annotation.is_gold.is_(False),
            Annotation.layer == Layer.ENTITY.value,
        )
        .order_by(Annotation.id.desc())
        .limit(MAX_ANNOTATIONS)
    )
    found: dict[str, str] = {}
    for text, start, end, label in session.execute(query):
        needle = text[start:end]
        if needle not in found and worth_propagating(needle):
            found[needle] = label
            if len(found) >= MAX_STRINGS:
                break
    return found


def _own_spans(
    session: DbSession, user: User, paragraph_ids: Sequence[int]
) -> dict[int, list[tuple[int, int]]]:
    query = select(Annotation.paragraph_id, Annotation.start, Annotation.end).where(
        Annotation.paragraph_id.in_(paragraph_ids),
        Annotation.annotator_id == user.id,
        Annotation.is_gold.is_(False),
        Annotation.layer == Layer.ENTITY.value,
    )
    spans: dict[int, list[tuple[int, int]]] = {}
    for paragraph_id, start, end in session.execute(query):
        if start is not None and end is not None:
            spans.setdefault(paragraph_id, []).append((start, end))
    return spans
