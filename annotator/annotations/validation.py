"""Validation of annotations against the project schema and docs/data-model.md's rules."""

from __future__ import annotations

from typing import Any

from sqlalchemy import select

from annotator.annotations.types import Candidate, invalid
from annotator.models import Annotation, DbSession, Layer
from annotator.schema import entity_labels
from annotator.text import span_error

CLAIM_ATTRIBUTES = ("attribution", "claimant", "checkworthy")
MAX_CLAIMANT_TEXT = 500


def validate(
    session: DbSession, annotation: Candidate, text: str | None, exclude_id: int | None = None
) -> None:
    """Raise AnnotationError naming the first bad field; normalises claim attributes."""
    schema = annotation.paragraph.article.project.label_schema
    if annotation.layer == Layer.SENTIMENT:
        _validate_sentiment(session, annotation, schema, exclude_id)
        return
    _validate_span(annotation, text)
    if annotation.layer == Layer.ENTITY:
        _validate_entity(session, annotation, schema, exclude_id)
    else:
        _validate_claim(session, annotation, schema)


def _validate_span(annotation: Candidate, text: str | None) -> None:
    paragraph_text = annotation.paragraph.text
    error = span_error(paragraph_text, annotation.start, annotation.end)
    if error:
        raise invalid("start" if _bad_start(annotation.start, paragraph_text) else "end", error)
    if text is not None and paragraph_text[annotation.start : annotation.end] != text:
        raise invalid("text", "text does not match the paragraph between start and end")


def _bad_start(start: Any, text: str) -> bool:
    return not _is_int(start) or not 0 <= start < len(text)


def _is_int(value: Any) -> bool:
    return isinstance(value, int) and not isinstance(value, bool)


def _validate_entity(
    session: DbSession, annotation: Candidate, schema: dict[str, Any], exclude_id: int | None
) -> None:
    if annotation.label not in entity_labels(schema):
        raise invalid("label", f"label {annotation.label!r} is not an entity label of the project")
    if annotation.attributes:
        raise invalid("attributes", "entity annotations have no attributes")
    for other in _own(session, annotation, Layer.ENTITY, exclude_id):
        assert other.start is not None and other.end is not None
        if other.start < annotation.end and annotation.start < other.end:  # type: ignore[operator]
            raise invalid(
                "start",
                f"overlaps your {other.label} span {other.start}-{other.end}; "
                "delete or change that one first",
            )


def _validate_claim(session: DbSession, annotation: Candidate, schema: dict[str, Any]) -> None:
    claims = schema["claims"]
    if annotation.label not in claims["types"]:
        raise invalid("label", f"label {annotation.label!r} is not a claim type of the project")
    attributes = annotation.attributes
    if not isinstance(attributes, dict):
        raise invalid("attributes", "attributes must be an object")
    unknown = set(attributes) - set(CLAIM_ATTRIBUTES)
    if unknown:
        raise invalid(f"attributes.{sorted(unknown)[0]}", "is not a claim attribute")
    _one_of_or_null(attributes.get("attribution"), claims["attributions"], "attribution")
    _one_of_or_null(attributes.get("checkworthy"), claims["checkworthy"], "checkworthy")
    claimant = _validate_claimant(session, annotation, attributes.get("claimant"))
    annotation.attributes = {
        "attribution": attributes.get("attribution"),
        "claimant": claimant,
        "checkworthy": attributes.get("checkworthy"),
    }


def _one_of_or_null(value: Any, allowed: list[str], name: str) -> None:
    if value is not None and value not in allowed:
        raise invalid(f"attributes.{name}", f"must be one of {', '.join(allowed)} or null")


def _validate_claimant(
    session: DbSession, annotation: Candidate, claimant: Any
) -> dict[str, Any] | None:
    if claimant is None:
        return None
    field_name = "attributes.claimant"
    if not isinstance(claimant, dict) or set(claimant) - {"entity_id", "text"}:
        raise invalid(field_name, "claimant must be an object with entity_id and text")
    entity_id, text = claimant.get("entity_id"), claimant.get("text", "")
    if not isinstance(text, str) or len(text) > MAX_CLAIMANT_TEXT:
        raise invalid(f"{field_name}.text", f"must be text of at most {MAX_CLAIMANT_TEXT}")
    if entity_id is None:
        if not text.strip():
            raise invalid(f"{field_name}.text", "name the claimant, or choose an entity")
        return {"entity_id": None, "text": text.strip()}
    entity = _claimant_entity(session, annotation, entity_id)
    entity_text = entity.paragraph.text[entity.start : entity.end]
    return {"entity_id": entity.id, "text": text.strip() or entity_text}


def _claimant_entity(session: DbSession, annotation: Candidate, entity_id: Any) -> Annotation:
    field_name = "attributes.claimant.entity_id"
    if not isinstance(entity_id, int) or isinstance(entity_id, bool):
        raise invalid(field_name, "must be an integer id or null")
    entity = session.get(Annotation, entity_id)
    same_article = (
        entity is not None and entity.paragraph.article_id == annotation.paragraph.article_id
    )
    if (
        entity is None
        or entity.layer != Layer.ENTITY
        or entity.annotator_id != annotation.annotator_id
        or entity.is_gold
        or not same_article
    ):
        raise invalid(field_name, "must be one of your entity spans in the same article")
    return entity


def _validate_sentiment(
    session: DbSession, annotation: Candidate, schema: dict[str, Any], exclude_id: int | None
) -> None:
    if annotation.start is not None or annotation.end is not None:
        raise invalid("start", "sentiment has no offsets")
    if annotation.label not in schema["sentiment"]:
        raise invalid("label", f"label {annotation.label!r} is not a sentiment of the project")
    attributes = annotation.attributes
    if not isinstance(attributes, dict) or set(attributes) - {"target_id"}:
        raise invalid("attributes", "sentiment attributes may only name a target_id")
    target_id = attributes.get("target_id")
    others = _own(session, annotation, Layer.SENTIMENT, exclude_id)
    if target_id is None:
        annotation.attributes = {}
        if any(not other.attributes.get("target_id") for other in others):
            raise invalid("paragraph_id", "this paragraph already has your sentiment")
        return
    _sentiment_target(session, annotation, target_id)
    if any(other.attributes.get("target_id") == target_id for other in others):
        raise invalid("attributes.target_id", "you already gave a sentiment towards this entity")


def _sentiment_target(session: DbSession, annotation: Candidate, target_id: Any) -> None:
    field_name = "attributes.target_id"
    if not isinstance(target_id, int) or isinstance(target_id, bool):
        raise invalid(field_name, "must be an integer id")
    target = session.get(Annotation, target_id)
    if (
        target is None
        or target.layer != Layer.ENTITY
        or target.paragraph_id != annotation.paragraph.id
        or target.annotator_id != annotation.annotator_id
        or target.is_gold
    ):
        raise invalid(field_name, "must be one of your entity spans in the same paragraph")


def _own(
    session: DbSession, annotation: Candidate, layer: Layer, exclude_id: int | None
) -> list[Annotation]:
    query = select(Annotation).where(
        Annotation.paragraph_id == annotation.paragraph.id,
        Annotation.annotator_id == annotation.annotator_id,
        Annotation.is_gold.is_(False),
        Annotation.layer == layer.value,
    )
    if exclude_id is not None:
        query = query.where(Annotation.id != exclude_id)
    with session.no_autoflush:
        return list(session.scalars(query))
