"""The annotation rules, once: pure functions of the schema, the paragraph and the owner's
other annotations that return the problems of a proposed annotation.

No session and no HTTP status: the writer runs them for the API, every importer,
relabelling and (later) adjudication and suggestions; the API turns a problem into a 4xx
naming the field, an importer into an error naming the file and line.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Any

from annotator.schema import entity_labels
from annotator.text import span_error, unencodable_path

LAYERS = ("entity", "claim", "sentiment")
CLAIM_ATTRIBUTES = ("attribution", "claimant", "checkworthy")
MAX_CLAIMANT_TEXT = 500


@dataclass(frozen=True)
class Problem:
    """What is wrong and where; `conflict` when another annotation of the owner is in the way."""

    field: str
    message: str
    conflict: bool = False
    #: The id of the annotation in the way, when there is one.
    other: Any = None


@dataclass(frozen=True)
class Proposal:
    """An annotation as a write wants it stored (text: the span text the writer expects)."""

    layer: Any
    start: Any = None
    end: Any = None
    label: Any = None
    attributes: Any = field(default_factory=dict)
    text: Any = None


@dataclass(frozen=True)
class Place:
    """The paragraph a proposal lands in."""

    id: int
    text: str
    is_boilerplate: bool = False


@dataclass(frozen=True)
class Existing:
    """One of the owner's other annotations in the article, as the rules compare with it."""

    id: Any
    paragraph_id: int
    layer: str
    start: int | None
    end: int | None
    label: str
    target_id: Any = None
    #: The span's text (entities), for a claimant that names it.
    text: str = ""


def check(
    schema: dict[str, Any], place: Place, proposal: Proposal, others: Sequence[Existing]
) -> list[Problem]:
    """Every problem of the proposal; an empty list means it may be stored."""
    if proposal.layer not in LAYERS:
        return [Problem("layer", "layer must be one of entity, claim, sentiment")]
    if not isinstance(proposal.attributes, dict):
        return [Problem("attributes", "attributes must be an object")]
    if proposal.layer == "sentiment":
        return _sentiment_problems(schema, place, proposal, others)
    problems = _span_problems(place, proposal)
    if proposal.layer == "entity":
        in_paragraph = [o for o in others if o.paragraph_id == place.id]
        return problems + _entity_problems(schema, proposal, in_paragraph, spans_ok=not problems)
    return problems + _claim_problems(schema, proposal, others)


def normalised(proposal: Proposal, others: Sequence[Existing]) -> Proposal:
    """The proposal as stored: claim attributes complete, a claimant's text filled and trimmed."""
    if proposal.layer in ("entity", "sentiment") and not proposal.attributes:
        return proposal  # already as stored: most of an import's annotations
    if proposal.layer == "sentiment":
        target = proposal.attributes.get("target_id")
        return with_attributes(proposal, {"target_id": target} if target is not None else {})
    if proposal.layer == "entity":
        return with_attributes(proposal, {})
    attributes = proposal.attributes
    return with_attributes(
        proposal,
        {
            "attribution": attributes.get("attribution"),
            "claimant": _normal_claimant(attributes.get("claimant"), others),
            "checkworthy": attributes.get("checkworthy"),
        },
    )


def with_attributes(proposal: Proposal, attributes: dict[str, Any]) -> Proposal:
    """The proposal with other attributes (dataclasses.replace, without its per-call
    introspection: an import makes one per annotation)."""
    p = proposal
    return Proposal(p.layer, p.start, p.end, p.label, attributes, p.text)


# --- spans ------------------------------------------------------------------------------


def _span_problems(place: Place, proposal: Proposal) -> list[Problem]:
    error = span_error(place.text, proposal.start, proposal.end)
    if error:
        bad_start = not _is_int(proposal.start) or not 0 <= proposal.start < len(place.text)
        return [Problem("start" if bad_start else "end", error)]
    if proposal.text is not None and place.text[proposal.start : proposal.end] != proposal.text:
        return [Problem("text", "text does not match the paragraph between start and end")]
    return []


def _entity_problems(
    schema: dict[str, Any], proposal: Proposal, others: Sequence[Existing], spans_ok: bool
) -> list[Problem]:
    problems = []
    if proposal.label not in entity_labels(schema):
        problems.append(
            Problem("label", f"label {proposal.label!r} is not an entity label of the project")
        )
    if proposal.attributes:
        problems.append(Problem("attributes", "entity annotations have no attributes"))
    if spans_ok:
        problems.extend(_overlaps(proposal, others))
    return problems


def _overlaps(proposal: Proposal, others: Sequence[Existing]) -> list[Problem]:
    for other in others:
        if other.layer != "entity" or other.start is None or other.end is None:
            continue
        if other.start < proposal.end and proposal.start < other.end:
            message = (
                f"overlaps your {other.label} span {other.start}-{other.end}; "
                "delete or change that one first"
            )
            return [Problem("start", message, conflict=True, other=other.id)]
    return []


# --- claims -----------------------------------------------------------------------------


def _claim_problems(
    schema: dict[str, Any], proposal: Proposal, others: Sequence[Existing]
) -> list[Problem]:
    claims = schema["claims"]
    problems = []
    if proposal.label not in claims["types"]:
        problems.append(
            Problem("label", f"label {proposal.label!r} is not a claim type of the project")
        )
    attributes = proposal.attributes
    unknown = sorted(set(attributes) - set(CLAIM_ATTRIBUTES))
    if unknown:
        problems.append(Problem(f"attributes.{unknown[0]}", "is not a claim attribute"))
    for name, allowed in (
        ("attribution", claims["attributions"]),
        ("checkworthy", claims["checkworthy"]),
    ):
        value = attributes.get(name)
        if value is not None and value not in allowed:
            problems.append(
                Problem(f"attributes.{name}", f"must be one of {', '.join(allowed)} or null")
            )
    return problems + _claimant_problems(attributes.get("claimant"), others)


def _claimant_problems(claimant: Any, others: Sequence[Existing]) -> list[Problem]:
    if claimant is None:
        return []
    name = "attributes.claimant"
    if not isinstance(claimant, dict) or set(claimant) - {"entity_id", "text"}:
        return [Problem(name, "claimant must be an object with entity_id and text")]
    entity_id, text = claimant.get("entity_id"), claimant.get("text", "")
    if text is None:
        text = ""
    if not isinstance(text, str) or len(text) > MAX_CLAIMANT_TEXT:
        return [Problem(f"{name}.text", f"must be text of at most {MAX_CLAIMANT_TEXT} characters")]
    if unencodable_path(text) is not None:
        return [Problem(f"{name}.text", "holds characters that cannot be encoded as UTF-8")]
    if entity_id is None:
        if not text.strip():
            return [Problem(f"{name}.text", "name the claimant, or choose an entity")]
        return []
    if _entity(entity_id, others) is None:
        return [
            Problem(f"{name}.entity_id", "must be one of your entity spans in the same article")
        ]
    return []


def _normal_claimant(claimant: Any, others: Sequence[Existing]) -> dict[str, Any] | None:
    if claimant is None:
        return None
    text = (claimant.get("text") or "").strip()
    entity = _entity(claimant.get("entity_id"), others)
    if entity is None:
        return {"entity_id": None, "text": text}
    return {"entity_id": entity.id, "text": text or entity.text}


def _entity(entity_id: Any, others: Sequence[Existing]) -> Existing | None:
    if entity_id is None or isinstance(entity_id, bool):
        return None
    return next((o for o in others if o.layer == "entity" and o.id == entity_id), None)


# --- sentiment --------------------------------------------------------------------------


def _sentiment_problems(
    schema: dict[str, Any], place: Place, proposal: Proposal, others: Sequence[Existing]
) -> list[Problem]:
    problems = []
    if proposal.start is not None or proposal.end is not None:
        problems.append(Problem("start", "sentiment has no offsets"))
    if proposal.label not in schema["sentiment"]:
        problems.append(
            Problem("label", f"label {proposal.label!r} is not a sentiment of the project")
        )
    attributes = proposal.attributes
    if set(attributes) - {"target_id"}:
        return [*problems, Problem("attributes", "sentiment attributes may only name a target_id")]
    target = attributes.get("target_id")
    if target is None:
        return problems + _paragraph_sentiment_problems(place, others)
    return problems + _target_problems(place, target, others)


def _paragraph_sentiment_problems(place: Place, others: Sequence[Existing]) -> list[Problem]:
    if place.is_boilerplate:
        return [Problem("label", "Boilerplate paragraphs get no sentiment.")]
    for other in others:
        if (
            other.layer == "sentiment"
            and other.target_id is None
            and other.paragraph_id == place.id
        ):
            message = "this paragraph already has your sentiment"
            return [Problem("paragraph_id", message, conflict=True, other=other.id)]
    return []


def _target_problems(place: Place, target: Any, others: Sequence[Existing]) -> list[Problem]:
    name = "attributes.target_id"
    entity = _entity(target, others)
    if entity is None or entity.paragraph_id != place.id:
        return [Problem(name, "must be one of your entity spans in the same paragraph")]
    for other in others:
        if other.layer == "sentiment" and other.target_id == target:
            message = "you already gave a sentiment towards this entity"
            return [Problem(name, message, conflict=True, other=other.id)]
    return []


def _is_int(value: Any) -> bool:
    return isinstance(value, int) and not isinstance(value, bool)
