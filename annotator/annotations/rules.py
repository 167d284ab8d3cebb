"""The annotation rules, once: pure functions of the schema, the paragraph and the owner's
other annotations that return the problems of a proposed annotation.

No session and no HTTP status: the writer runs them for the API, every importer,
relabelling and (later) adjudication and suggestions; the API turns a problem into a 4xx
naming the field, an importer into an error naming the file and line.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from typing import Any, NamedTuple

from annotator.text import span_error, unstorable_path

LAYERS = ("entity", "claim", "sentiment")
CLAIM_ATTRIBUTES = ("attribution", "claimant", "checkworthy")
MAX_CLAIMANT_TEXT = 500


#: The error code of a label the project's schema does not hold (any more: a page opened
#: before an admin renamed it sends the old name; the workspace then reloads its labels).
UNKNOWN_LABEL = "unknown_label"


@dataclass(frozen=True)
class Problem:
    """What is wrong and where; `conflict` when another annotation of the owner is in the way."""

    field: str
    message: str
    conflict: bool = False
    #: The id of the annotation in the way, when there is one.
    other: Any = None
    #: The API's error code for it (a conflict is always "conflict").
    code: str = "invalid"


def _unknown_label(label: str, kind: str) -> Problem:
    return Problem("label", f"label {label!r} is not {kind} of the project", code=UNKNOWN_LABEL)


@dataclass(slots=True)
class Proposal:
    """An annotation as a write wants it stored (text: the span text the writer expects).

    Treated as a value: nothing assigns to its fields (with_attributes makes another). Not a
    frozen dataclass, which sets each field through object.__setattr__: that made a
    proposal cost four times a plain one to build (11,000 instructions against 2,800), and
    an import builds one per annotation."""

    layer: Any
    start: Any = None
    end: Any = None
    label: Any = None
    attributes: Any = field(default_factory=dict)
    text: Any = None


class Place(NamedTuple):
    """The paragraph a proposal lands in (a named tuple, as Existing: a batch makes one per
    paragraph)."""

    id: int
    text: str
    is_boilerplate: bool = False


class Existing(NamedTuple):
    """One of the owner's other annotations in the article, as the rules compare with it (a
    named tuple: an import makes one per annotation, and a frozen dataclass costs thrice)."""

    id: Any
    paragraph_id: int
    layer: str
    start: int | None
    end: int | None
    label: str
    target_id: Any = None
    #: The span's text (entities), for a claimant that names it.
    text: str = ""


class Scope:
    """The owner's other annotations in an article, indexed as the rules look them up: by
    paragraph, entities by id, sentiments by target. check() indexes a plain sequence itself;
    a batch keeps one Scope per article and adds each annotation it accepts, so that checking
    an article's many annotations costs each a look-up, not a pass over all the others."""

    def __init__(self, others: Iterable[Existing] = ()) -> None:
        self.all: list[Existing] = []
        self._paragraphs: dict[int, list[Existing]] = {}
        #: Entities by id and sentiments by target, made at the first look-up: most batches
        #: (entities and paragraph sentiments) never make one, and hashing an id costs.
        self._entities: dict[Any, Existing] | None = None
        self._towards: dict[Any, Existing] | None = None
        #: Sentiments whose target cannot be a dict key: compared one by one, as ever.
        self._towards_unhashable: list[Existing] = []
        for other in others:
            self.add(other)

    def add(self, other: Existing) -> None:
        """One more annotation of the owner's, after those already in the scope."""
        self.all.append(other)
        paragraph = self._paragraphs.get(other.paragraph_id)
        if paragraph is None:  # not setdefault: it would make a list for every add
            self._paragraphs[other.paragraph_id] = [other]
        else:
            paragraph.append(other)
        if self._entities is not None and other.layer == "entity":
            _first(self._entities, other.id, other)
        elif self._towards is not None and other.layer == "sentiment":
            self._add_sentiment(self._towards, other)

    def in_paragraph(self, paragraph_id: int) -> list[Existing]:
        """Those in one paragraph, in the order they were added."""
        return self._paragraphs.get(paragraph_id, [])

    def entity(self, entity_id: Any) -> Existing | None:
        """The first entity with this id; a miss (the error path) compares one by one, so an
        id equal to a stored one but hashed apart (or unhashable) is still found."""
        if entity_id is None or isinstance(entity_id, bool):
            return None
        if self._entities is None:
            self._entities = {}
            for other in self.all:
                if other.layer == "entity":
                    _first(self._entities, other.id, other)
        found = _lookup(self._entities, entity_id)
        if found is not None:
            return found
        return next((o for o in self.all if o.layer == "entity" and o.id == entity_id), None)

    def sentiment_towards(self, target: Any) -> Existing | None:
        """The first sentiment towards the entity `target`."""
        if self._towards is None:
            self._towards = {}
            for other in self.all:
                if other.layer == "sentiment":
                    self._add_sentiment(self._towards, other)
        found = _lookup(self._towards, target)
        if found is not None or not self._towards_unhashable:
            return found
        return next((o for o in self.all if _towards(o, target)), None)

    def _add_sentiment(self, towards: dict[Any, Existing], other: Existing) -> None:
        if other.target_id is not None and not _first(towards, other.target_id, other):
            self._towards_unhashable.append(other)


def _first(index: dict[Any, Existing], key: Any, other: Existing) -> bool:
    """Index `other` under `key` unless an earlier one holds it; False if key is unhashable."""
    try:
        index.setdefault(key, other)
    except TypeError:
        return False
    return True


def _lookup(index: dict[Any, Existing], key: Any) -> Existing | None:
    try:
        return index.get(key)
    except TypeError:  # an unhashable id from a request: compared one by one instead
        return None


def _towards(other: Existing, target: Any) -> bool:
    return other.layer == "sentiment" and other.target_id == target


def scope_of(others: Sequence[Existing] | Scope) -> Scope:
    """`others` indexed, unless they already are."""
    return others if isinstance(others, Scope) else Scope(others)


def check(
    schema: dict[str, Any],
    place: Place,
    proposal: Proposal,
    others: Sequence[Existing] | Scope,
) -> list[Problem]:
    """Every problem of the proposal; an empty list means it may be stored. `others`: the
    owner's other annotations in the article, as a sequence or already a Scope."""
    if proposal.layer not in LAYERS:
        return [Problem("layer", "layer must be one of entity, claim, sentiment")]
    if not isinstance(proposal.attributes, dict):
        return [Problem("attributes", "attributes must be an object")]
    scope = others if isinstance(others, Scope) else Scope(others)  # scope_of, inline
    if proposal.layer == "sentiment":
        return _sentiment_problems(schema, place, proposal, scope)
    problems = _span_problems(place, proposal)
    if proposal.layer == "entity":
        in_paragraph = scope.in_paragraph(place.id)
        return problems + _entity_problems(schema, proposal, in_paragraph, spans_ok=not problems)
    return problems + _claim_problems(schema, proposal, scope)


def normalised(proposal: Proposal, others: Sequence[Existing] | Scope) -> Proposal:
    """The proposal as stored: claim attributes complete, a claimant's text filled and trimmed,
    a claimant or target named by the id of the entity it was found as (an equal float,
    2.0, names entity 2 and is stored as 2)."""
    if proposal.layer in ("entity", "sentiment") and not proposal.attributes:
        return proposal  # already as stored: most of an import's annotations
    if proposal.layer == "sentiment":
        target = proposal.attributes.get("target_id")
        return with_attributes(proposal, _normal_target(target, scope_of(others)))
    if proposal.layer == "entity":
        return with_attributes(proposal, {})
    attributes = proposal.attributes
    return with_attributes(
        proposal,
        {
            "attribution": attributes.get("attribution"),
            "claimant": _normal_claimant(attributes.get("claimant"), scope_of(others)),
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
    if not _is_entity_label(schema, proposal.label):
        problems.append(_unknown_label(proposal.label, "an entity label"))
    if proposal.attributes:
        problems.append(Problem("attributes", "entity annotations have no attributes"))
    if spans_ok:
        problems.extend(_overlaps(proposal, others))
    return problems


def _is_entity_label(schema: dict[str, Any], label: Any) -> bool:
    """Whether `label` is one of the schema's entity labels (as `in entity_labels(schema)`,
    without building the list of names for each of an import's entities)."""
    for entry in schema["entities"]:  # noqa: SIM110  (any() resumes a generator per label)
        if entry["name"] == label:
            return True
    return False


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


def _claim_problems(schema: dict[str, Any], proposal: Proposal, others: Scope) -> list[Problem]:
    claims = schema["claims"]
    problems = []
    if proposal.label not in claims["types"]:
        problems.append(_unknown_label(proposal.label, "a claim type"))
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


def _claimant_problems(claimant: Any, others: Scope) -> list[Problem]:
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
    if unstorable_path(text) is not None:
        return [Problem(f"{name}.text", "holds characters that cannot be stored")]
    if entity_id is None:
        if not text.strip():
            return [Problem(f"{name}.text", "name the claimant, or choose an entity")]
        return []
    if others.entity(entity_id) is None:
        return [
            Problem(f"{name}.entity_id", "must be one of your entity spans in the same article")
        ]
    return []


def _normal_target(target: Any, others: Scope) -> dict[str, Any]:
    if target is None:
        return {}
    entity = others.entity(target)
    return {"target_id": entity.id if entity is not None else target}


def _normal_claimant(claimant: Any, others: Scope) -> dict[str, Any] | None:
    if claimant is None:
        return None
    text = (claimant.get("text") or "").strip()
    entity = others.entity(claimant.get("entity_id"))
    if entity is None:
        return {"entity_id": None, "text": text}
    return {"entity_id": entity.id, "text": text or entity.text}


# --- sentiment --------------------------------------------------------------------------


def _sentiment_problems(
    schema: dict[str, Any], place: Place, proposal: Proposal, others: Scope
) -> list[Problem]:
    problems = []
    if proposal.start is not None or proposal.end is not None:
        problems.append(Problem("start", "sentiment has no offsets"))
    if proposal.label not in schema["sentiment"]:
        problems.append(_unknown_label(proposal.label, "a sentiment"))
    attributes = proposal.attributes
    if set(attributes) - {"target_id"}:
        return [*problems, Problem("attributes", "sentiment attributes may only name a target_id")]
    target = attributes.get("target_id")
    if target is None:
        return problems + _paragraph_sentiment_problems(place, others)
    return problems + _target_problems(place, target, others)


def _paragraph_sentiment_problems(place: Place, others: Scope) -> list[Problem]:
    if place.is_boilerplate:
        return [Problem("label", "Boilerplate paragraphs get no sentiment.")]
    for other in others.in_paragraph(place.id):
        if other.layer == "sentiment" and other.target_id is None:
            message = "this paragraph already has your sentiment"
            return [Problem("paragraph_id", message, conflict=True, other=other.id)]
    return []


def _target_problems(place: Place, target: Any, others: Scope) -> list[Problem]:
    name = "attributes.target_id"
    entity = others.entity(target)
    if entity is None or entity.paragraph_id != place.id:
        return [Problem(name, "must be one of your entity spans in the same paragraph")]
    other = others.sentiment_towards(target)
    if other is not None:
        message = "you already gave a sentiment towards this entity"
        return [Problem(name, message, conflict=True, other=other.id)]
    return []


def _is_int(value: Any) -> bool:
    return isinstance(value, int) and not isinstance(value, bool)
