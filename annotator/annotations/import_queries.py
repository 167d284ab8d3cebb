"""The queries an annotation import runs for each batch of records, each built once.

Building a query, and SQLAlchemy's coercion of every value of its IN lists, cost a batch
more than the database's answer; a built query with expanding parameters is compiled once
and only bound per batch.
"""

from __future__ import annotations

import functools
from typing import Any

from sqlalchemy import bindparam, select

from annotator.models import Annotation, Article, Paragraph


@functools.cache
def by_position(kind: str) -> Any:
    """The project's paragraphs, with their article's external id or title ("kind") and
    position, in the articles named by `values`."""
    column = Article.external_id if kind == "external_id" else Article.title
    return (
        _paragraph_columns()
        .add_columns(column, Paragraph.position)
        .join(Article)
        .where(
            Article.project_id == bindparam("project_id"),
            column.in_(bindparam("values", expanding=True)),
        )
        .order_by(Paragraph.id)
    )


@functools.cache
def by_text() -> Any:
    """The project's paragraphs whose text is one of `texts`."""
    return (
        _paragraph_columns()
        .join(Article)
        .where(
            Article.project_id == bindparam("project_id"),
            Paragraph.text.in_(bindparam("texts", expanding=True)),
        )
    )


@functools.cache
def owners_with_work() -> Any:
    """(paragraph, annotator, gold) of the annotations in the paragraphs `paragraph_ids`."""
    return (
        select(Annotation.paragraph_id, Annotation.annotator_id, Annotation.is_gold)
        .where(Annotation.paragraph_id.in_(bindparam("paragraph_ids", expanding=True)))
        .distinct()
    )


def _paragraph_columns() -> Any:
    return select(Paragraph.id, Paragraph.article_id, Paragraph.text)
