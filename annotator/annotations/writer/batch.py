"""Many annotations at once: imports (all or nothing) and label renames.

A batch is checked whole in memory under the rules, then written with a few Core
statements (executemany; RETURNING gives the ids in order): scope claims, entities,
claims and sentiments once the entities they name have ids, and one history row each.
No ORM object per row, no flush per row.
"""

from __future__ import annotations

import functools
import logging
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from functools import partial
from typing import Any, Protocol

from sqlalchemy import bindparam, func, select, text

from annotator.annotations.rules import (
    Existing,
    Place,
    Problem,
    Proposal,
    Scope,
    check,
    normalised,
    with_attributes,
)
from annotator.annotations.writer.bulk import stored_flags, stored_value
from annotator.annotations.writer.created import ANNOTATIONS, CreatedRows
from annotator.annotations.writer.review import claim_review
from annotator.annotations.writer.rows import apply_change
from annotator.annotations.writer.shared import locked_flags, locked_schema
from annotator.annotations.writer.status import claim_scopes
from annotator.models import Annotation, DbSession, Paragraph, User, utcnow

log = logging.getLogger(__name__)

# --- many annotations: imports, relabelling ---------------------------------------------


class Spot(Protocol):
    """What a batch needs of a paragraph: a Paragraph, or a lighter row of one."""

    @property
    def id(self) -> int: ...

    @property
    def article_id(self) -> int: ...

    @property
    def text(self) -> str: ...


@dataclass
class Ref:
    """An id given in an imported file, before the annotation it names has a row."""

    value: Any

    def __hash__(self) -> int:
        return hash(("ref", repr(self.value)))


class NewAnnotation:
    """One annotation of a batch; claimants and targets may name other items by Ref.

    A slotted class with its own __init__, not a dataclass, whose __post_init__ cost a
    second Python frame per item (an import makes one per annotation)."""

    __slots__ = ("paragraph", "owner", "proposal", "gold", "source", "ref", "owner_id")

    def __init__(
        self,
        paragraph: Spot,
        owner: User,
        proposal: Proposal,
        gold: bool = False,
        source: str = "import",
        ref: Ref | None = None,
        owner_id: int = 0,
    ) -> None:
        self.paragraph, self.owner, self.proposal = paragraph, owner, proposal
        self.gold, self.source, self.ref = gold, source, ref
        #: owner.id, read once: the batch needs it several times per item, and each read of
        #: an ORM attribute goes through its descriptor (half a million reads in a large
        #: import). A caller that makes many items for one owner gives it; 0: read here.
        self.owner_id = owner_id or owner.id

    def __repr__(self) -> str:
        return f"NewAnnotation({self.proposal!r}, owner {self.owner_id}, gold {self.gold})"


@dataclass
class BatchError(Exception):
    """Item `index` of a batch breaks a rule; nothing of the batch may be kept."""

    index: int
    problem: Problem


@dataclass
class Known:
    """Ids that earlier batches of one import gave to its Refs, for the batches after."""

    ids: dict[Ref, int] = field(default_factory=dict)


ScopeKey = tuple[int, int, bool]  # (article, owner or 0 for gold, gold)


def create_many(
    session: DbSession,
    actor: User | None,
    items: Sequence[NewAnnotation],
    project_id: int | None = None,
    statuses: Mapping[tuple[int, int], str] | None = None,
    known: Known | None = None,
) -> list[int]:
    """Check and store a batch under the rules, entities first; the ids in item order.

    BatchError names the first item that breaks a rule; the caller rolls back (all or
    nothing). `project_id` is the items' project (read from the first paragraph when
    omitted), whose schema is read once claimed; `statuses` raises (article, owner)
    statuses as part of the scope claim; `known` carries Refs across the batches of one
    import."""
    if not items:
        claim_scopes(session, statuses or {})
        return []
    if project_id is None:
        project_id = items[0].paragraph.article.project_id  # type: ignore[attr-defined]
    known = known if known is not None else Known()
    # The batch's few (article, owner, gold), for the claims and the scopes: one pass.
    owners = {(i.paragraph.article_id, i.owner_id, i.gold) for i in items}
    _claim(session, owners, statuses or {})
    # Read under the claim's locks (writer.shared): the schema once an import, the
    # paragraphs' boilerplate flags once a batch.
    schema = locked_schema(session, project_id)
    flags = locked_flags(session, project_id, [i.paragraph.id for i in items])
    order = _layer_order(items)
    proposals = _checked(items, order, _scopes(session, owners), (schema, flags), known)
    return _store(session, actor, items, order, proposals, known)


def relabel(
    session: DbSession,
    actor: User,
    rows: Iterable[Annotation],
    change: Callable[[Annotation], Proposal],
) -> int:
    """Give each annotation what `change` says (label renames and merges), with history."""
    count = 0
    for annotation in rows:
        apply_change(session, actor, annotation, change(annotation))
        count += 1
    return count


# --- claiming and reading the scopes ----------------------------------------------------


def _claim(
    session: DbSession,
    owners: set[tuple[int, int, bool]],
    statuses: Mapping[tuple[int, int], str],
) -> None:
    """Lock every scope the batch writes to (see writer/__init__), statuses raised at once;
    `owners` are the batch's (article, owner, gold)."""
    wanted = dict(statuses)
    gold: set[tuple[int, int]] = set()
    for article_id, owner_id, is_gold in owners:
        if is_gold:
            gold.add((article_id, owner_id))
        else:
            wanted.setdefault((article_id, owner_id), "not_started")
    claim_scopes(session, wanted)
    for article_id, owner_id in sorted(gold):
        claim_review(session, article_id, owner_id)  # an import may restore adjudicated gold


def _scope_key(article_id: int, owner_id: int, gold: bool) -> ScopeKey:
    return (article_id, 0 if gold else owner_id, gold)  # gold: one scope per article


def _scopes(session: DbSession, owners: set[tuple[int, int, bool]]) -> dict[ScopeKey, Scope]:
    """What the batch's owners (article, owner, gold) already stored in its articles, in
    one query."""
    keys = {_scope_key(article_id, owner_id, gold) for article_id, owner_id, gold in owners}
    scopes: dict[ScopeKey, Scope] = {key: Scope() for key in keys}
    parameters = {
        "articles": sorted({key[0] for key in keys}),
        "owners": sorted({key[1] for key in keys if not key[2]}),
    }
    rows = session.connection().execute(_scopes_query(), parameters).all()  # one fetch
    for row in rows:  # Core: no step per row
        key = _scope_key(row.article_id, row.annotator_id, bool(row.is_gold))
        if key in scopes:
            scopes[key].add(_existing(row))
    return scopes


@functools.cache
def _scopes_query() -> Any:
    """_scopes' query, built once: building it, and coercing each id of its IN lists, cost
    a batch more than the database's answer."""
    return (
        select(Annotation.__table__, Paragraph.text.label("paragraph_text"), Paragraph.article_id)
        .join(Paragraph, Annotation.paragraph_id == Paragraph.id)
        .where(Paragraph.article_id.in_(bindparam("articles", expanding=True)))
        .where(
            Annotation.annotator_id.in_(bindparam("owners", expanding=True))
            | Annotation.is_gold.is_(True)
        )
    )


def _existing(row: Any) -> Existing:
    text = row.paragraph_text[row.start : row.end] if row.start is not None else ""
    return Existing(
        row.id, row.paragraph_id, row.layer, row.start, row.end, row.label, row.target_id, text
    )


# --- checking in memory -----------------------------------------------------------------


def _checked(
    items: Sequence[NewAnnotation],
    order: Sequence[int],
    scopes: dict[ScopeKey, Scope],
    shared: tuple[dict[str, Any], Mapping[int, bool]],
    known: Known,
) -> dict[int, Proposal]:
    """Each item's proposal as it will be stored, checked against the stored scope and the
    items before it, the project's schema and the paragraphs' boilerplate flags (`shared`,
    as read under the claim's locks); Refs to items of this batch stay Refs until those
    have ids."""
    schema, flags = shared
    proposals: dict[int, Proposal] = {}
    places: dict[int, Place] = {}  # a paragraph's several items share one
    for index in order:
        item = items[index]
        spot, gold = item.paragraph, item.gold
        others = scopes[(spot.article_id, 0 if gold else item.owner_id, gold)]  # _scope_key
        proposal = item.proposal
        if proposal.attributes:  # most items have none: nothing to resolve
            proposal = _resolved(proposal, known.ids, partial=True)
        place = places.get(spot.id)
        if place is None:
            place = places[spot.id] = Place(spot.id, spot.text, flags[spot.id])
        problems = check(schema, place, proposal, others)
        if problems:
            raise BatchError(index, problems[0])
        stored = normalised(proposal, others)
        proposals[index] = stored
        others.add(_pending(index, item, stored))
    return proposals


def _pending(index: int, item: NewAnnotation, proposal: Proposal) -> Existing:
    """A checked item, as the items after it see it before it has a row. One the file gives
    no id can be named by no other item: a key unique in the batch stands for its id (a
    tuple, not a Ref: most items are such, and a Ref costs a dataclass to build)."""
    start, end, spot, ref = proposal.start, proposal.end, item.paragraph, item.ref
    text = spot.text[start:end] if start is not None else ""
    return _existing_of(
        (
            ref if ref is not None else ("batch item", index),
            spot.id,
            str(proposal.layer),
            start,
            end,
            str(proposal.label),
            proposal.attributes.get("target_id"),
            text,
        ),
    )


#: An Existing built in C: what Existing(...) does without its __new__'s Python frame.
_existing_of = partial(tuple.__new__, Existing)


# --- writing ----------------------------------------------------------------------------


def _store(
    session: DbSession,
    actor: User | None,
    items: Sequence[NewAnnotation],
    order: Sequence[int],
    proposals: dict[int, Proposal],
    known: Known,
) -> list[int]:
    """Ids first, so claimants and targets can name their entities; then every row (entities
    ahead of what names them) and its history: a statement or two per kind of row."""
    ids = dict(zip(order, _new_ids(session, len(order)), strict=True))
    for index in order:
        if items[index].ref is not None:
            known.ids[items[index].ref] = ids[index]  # type: ignore[index]
    stamp = stored_value(session, ANNOTATIONS, "created_at", utcnow())  # one per batch
    flags = stored_flags(session, ANNOTATIONS, "is_gold")
    actor_id = actor.id if actor is not None else None
    rows = CreatedRows(stamp)
    for index in order:
        item, proposal = items[index], proposals[index]
        if proposal.attributes:  # as in _checked
            proposal = _resolved(proposal, known.ids)
        user_id = item.owner_id if actor_id is None else actor_id
        rows.add(ids[index], item, proposal, flags[item.gold], user_id)
    rows.insert(session)
    who = actor.username if actor is not None else items[0].owner.username
    log.info("%s: create %d annotations in one batch", who, len(items))
    return [ids[i] for i in range(len(items))]


def _new_ids(session: DbSession, count: int) -> list[int]:
    """`count` ids no other writer can take: PostgreSQL's sequence; on SQLite the ones after
    the largest, which is what SQLite itself would give, as this transaction already holds
    the write lock (the scope claim)."""
    if session.get_bind().dialect.name == "postgresql":
        query = text(
            "SELECT nextval(pg_get_serial_sequence('annotation', 'id')) "
            "FROM generate_series(1, :count)"
        )
        return sorted(session.execute(query, {"count": count}).scalars())
    largest = session.connection().execute(_LARGEST_ID).scalar_one()
    return list(range(largest + 1, largest + 1 + count))


_LARGEST_ID = select(func.coalesce(func.max(Annotation.id), 0))


_LAYER_ORDER = {"entity": 0, "claim": 1}


def _layer_order(items: Sequence[NewAnnotation]) -> list[int]:
    """The items' indexes, entities first, then claims, then the rest, each in item order
    (a stable sort by layer, as three lists: no key function called per item)."""
    layers: tuple[list[int], list[int], list[int]] = ([], [], [])
    for index, item in enumerate(items):
        layers[_LAYER_ORDER.get(str(item.proposal.layer), 2)].append(index)
    return [*layers[0], *layers[1], *layers[2]]


def _resolved(proposal: Proposal, ids: dict[Ref, int], partial: bool = False) -> Proposal:
    """Replace Refs in a claimant or target by the ids their rows were given; partial
    leaves those not stored yet (items of this batch) as they are."""
    if not isinstance(proposal.attributes, dict) or not proposal.attributes:
        return proposal  # most items: nothing to resolve
    attributes = dict(proposal.attributes)
    target = attributes.get("target_id")
    if isinstance(target, Ref) and (target in ids or not partial):
        attributes["target_id"] = ids[target]
    claimant = attributes.get("claimant")
    named = claimant.get("entity_id") if isinstance(claimant, dict) else None
    if isinstance(named, Ref) and (named in ids or not partial):
        attributes["claimant"] = {**claimant, "entity_id": ids[named]}  # type: ignore[dict-item]
    return with_attributes(proposal, attributes)
