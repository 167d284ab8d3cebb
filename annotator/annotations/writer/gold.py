"""Gold writes: one scope per article, whoever the reviewer is.

Each write locks the article's ArticleReview row (review.claim_gold_scope), reads every gold
annotation of the article, runs the same rules as annotators' writes and stores the row
under the reviewer's id with source "adjudication", with history. Accepting copies an
annotator's annotation; its claimant and target point at the gold entity of the same span.
"""

from __future__ import annotations

import functools
from collections.abc import Callable, Sequence
from typing import Any, TypeVar

from annotator.annotations.rules import Existing, Proposal, check, normalised
from annotator.annotations.types import AnnotationError, ConflictError, DeleteResult
from annotator.annotations.writer.changes import (
    Created,
    change_locked,
    delete_locked,
    sentiment_locked,
)
from annotator.annotations.writer.checks import (
    check_client_id,
    check_version_type,
    checked,
    replayed,
)
from annotator.annotations.writer.review import claim_gold_scope
from annotator.annotations.writer.rows import insert_row
from annotator.annotations.writer.scope import Owner, by_client_id, scope_of
from annotator.annotations.writer.shared import locked_flags, locked_place, locked_schema
from annotator.models import Annotation, ArticleStatus, DbSession, Paragraph, Status, User

ADJUDICATION = "adjudication"
_LAYER_ORDER = {"entity": 0, "claim": 1, "sentiment": 2}

Write = TypeVar("Write", bound=Callable[..., Any])


def _said_of_gold(write: Write) -> Write:
    """The rules speak to an annotator of their own work ("overlaps your PERSON span"); in
    gold, what is in the way may be another reviewer's: it is the gold's."""

    @functools.wraps(write)
    def speaking_of_gold(*args: Any, **kwargs: Any) -> Any:
        try:
            return write(*args, **kwargs)
        except AnnotationError as error:
            error.message = error.message.replace("your ", "the gold ")
            error.args = (error.message,)
            raise

    return speaking_of_gold  # type: ignore[return-value]


@_said_of_gold
def gold_create(
    session: DbSession,
    reviewer: User,
    paragraph: Paragraph,
    proposal: Proposal,
    client_id: Any = None,
) -> Created:
    """Add to the article's gold what no annotator marked (or a reviewer's own version)."""
    check_client_id(client_id)
    claim_gold_scope(session, paragraph.article_id, reviewer.id)
    stored = _replay(session, reviewer, paragraph, client_id)
    if stored is not None:
        return stored
    owner = Owner(reviewer.id, gold=True)
    others = scope_of(session, paragraph, owner)
    _check_one_decision(session, proposal, paragraph.id, others)
    wanted = checked(session, paragraph, proposal, others)
    row = insert_row(session, reviewer, paragraph, owner, wanted, client_id, ADJUDICATION)
    return Created(row, new=True)


@_said_of_gold
def accept(
    session: DbSession,
    reviewer: User,
    source: Annotation,
    client_id: Any = None,
    version: Any = None,
) -> Created:
    """Copy an annotator's annotation into gold (409 when gold holds another in its way).
    `version`: the source's version the reviewer saw; 409 if the annotator changed it
    since, so gold never takes a label the reviewer did not choose."""
    check_source(source)
    check_client_id(client_id)
    if version is not None:
        check_version_type(version)
    check_finished(session, source)
    paragraph = source.paragraph
    claim_gold_scope(session, paragraph.article_id, reviewer.id)
    stored = _replay(session, reviewer, paragraph, client_id)
    if stored is not None:
        return stored
    if version is not None and source.version != version:
        message = (
            "The annotator changed this annotation since you read it "
            f"(now version {source.version})."
        )
        raise ConflictError(source, message)
    owner = Owner(reviewer.id, gold=True)
    others = scope_of(session, paragraph, owner)
    proposal = copied(session, source, others, whole=True)
    _check_one_decision(session, proposal, paragraph.id, others)
    wanted = checked(session, paragraph, proposal, others)
    row = insert_row(session, reviewer, paragraph, owner, wanted, client_id, ADJUDICATION)
    return Created(row, new=True)


def accept_many(
    session: DbSession, reviewer: User, article_id: int, sources: Sequence[Annotation]
) -> tuple[list[Annotation], int]:
    """Copy each source into gold unless gold holds it already; entities first so claimants
    and targets find theirs. Sources the rules refuse against the gold (a reviewer decided
    otherwise there) are skipped and counted."""
    claim_gold_scope(session, article_id, reviewer.id)
    _lock_places(session, sources)
    owner = Owner(reviewer.id, gold=True)
    created: list[Annotation] = []
    skipped = 0
    for source in sorted(sources, key=lambda s: (_LAYER_ORDER[s.layer], s.id)):
        check_source(source)
        paragraph = source.paragraph
        others = scope_of(session, paragraph, owner)
        try:
            proposal = copied(session, source, others)
        except AnnotationError:
            skipped += 1
            continue
        if _holding(proposal, paragraph.id, others) is not None:
            continue
        if _claim_at(proposal, paragraph.id, others) is not None:
            skipped += 1  # gold decided this span's claim otherwise
            continue
        schema, place = locked_place(session, paragraph)
        if check(schema, place, proposal, others):
            skipped += 1
            continue
        wanted = normalised(proposal, others)
        created.append(insert_row(session, reviewer, paragraph, owner, wanted, None, ADJUDICATION))
    return created, skipped


def _lock_places(session: DbSession, sources: Sequence[Annotation]) -> None:
    """Read the sources' paragraphs' flags (and their schema) under the writes' locks all at
    once, in id order and under the project's flags lock, as an import's batch does: the
    copies below then find them read, and take no paragraph's lock out of order
    (writer.shared)."""
    if sources:
        project_id = sources[0].paragraph.article.project_id
        locked_schema(session, project_id)
        locked_flags(session, project_id, {s.paragraph_id for s in sources})


@_said_of_gold
def gold_update(
    session: DbSession,
    reviewer: User,
    annotation: Annotation,
    changes: Proposal,
    given: set[str],
    version: Any,
) -> Annotation:
    """Edit a gold annotation read at `version` (label, offsets, claim attributes)."""
    check_gold(annotation)
    check_version_type(version)
    claim_gold_scope(session, annotation.paragraph.article_id, reviewer.id)
    return change_locked(session, reviewer, annotation, changes, given, version)


@_said_of_gold
def gold_delete(
    session: DbSession, reviewer: User, annotation: Annotation, version: Any
) -> DeleteResult:
    """Reject a gold annotation read at `version`."""
    check_gold(annotation)
    check_version_type(version)
    claim_gold_scope(session, annotation.paragraph.article_id, reviewer.id)
    return delete_locked(session, reviewer, annotation, version)


@_said_of_gold
def gold_sentiment(
    session: DbSession, reviewer: User, paragraph: Paragraph, label: Any, version: Any
) -> Annotation | None:
    """Set or clear the gold sentiment of a paragraph read at `version` (None: none seen)."""
    claim_gold_scope(session, paragraph.article_id, reviewer.id)
    owner = Owner(reviewer.id, gold=True)
    return sentiment_locked(session, reviewer, paragraph, owner, label, version, ADJUDICATION)


def check_gold(annotation: Annotation) -> None:
    if not annotation.is_gold:
        raise AnnotationError(
            404, "not_found", f"No gold annotation with id {annotation.id}.", "id"
        )


def check_source(annotation: Annotation) -> None:
    if annotation.is_gold:
        raise AnnotationError(422, "invalid", "This annotation is gold already.", "id")


def check_finished(session: DbSession, source: Annotation) -> None:
    """Only work its annotator marked done is reviewed (the review page shows no other):
    a 409 for work still in progress, which may change under the decision."""
    status = session.get(ArticleStatus, (source.paragraph.article_id, source.annotator_id))
    if status is None or status.status != Status.DONE.value:
        message = "Its annotator has not finished this article: their work is not reviewed yet."
        raise AnnotationError(409, "conflict", message, "id")


def copied(
    session: DbSession, source: Annotation, gold: Sequence[Existing], whole: bool = False
) -> Proposal:
    """The source as a gold proposal: its claimant and target become gold entities. `whole`
    (one accept): a claimant entity not in gold yet is a 422, as for a sentiment's target,
    rather than a link dropped unseen; accepting all agreements keeps the claimant's text
    when the annotators did not agree on its entity."""
    attributes = dict(source.attributes or {})
    if source.layer == "claim" and isinstance(attributes.get("claimant"), dict):
        claimant = attributes["claimant"]
        twin = _gold_twin(session, claimant.get("entity_id"), gold)
        if whole and twin is None and claimant.get("entity_id") is not None:
            message = "Accept the entity this claim's claimant is first."
            raise AnnotationError(422, "invalid", message, "attributes.claimant")
        attributes["claimant"] = {
            "entity_id": twin.id if twin else None,
            "text": claimant.get("text") or "",
        }
    if source.layer == "sentiment" and source.target_id is not None:
        twin = _gold_twin(session, source.target_id, gold)
        if twin is None:
            message = "Accept the entity this sentiment is towards first."
            raise AnnotationError(422, "invalid", message, "attributes.target_id")
        attributes = {"target_id": twin.id}
    return Proposal(
        layer=source.layer,
        start=source.start,
        end=source.end,
        label=source.label,
        attributes=attributes,
    )


def _gold_twin(session: DbSession, entity_id: Any, gold: Sequence[Existing]) -> Existing | None:
    """The gold entity over the same span as the annotator's entity `entity_id`."""
    entity = session.get(Annotation, entity_id) if isinstance(entity_id, int) else None
    if entity is None:
        return None
    return next(
        (
            g
            for g in gold
            if g.layer == "entity"
            and (g.paragraph_id, g.start, g.end) == (entity.paragraph_id, entity.start, entity.end)
        ),
        None,
    )


def _holding(proposal: Proposal, paragraph_id: int, gold: Sequence[Existing]) -> Existing | None:
    """The gold annotation that holds this decision already (same place, same label)."""
    target = proposal.attributes.get("target_id")
    return next(
        (
            g
            for g in gold
            if g.paragraph_id == paragraph_id
            and g.layer == proposal.layer
            and (g.start, g.end, g.label) == (proposal.start, proposal.end, proposal.label)
            and g.target_id == target
        ),
        None,
    )


def _check_one_decision(
    session: DbSession, proposal: Proposal, paragraph_id: int, gold: Sequence[Existing]
) -> None:
    """Gold holds one decision per claim span: a second claim over the same text (from
    another reviewer's page, or the same accept sent again) is a 409, not a contradictory
    twin. Entities and sentiments are held to one by the rules (overlaps, one sentiment)."""
    same = _holding(proposal, paragraph_id, gold)
    if same is not None:
        raise ConflictError(session.get(Annotation, same.id), "Gold holds this already.")
    held = _claim_at(proposal, paragraph_id, gold)
    if held is not None:
        message = (
            f"Gold already holds a {held.label!r} claim over this text; change or delete "
            "that one first."
        )
        raise ConflictError(session.get(Annotation, held.id), message, "start")


def _claim_at(proposal: Proposal, paragraph_id: int, gold: Sequence[Existing]) -> Existing | None:
    """The gold claim over exactly the proposal's span, if the proposal is a claim."""
    if proposal.layer != "claim":
        return None
    return next(
        (
            g
            for g in gold
            if g.layer == "claim"
            and (g.paragraph_id, g.start, g.end) == (paragraph_id, proposal.start, proposal.end)
        ),
        None,
    )


def _replay(
    session: DbSession, reviewer: User, paragraph: Paragraph, client_id: Any
) -> Created | None:
    if client_id is None:
        return None
    stored = by_client_id(session, reviewer.id, client_id)
    return Created(replayed(stored, paragraph), new=False) if stored is not None else None
