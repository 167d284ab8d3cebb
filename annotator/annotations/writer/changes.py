"""Changes, deletes and sentiment, once the caller holds the scope's lock.

The annotator's writes (writer/__init__) and the reviewers' gold writes (writer/gold) lock
different rows and share everything after the lock.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from annotator.annotations.rules import Proposal
from annotator.annotations.types import AnnotationError, DeleteResult
from annotator.annotations.writer.checks import check_sentiment_version, checked
from annotator.annotations.writer.rows import (
    apply_change,
    detach_dependants,
    insert_row,
    remove_row,
)
from annotator.annotations.writer.scope import (
    Owner,
    fresh,
    owner_of,
    paragraph_sentiment,
    scope_of,
)
from annotator.models import Annotation, DbSession, Layer, Paragraph, User

#: set_paragraph_sentiment without a version: last write wins (scripts written before versions).
UNCHECKED = object()


@dataclass
class Created:
    annotation: Annotation
    #: False when a replayed client id found the row its first attempt stored.
    new: bool


def change_locked(
    session: DbSession,
    actor: User,
    annotation: Annotation,
    changes: Proposal,
    given: set[str],
    version: Any,
) -> Annotation:
    """Change label, offsets or attributes of an annotation read at `version`."""
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


def delete_locked(
    session: DbSession, actor: User, annotation: Annotation, version: Any
) -> DeleteResult:
    """Delete an annotation; sentiments towards a deleted entity go too, claimants keep text."""
    current = fresh(session, annotation, version)
    result = DeleteResult(deleted=[current.id], changed=[])
    if current.layer == Layer.ENTITY:
        detach_dependants(session, actor, current, result)
    remove_row(session, actor, current)
    return result


def sentiment_locked(
    session: DbSession,
    actor: User,
    paragraph: Paragraph,
    owner: Owner,
    label: Any,
    version: Any,
    source: str,
) -> Annotation | None:
    """Set (or with None clear) the owner's sentiment of a paragraph, read at `version`."""
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
        return insert_row(session, actor, paragraph, owner, proposal, None, source)
    if current.label != label:
        rest = [o for o in others if o.id != current.id]
        proposal = Proposal(layer="sentiment", label=label)
        apply_change(session, actor, current, checked(session, paragraph, proposal, rest))
    return current
