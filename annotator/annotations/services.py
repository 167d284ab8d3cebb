"""Annotation services: create, change and delete one user's annotations; sentiment; status.

Every write is validated (annotator.annotations.validation), bumps the version, appends an
AnnotationEvent, and only flushes: the view commits once per request. Free of Flask request
globals so scripts and tests can call it directly.
"""

from __future__ import annotations

import logging
from typing import Any

from sqlalchemy import select

from annotator.annotations.types import (
    AnnotationError,
    AnnotationInput,
    Candidate,
    ConflictError,
    DeleteResult,
    invalid,
    to_json,
)
from annotator.annotations.validation import validate
from annotator.models import (
    Annotation,
    AnnotationEvent,
    Article,
    ArticleStatus,
    DbSession,
    Layer,
    Paragraph,
    Status,
    User,
    utcnow,
)

log = logging.getLogger(__name__)

# --- reading ----------------------------------------------------------------------------


def user_annotations(session: DbSession, paragraph_ids: list[int], user: User) -> list[Annotation]:
    """The user's own (non-gold) annotations in these paragraphs, in a stable order."""
    if not paragraph_ids:
        return []
    query = (
        select(Annotation)
        .where(
            Annotation.paragraph_id.in_(paragraph_ids),
            Annotation.annotator_id == user.id,
            Annotation.is_gold.is_(False),
        )
        .order_by(Annotation.paragraph_id, Annotation.start, Annotation.id)
    )
    return list(session.scalars(query))


def article_status(session: DbSession, article: Article, user: User) -> str:
    row = session.get(ArticleStatus, (article.id, user.id))
    return row.status if row else Status.NOT_STARTED.value


# --- writing ----------------------------------------------------------------------------


def create_annotation(
    session: DbSession, user: User, paragraph: Paragraph, data: AnnotationInput
) -> Annotation:
    """Validate and store a new annotation of the user's; nothing is written if it is bad."""
    if data.layer not in {layer.value for layer in Layer}:
        raise invalid("layer", "layer must be one of entity, claim, sentiment")
    candidate = Candidate(
        paragraph=paragraph,
        annotator_id=user.id,
        layer=data.layer,
        start=data.start,
        end=data.end,
        label=data.label,
        attributes=data.attributes if data.attributes is not None else {},
    )
    validate(session, candidate, data.text)
    annotation = Annotation(
        paragraph_id=paragraph.id,
        annotator_id=user.id,
        layer=candidate.layer,
        start=candidate.start,
        end=candidate.end,
        label=candidate.label,
        attributes=candidate.attributes,
        version=1,
    )
    session.add(annotation)
    session.flush()
    _record(session, user, annotation, "create", None, to_json(annotation))
    mark_in_progress(session, paragraph.article, user)
    return annotation


def update_annotation(
    session: DbSession, user: User, annotation: Annotation, data: AnnotationInput, version: Any
) -> Annotation:
    """Change label, offsets or attributes of an annotation based on `version`."""
    _check_owner_and_version(annotation, user, version)
    if "layer" in data.given and data.layer != annotation.layer:
        raise invalid("layer", "the layer of an annotation cannot change")
    before = to_json(annotation)
    draft = Candidate(
        paragraph=annotation.paragraph,
        annotator_id=annotation.annotator_id,
        layer=annotation.layer,
        start=data.start if "start" in data.given else annotation.start,
        end=data.end if "end" in data.given else annotation.end,
        label=data.label if "label" in data.given else annotation.label,
        attributes=data.attributes if "attributes" in data.given else annotation.attributes,
    )
    validate(session, draft, data.text, exclude_id=annotation.id)
    annotation.start, annotation.end = draft.start, draft.end
    annotation.label, annotation.attributes = draft.label, dict(draft.attributes)
    _bump(annotation)
    session.flush()
    _record(session, user, annotation, "update", before, to_json(annotation))
    return annotation


def delete_annotation(
    session: DbSession, user: User, annotation: Annotation, version: Any
) -> DeleteResult:
    """Delete an annotation; sentiments towards a deleted entity go too, claimants lose the link."""
    _check_owner_and_version(annotation, user, version)
    result = DeleteResult(deleted=[annotation.id], changed=[])
    if annotation.layer == Layer.ENTITY:
        _detach_dependants(session, user, annotation, result)
    _record(session, user, annotation, "delete", to_json(annotation), None)
    session.delete(annotation)
    session.flush()
    return result


def set_paragraph_sentiment(
    session: DbSession, user: User, paragraph: Paragraph, label: Any
) -> Annotation | None:
    """Set (or with None clear) the user's sentiment of a paragraph; one per paragraph."""
    current = _paragraph_sentiment(session, paragraph, user)
    if label is None:
        if current is not None:
            delete_annotation(session, user, current, current.version)
        return None
    if current is None:
        data = AnnotationInput(layer=Layer.SENTIMENT.value, label=label)
        return create_annotation(session, user, paragraph, data)
    if current.label == label:
        return current
    data = AnnotationInput(label=label, given={"label"})
    return update_annotation(session, user, current, data, current.version)


def set_article_status(session: DbSession, user: User, article: Article, status: Any) -> str:
    """Record where the user stands on the article (not started, in progress, done)."""
    if status not in {s.value for s in Status}:
        raise invalid("status", "status must be one of not_started, in_progress, done")
    row = session.get(ArticleStatus, (article.id, user.id))
    if row is None:
        row = ArticleStatus(article_id=article.id, user_id=user.id)
        session.add(row)
    row.status = status
    row.updated_at = utcnow()
    session.flush()
    log.info("%s set article %s to %s", user.username, article.id, status)
    return status


def mark_in_progress(session: DbSession, article: Article, user: User) -> None:
    """The user's first annotation in an article moves it from not started to in progress."""
    row = session.get(ArticleStatus, (article.id, user.id))
    if row is None:
        session.add(ArticleStatus(article_id=article.id, user_id=user.id, status="in_progress"))
    elif row.status == Status.NOT_STARTED:
        row.status = Status.IN_PROGRESS.value
        row.updated_at = utcnow()


# --- validation -------------------------------------------------------------------------


# --- helpers ----------------------------------------------------------------------------


def _check_owner_and_version(annotation: Annotation, user: User, version: Any) -> None:
    if annotation.annotator_id != user.id or annotation.is_gold:
        raise AnnotationError(403, "forbidden", "You can only change your own annotations.")
    if not isinstance(version, int) or isinstance(version, bool):
        raise invalid("version", "version must be the integer version you changed")
    if version != annotation.version:
        raise ConflictError(annotation)


def _bump(annotation: Annotation) -> None:
    annotation.version += 1
    annotation.updated_at = utcnow()


def _paragraph_sentiment(session: DbSession, paragraph: Paragraph, user: User) -> Annotation | None:
    for candidate in user_annotations(session, [paragraph.id], user):
        if candidate.layer == Layer.SENTIMENT and not candidate.attributes.get("target_id"):
            return candidate
    return None


def _detach_dependants(
    session: DbSession, user: User, entity: Annotation, result: DeleteResult
) -> None:
    """Sentiments towards the entity are deleted; claims naming it keep the claimant's text."""
    article_paragraphs = select(Paragraph.id).where(
        Paragraph.article_id == entity.paragraph.article_id
    )
    query = select(Annotation).where(
        Annotation.paragraph_id.in_(article_paragraphs),
        Annotation.annotator_id == entity.annotator_id,
        Annotation.layer.in_([Layer.CLAIM.value, Layer.SENTIMENT.value]),
    )
    for other in session.scalars(query):
        if other.layer == Layer.SENTIMENT and other.attributes.get("target_id") == entity.id:
            _record(session, user, other, "delete", to_json(other), None)
            result.deleted.append(other.id)
            session.delete(other)
        elif other.layer == Layer.CLAIM and _names_claimant(other, entity.id):
            before = to_json(other)
            claimant = dict(other.attributes["claimant"], entity_id=None)
            other.attributes = {**other.attributes, "claimant": claimant}
            _bump(other)
            _record(session, user, other, "update", before, to_json(other))
            result.changed.append(other)


def _names_claimant(claim: Annotation, entity_id: int) -> bool:
    claimant = claim.attributes.get("claimant")
    return isinstance(claimant, dict) and claimant.get("entity_id") == entity_id


def _record(
    session: DbSession,
    user: User,
    annotation: Annotation,
    action: str,
    before: dict[str, Any] | None,
    after: dict[str, Any] | None,
) -> None:
    session.add(
        AnnotationEvent(
            annotation_id=annotation.id,
            paragraph_id=annotation.paragraph_id,
            user_id=user.id,
            action=action,
            before=before,
            after=after,
        )
    )
    log.info("%s: %s %s annotation %s", user.username, action, annotation.layer, annotation.id)
