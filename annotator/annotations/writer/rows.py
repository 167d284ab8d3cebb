"""Rows and their history: every insert, change and delete appends one event."""

from __future__ import annotations

import logging
from typing import Any, cast

from sqlalchemy import Table, select

from annotator.annotations.rules import Proposal
from annotator.annotations.types import DeleteResult, to_json
from annotator.annotations.writer.scope import Owner, owned, owner_of
from annotator.models import (
    Annotation,
    AnnotationEvent,
    DbSession,
    Layer,
    Paragraph,
    User,
    utcnow,
)

log = logging.getLogger(__name__)

# --- rows and history -------------------------------------------------------------------


def insert_row(
    session: DbSession,
    actor: User,
    paragraph: Paragraph,
    owner: Owner,
    proposal: Proposal,
    client_id: str | None,
    source: str,
) -> Annotation:
    annotation = _new_annotation(paragraph.id, owner, proposal, client_id, source)
    session.add(annotation)
    session.flush()
    record_event(session, actor, annotation, "create", None, to_json(annotation))
    return annotation


def insert_at(
    session: DbSession,
    actor: User,
    paragraph_id: int,
    owner: Owner,
    proposal: Proposal,
    client_id: str | None,
    source: str,
) -> Annotation:
    """insert_row as two Core INSERTs, the row and its history, without an ORM flush (a
    fifth of a save's CPU, issue 13). The answer is the stored row as a detached Annotation
    (not in the session): what to_json reads, with every value the ORM would have given it."""
    now = utcnow()
    annotation = _new_annotation(paragraph_id, owner, proposal, client_id, source)
    annotation.created_at = annotation.updated_at = now
    connection = session.connection()
    values = {name: getattr(annotation, name) for name in _INSERTED}
    result = connection.execute(_INSERT_ANNOTATION, values)
    annotation.id = result.inserted_primary_key[0]  # type: ignore[index]
    event = {
        "annotation_id": annotation.id,
        "paragraph_id": paragraph_id,
        "user_id": actor.id,
        "action": "create",
        "before": None,
        "after": to_json(annotation),
        "created_at": now,
    }
    connection.execute(_INSERT_EVENT, event)
    _log_event(actor, annotation, "create")
    return annotation


def _new_annotation(
    paragraph_id: int, owner: Owner, proposal: Proposal, client_id: str | None, source: str
) -> Annotation:
    """The row a new annotation is, the same whichever way it is written."""
    return Annotation(
        paragraph_id=paragraph_id,
        annotator_id=owner.user_id,
        is_gold=owner.gold,
        layer=proposal.layer,
        start=proposal.start,
        end=proposal.end,
        label=proposal.label,
        attributes=dict(proposal.attributes),
        target_id=proposal.attributes.get("target_id"),
        client_id=client_id,
        source=source,
        version=1,
    )


_ANNOTATIONS = cast(Table, Annotation.__table__)
_EVENTS = cast(Table, AnnotationEvent.__table__)
#: Every column insert_at writes: all but the id.
_INSERTED = tuple(column.name for column in _ANNOTATIONS.columns if column.name != "id")
#: insert_at's statements, built once: a statement built anew is compiled from the cache
#: only after its cache key is worked out again on every save.
_INSERT_ANNOTATION = _ANNOTATIONS.insert()
_INSERT_EVENT = _EVENTS.insert()


def apply_change(
    session: DbSession, actor: User, annotation: Annotation, proposal: Proposal
) -> None:
    before = to_json(annotation)
    annotation.start, annotation.end = proposal.start, proposal.end
    annotation.label = proposal.label
    annotation.attributes = dict(proposal.attributes)
    annotation.target_id = proposal.attributes.get("target_id")
    annotation.version += 1
    annotation.updated_at = utcnow()
    session.flush()
    record_event(session, actor, annotation, "update", before, to_json(annotation))


def remove_row(session: DbSession, actor: User, annotation: Annotation) -> None:
    record_event(session, actor, annotation, "delete", to_json(annotation), None)
    session.delete(annotation)
    session.flush()


def detach_dependants(
    session: DbSession, actor: User, entity: Annotation, result: DeleteResult
) -> None:
    """Sentiments towards the entity are deleted; claims naming it keep the claimant's text."""
    article_paragraphs = select(Paragraph.id).where(
        Paragraph.article_id == entity.paragraph.article_id
    )
    query = select(Annotation).where(
        Annotation.paragraph_id.in_(article_paragraphs),
        owned(owner_of(entity)),
        Annotation.layer.in_([Layer.CLAIM.value, Layer.SENTIMENT.value]),
    )
    for other in list(session.scalars(query)):
        if other.layer == Layer.SENTIMENT and other.target_id == entity.id:
            result.deleted.append(other.id)
            remove_row(session, actor, other)
        elif other.layer == Layer.CLAIM and _names_claimant(other, entity.id):
            claimant = dict(other.attributes["claimant"], entity_id=None)
            changed = Proposal(
                layer=other.layer,
                start=other.start,
                end=other.end,
                label=other.label,
                attributes={**other.attributes, "claimant": claimant},
            )
            apply_change(session, actor, other, changed)
            result.changed.append(other)


def _names_claimant(claim: Annotation, entity_id: int) -> bool:
    claimant = claim.attributes.get("claimant")
    return isinstance(claimant, dict) and claimant.get("entity_id") == entity_id


def record_event(
    session: DbSession,
    actor: User,
    annotation: Annotation,
    action: str,
    before: dict[str, Any] | None,
    after: dict[str, Any] | None,
) -> None:
    session.add(
        AnnotationEvent(
            annotation_id=annotation.id,
            paragraph_id=annotation.paragraph_id,
            user_id=actor.id,
            action=action,
            before=before,
            after=after,
        )
    )
    _log_event(actor, annotation, action)


def _log_event(actor: User, annotation: Annotation, action: str) -> None:
    log.info("%s: %s %s annotation %s", actor.username, action, annotation.layer, annotation.id)
