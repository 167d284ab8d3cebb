"""Many annotations at once: imports (all or nothing) and label renames."""

from __future__ import annotations

from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field, replace
from typing import Any

from annotator.annotations.rules import Existing, Problem, Proposal, check, normalised
from annotator.annotations.writer.checks import place_of
from annotator.annotations.writer.review import claim_gold_scope
from annotator.annotations.writer.rows import apply_change, insert_row
from annotator.annotations.writer.scope import Owner, article_annotations, existing
from annotator.annotations.writer.status import claim_scope
from annotator.models import (
    Annotation,
    DbSession,
    Paragraph,
    User,
)

# --- many annotations: imports, relabelling ---------------------------------------------


@dataclass
class Ref:
    """An id given in an imported file, before the annotation it names has a row."""

    value: Any

    def __hash__(self) -> int:
        return hash(("ref", repr(self.value)))


@dataclass
class NewAnnotation:
    """One annotation of a batch; claimants and targets may name other items by Ref."""

    paragraph: Paragraph
    owner: User
    proposal: Proposal
    gold: bool = False
    source: str = "import"
    ref: Ref | None = None


@dataclass
class BatchError(Exception):
    """Item `index` of a batch breaks a rule; nothing of the batch may be kept."""

    index: int
    problem: Problem


@dataclass
class _Scope:
    others: list[Existing] = field(default_factory=list)


def create_many(
    session: DbSession, actor: User | None, items: Sequence[NewAnnotation]
) -> list[Annotation]:
    """Check and store a batch under the rules, entities first; BatchError names the item.

    The caller rolls back on BatchError: the batch is all or nothing."""
    for article_id, owner_id, gold in sorted(
        {(i.paragraph.article_id, i.owner.id, i.gold) for i in items}
    ):
        if gold:
            claim_gold_scope(session, article_id, owner_id)
        else:
            claim_scope(session, article_id, owner_id)
    scopes: dict[tuple[int, int, bool], _Scope] = {}
    ids: dict[Ref, int] = {}
    stored: list[Annotation] = []
    for index in sorted(range(len(items)), key=lambda i: _layer_order(items[i])):
        item = items[index]
        scope = _batch_scope(session, scopes, item)
        problems = check(
            item.paragraph.article.project.label_schema,
            place_of(item.paragraph),
            item.proposal,
            scope.others,
        )
        if problems:
            raise BatchError(index, problems[0])
        proposal = _resolved(normalised(item.proposal, scope.others), ids)
        owner = Owner(item.owner.id, item.gold)
        row = insert_row(
            session, actor or item.owner, item.paragraph, owner, proposal, None, item.source
        )
        if item.ref is not None:
            ids[item.ref] = row.id
        # Within the batch, items name each other by Ref: keep the unresolved target.
        unresolved = item.proposal.attributes.get("target_id")
        scope.others.append(
            replace(existing(row, item.paragraph.text, item.ref), target_id=unresolved)
        )
        stored.append(row)
    return stored


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


def _layer_order(item: NewAnnotation) -> int:
    return {"entity": 0, "claim": 1}.get(str(item.proposal.layer), 2)


def _batch_scope(
    session: DbSession, scopes: dict[tuple[int, int, bool], _Scope], item: NewAnnotation
) -> _Scope:
    # Gold is one scope per article, whoever stores it.
    key = (item.paragraph.article_id, 0 if item.gold else item.owner.id, item.gold)
    if key not in scopes:
        owner = Owner(item.owner.id, item.gold)
        scopes[key] = _Scope(article_annotations(session, item.paragraph.article_id, owner))
    return scopes[key]


def _resolved(proposal: Proposal, ids: dict[Ref, int]) -> Proposal:
    """Replace Refs in a claimant or target by the ids their rows were given."""
    attributes = dict(proposal.attributes)
    if isinstance(attributes.get("target_id"), Ref):
        attributes["target_id"] = ids[attributes["target_id"]]
    claimant = attributes.get("claimant")
    if isinstance(claimant, dict) and isinstance(claimant.get("entity_id"), Ref):
        attributes["claimant"] = {**claimant, "entity_id": ids[claimant["entity_id"]]}
    return replace(proposal, attributes=attributes)
