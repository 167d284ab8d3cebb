"""The one writer of Annotation, AnnotationEvent and ArticleStatus.

Every write first claims the owner's scope in the article (an upsert of their
ArticleStatus row, which locks that row on PostgreSQL and takes the write lock on SQLite),
then reads the owner's annotations afresh, runs annotator.annotations.rules, and appends
one history event per change in one shape (to_json). So "spans never overlap" and "one
sentiment per paragraph" hold under any concurrency; unique indexes back the sentiment and
client-id rules. Flushes only: the caller commits once.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from annotator.annotations.rules import Proposal
from annotator.annotations.types import AnnotationError, DeleteResult
from annotator.annotations.writer.batch import BatchError, NewAnnotation, Ref, create_many, relabel
from annotator.annotations.writer.checks import (
    check_client_id,
    check_owner,
    check_sentiment_version,
    check_version_type,
    checked,
    problem_error,
    replayed,
)
from annotator.annotations.writer.rows import (
    apply_change,
    detach_dependants,
    insert_row,
    remove_row,
)
from annotator.annotations.writer.scope import (
    Owner,
    by_client_id,
    fresh,
    owner_of,
    paragraph_sentiment,
    scope_of,
)
from annotator.annotations.writer.status import claim_scope, raise_status, set_status
from annotator.models import Annotation, DbSession, Layer, Paragraph, User

#: set_paragraph_sentiment without a version: last write wins (scripts written before versions).
UNCHECKED = object()


# --- one annotation ---------------------------------------------------------------------


@dataclass
class Created:
    annotation: Annotation
    #: False when a replayed client id found the row its first attempt stored.
    new: bool


def create(
    session: DbSession,
    actor: User,
    paragraph: Paragraph,
    proposal: Proposal,
    client_id: Any = None,
    source: str = "manual",
) -> Created:
    """Store the actor's annotation, or return the one an earlier attempt with client_id stored."""
    check_client_id(client_id)
    owner = Owner(actor.id, gold=False)
    claim_scope(session, paragraph.article_id, actor.id, started=True)
    if client_id is not None:
        stored = by_client_id(session, actor.id, client_id)
        if stored is not None:
            return Created(replayed(stored, paragraph), new=False)
    others = scope_of(session, paragraph, owner)
    stored_proposal = checked(session, paragraph, proposal, others)
    annotation = insert_row(session, actor, paragraph, owner, stored_proposal, client_id, source)
    return Created(annotation, new=True)


def update(
    session: DbSession,
    actor: User,
    annotation: Annotation,
    changes: Proposal,
    given: set[str],
    version: Any,
) -> Annotation:
    """Change label, offsets or attributes of an annotation read at `version`."""
    check_owner(annotation, actor)
    check_version_type(version)
    claim_scope(session, annotation.paragraph.article_id, annotation.annotator_id)
    current = fresh(session, annotation, version)
    if "layer" in given and changes.layer != current.layer:
        raise AnnotationError(422, "invalid", "the layer of an annotation cannot change", "layer")
    wanted = Proposal(
        layer=current.layer,
        start=changes.start if "start" in given else current.start,
        end=changes.end if "end" in given else current.end,
        label=changes.label if "label" in given else current.label,
        attributes=changes.attributes if "attributes" in given else current.attributes,
        text=changes.text,
    )
    others = scope_of(session, current.paragraph, owner_of(current), exclude=current.id)
    apply_change(session, actor, current, checked(session, current.paragraph, wanted, others))
    return current


def delete(session: DbSession, actor: User, annotation: Annotation, version: Any) -> DeleteResult:
    """Delete an annotation; sentiments towards a deleted entity go too, claimants keep text."""
    check_owner(annotation, actor)
    check_version_type(version)
    claim_scope(session, annotation.paragraph.article_id, annotation.annotator_id)
    current = fresh(session, annotation, version)
    result = DeleteResult(deleted=[current.id], changed=[])
    if current.layer == Layer.ENTITY:
        detach_dependants(session, actor, current, result)
    remove_row(session, actor, current)
    return result


def set_paragraph_sentiment(
    session: DbSession, actor: User, paragraph: Paragraph, label: Any, version: Any = UNCHECKED
) -> Annotation | None:
    """Set (or with None clear) the actor's sentiment of a paragraph, read at `version`
    (None: the page saw no sentiment). A different stored state is a conflict."""
    owner = Owner(actor.id, gold=False)
    claim_scope(session, paragraph.article_id, actor.id, started=label is not None)
    others = scope_of(session, paragraph, owner)
    current = paragraph_sentiment(session, paragraph, others)
    if version is not UNCHECKED:
        check_sentiment_version(current, version)
    if label is None:
        if current is not None:
            remove_row(session, actor, current)
        return None
    if current is None:
        proposal = checked(session, paragraph, Proposal(layer="sentiment", label=label), others)
        return insert_row(session, actor, paragraph, owner, proposal, None, "manual")
    if current.label != label:
        rest = [o for o in others if o.id != current.id]
        proposal = Proposal(layer="sentiment", label=label)
        apply_change(session, actor, current, checked(session, paragraph, proposal, rest))
    return current


__all__ = [
    "UNCHECKED",
    "BatchError",
    "Created",
    "NewAnnotation",
    "Ref",
    "claim_scope",
    "create",
    "create_many",
    "delete",
    "problem_error",
    "raise_status",
    "relabel",
    "set_paragraph_sentiment",
    "set_status",
    "update",
]
