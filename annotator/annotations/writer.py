"""The one writer of Annotation, AnnotationEvent and ArticleStatus.

Every write first claims the owner's scope in the article (an upsert of their
ArticleStatus row, which locks that row on PostgreSQL and takes the write lock on SQLite),
then reads the owner's annotations afresh, runs annotator.annotations.rules, and appends
one history event per change in one shape (to_json). So "spans never overlap" and "one
sentiment per paragraph" hold under any concurrency; unique indexes back the sentiment and
client-id rules. Flushes only: the caller commits once.
"""

from __future__ import annotations

import logging
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field, replace
from typing import Any

from sqlalchemy import case, or_, select
from sqlalchemy.dialects import postgresql, sqlite

from annotator.annotations.rules import Existing, Place, Problem, Proposal, check, normalised
from annotator.annotations.types import AnnotationError, ConflictError, DeleteResult, to_json
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

#: set_paragraph_sentiment without a version: last write wins (scripts written before versions).
UNCHECKED = object()
MAX_CLIENT_ID = 64


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
    _check_client_id(client_id)
    owner = Owner(actor.id, gold=False)
    claim_scope(session, paragraph.article_id, actor.id, started=True)
    if client_id is not None:
        stored = _by_client_id(session, actor.id, client_id)
        if stored is not None:
            return Created(_replayed(stored, paragraph), new=False)
    others = _others(session, paragraph, owner)
    stored_proposal = _checked(session, paragraph, proposal, others)
    annotation = _insert(session, actor, paragraph, owner, stored_proposal, client_id, source)
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
    _check_owner(annotation, actor)
    _check_version_type(version)
    claim_scope(session, annotation.paragraph.article_id, annotation.annotator_id)
    current = _fresh(session, annotation, version)
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
    others = _others(session, current.paragraph, _owner_of(current), exclude=current.id)
    _apply(session, actor, current, _checked(session, current.paragraph, wanted, others))
    return current


def delete(session: DbSession, actor: User, annotation: Annotation, version: Any) -> DeleteResult:
    """Delete an annotation; sentiments towards a deleted entity go too, claimants keep text."""
    _check_owner(annotation, actor)
    _check_version_type(version)
    claim_scope(session, annotation.paragraph.article_id, annotation.annotator_id)
    current = _fresh(session, annotation, version)
    result = DeleteResult(deleted=[current.id], changed=[])
    if current.layer == Layer.ENTITY:
        _detach_dependants(session, actor, current, result)
    _remove(session, actor, current)
    return result


def set_paragraph_sentiment(
    session: DbSession, actor: User, paragraph: Paragraph, label: Any, version: Any = UNCHECKED
) -> Annotation | None:
    """Set (or with None clear) the actor's sentiment of a paragraph, read at `version`
    (None: the page saw no sentiment). A different stored state is a conflict."""
    owner = Owner(actor.id, gold=False)
    claim_scope(session, paragraph.article_id, actor.id, started=label is not None)
    others = _others(session, paragraph, owner)
    current = _paragraph_sentiment(session, paragraph, others)
    if version is not UNCHECKED:
        _check_sentiment_version(current, version)
    if label is None:
        if current is not None:
            _remove(session, actor, current)
        return None
    if current is None:
        proposal = _checked(session, paragraph, Proposal(layer="sentiment", label=label), others)
        return _insert(session, actor, paragraph, owner, proposal, None, "manual")
    if current.label != label:
        rest = [o for o in others if o.id != current.id]
        proposal = Proposal(layer="sentiment", label=label)
        _apply(session, actor, current, _checked(session, paragraph, proposal, rest))
    return current


# --- article status ---------------------------------------------------------------------


def set_status(session: DbSession, user: User, article: Article, status: Any) -> str:
    """Record where the user stands on the article (not started, in progress, done)."""
    if status not in {s.value for s in Status}:
        raise AnnotationError(
            422, "invalid", "status must be one of not_started, in_progress, done", "status"
        )
    _upsert_status(session, article.id, user.id, {"status": status, "updated_at": utcnow()})
    log.info("%s set article %s to %s", user.username, article.id, status)
    return str(status)


def raise_status(session: DbSession, article_id: int, user_id: int, status: str) -> None:
    """Move the status forward to `status` (in progress, done), never back."""
    table = ArticleStatus.__table__
    order = {Status.NOT_STARTED.value: 0, Status.IN_PROGRESS.value: 1, Status.DONE.value: 2}
    lower = [name for name, rank in order.items() if rank < order[status]]
    moves = table.c.status.in_(lower)
    _upsert_status(
        session,
        article_id,
        user_id,
        {
            "status": case((moves, status), else_=table.c.status),
            "updated_at": case((moves, utcnow()), else_=table.c.updated_at),
        },
        inserted=status,
    )


def claim_scope(session: DbSession, article_id: int, owner_id: int, started: bool = False) -> None:
    """Lock the owner's scope in the article until commit; `started` also moves a not-started
    article to in progress. Two writers of one scope run one after the other."""
    if started:
        raise_status(session, article_id, owner_id, Status.IN_PROGRESS.value)
    else:
        table = ArticleStatus.__table__
        _upsert_status(
            session,
            article_id,
            owner_id,
            {"status": table.c.status},
            inserted=Status.NOT_STARTED.value,
        )


def _upsert_status(
    session: DbSession,
    article_id: int,
    user_id: int,
    on_conflict: dict[str, Any],
    inserted: str | None = None,
) -> None:
    dialect = session.get_bind().dialect.name
    insert = postgresql.insert if dialect == "postgresql" else sqlite.insert
    values = {
        "article_id": article_id,
        "user_id": user_id,
        "status": inserted if inserted is not None else on_conflict["status"],
        "updated_at": utcnow(),
    }
    statement = insert(ArticleStatus).values(values)
    session.execute(
        statement.on_conflict_do_update(index_elements=["article_id", "user_id"], set_=on_conflict)
    )
    existing = session.identity_map.get(session.identity_key(ArticleStatus, (article_id, user_id)))
    if existing is not None:
        session.expire(existing)


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
    for article_id, owner_id in sorted({(i.paragraph.article_id, i.owner.id) for i in items}):
        claim_scope(session, article_id, owner_id)
    scopes: dict[tuple[int, int, bool], _Scope] = {}
    ids: dict[Ref, int] = {}
    stored: list[Annotation] = []
    for index in sorted(range(len(items)), key=lambda i: _layer_order(items[i])):
        item = items[index]
        scope = _batch_scope(session, scopes, item)
        problems = check(
            item.paragraph.article.project.label_schema,
            _place(item.paragraph),
            item.proposal,
            scope.others,
        )
        if problems:
            raise BatchError(index, problems[0])
        proposal = _resolved(normalised(item.proposal, scope.others), ids)
        owner = Owner(item.owner.id, item.gold)
        row = _insert(
            session, actor or item.owner, item.paragraph, owner, proposal, None, item.source
        )
        if item.ref is not None:
            ids[item.ref] = row.id
        scope.others.append(_existing(row, item.paragraph.text, ref=item.ref))
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
        _apply(session, actor, annotation, change(annotation))
        count += 1
    return count


def _layer_order(item: NewAnnotation) -> int:
    return {"entity": 0, "claim": 1}.get(str(item.proposal.layer), 2)


def _batch_scope(
    session: DbSession, scopes: dict[tuple[int, int, bool], _Scope], item: NewAnnotation
) -> _Scope:
    key = (item.paragraph.article_id, item.owner.id, item.gold)
    if key not in scopes:
        owner = Owner(item.owner.id, item.gold)
        scopes[key] = _Scope(_article_annotations(session, item.paragraph.article_id, owner))
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


# --- reading the owner's scope ----------------------------------------------------------


@dataclass(frozen=True)
class Owner:
    user_id: int
    gold: bool


def _owner_of(annotation: Annotation) -> Owner:
    return Owner(annotation.annotator_id, annotation.is_gold)


def _owned(owner: Owner) -> Any:
    return (Annotation.annotator_id == owner.user_id) & (Annotation.is_gold.is_(owner.gold))


def _others(
    session: DbSession, paragraph: Paragraph, owner: Owner, exclude: int | None = None
) -> list[Existing]:
    """The owner's annotations of the paragraph and entities of the article, read afresh."""
    query = (
        select(Annotation, Paragraph.text)
        .join(Paragraph, Annotation.paragraph_id == Paragraph.id)
        .where(Paragraph.article_id == paragraph.article_id, _owned(owner))
        .where(or_(Annotation.paragraph_id == paragraph.id, Annotation.layer == "entity"))
        .execution_options(populate_existing=True)
    )
    if exclude is not None:
        query = query.where(Annotation.id != exclude)
    with session.no_autoflush:
        return [_existing(row, text) for row, text in session.execute(query)]


def _article_annotations(session: DbSession, article_id: int, owner: Owner) -> list[Existing]:
    query = (
        select(Annotation, Paragraph.text)
        .join(Paragraph, Annotation.paragraph_id == Paragraph.id)
        .where(Paragraph.article_id == article_id, _owned(owner))
    )
    return [_existing(row, text) for row, text in session.execute(query)]


def _existing(row: Annotation, paragraph_text: str, ref: Ref | None = None) -> Existing:
    text = paragraph_text[row.start : row.end] if row.start is not None else ""
    return Existing(
        id=ref if ref is not None else row.id,
        paragraph_id=row.paragraph_id,
        layer=row.layer,
        start=row.start,
        end=row.end,
        label=row.label,
        target_id=row.target_id,
        text=text,
    )


def _paragraph_sentiment(
    session: DbSession, paragraph: Paragraph, others: Sequence[Existing]
) -> Annotation | None:
    for other in others:
        if (
            other.layer == "sentiment"
            and other.target_id is None
            and (other.paragraph_id == paragraph.id)
        ):
            return session.get(Annotation, other.id)
    return None


def _by_client_id(session: DbSession, owner_id: int, client_id: str) -> Annotation | None:
    query = select(Annotation).where(
        Annotation.annotator_id == owner_id, Annotation.client_id == client_id
    )
    return session.scalars(query.execution_options(populate_existing=True)).first()


def _fresh(session: DbSession, annotation: Annotation, version: Any) -> Annotation:
    """The annotation as committed now; a changed version or a deleted row is a conflict."""
    query = select(Annotation).where(Annotation.id == annotation.id)
    current = session.scalars(query.execution_options(populate_existing=True)).first()
    if current is None:
        raise ConflictError(None, "This annotation was deleted elsewhere.")
    if version != current.version:
        raise ConflictError(current)
    return current


# --- checks -----------------------------------------------------------------------------


def _place(paragraph: Paragraph) -> Place:
    return Place(paragraph.id, paragraph.text, paragraph.is_boilerplate)


def _checked(
    session: DbSession, paragraph: Paragraph, proposal: Proposal, others: Sequence[Existing]
) -> Proposal:
    """The proposal as it will be stored, or the first problem raised for the caller."""
    problems = check(paragraph.article.project.label_schema, _place(paragraph), proposal, others)
    if problems:
        raise problem_error(session, problems[0])
    return normalised(proposal, others)


def problem_error(session: DbSession, problem: Problem) -> AnnotationError:
    """A rule's problem as the error the API answers: 409 with what is in the way, or 422."""
    if problem.conflict:
        other = session.get(Annotation, problem.other) if problem.other else None
        return ConflictError(other, problem.message, problem.field)
    return AnnotationError(422, "invalid", problem.message, problem.field)


def _check_owner(annotation: Annotation, actor: User) -> None:
    if annotation.annotator_id == actor.id and not annotation.is_gold:
        return
    if actor.can_see_all_work:
        raise AnnotationError(403, "forbidden", "You can only change your own annotations.")
    raise AnnotationError(404, "not_found", f"No annotation with id {annotation.id}.", "id")


def _check_version_type(version: Any) -> None:
    if not isinstance(version, int) or isinstance(version, bool):
        raise AnnotationError(
            422, "invalid", "version must be the integer version you changed", "version"
        )


def _check_sentiment_version(current: Annotation | None, version: Any) -> None:
    if version is not None:
        _check_version_type(version)
    seen = current.version if current is not None else None
    if version != seen:
        message = "This paragraph's sentiment was changed elsewhere."
        raise ConflictError(current, message, "version")


def _check_client_id(client_id: Any) -> None:
    if client_id is None:
        return
    if not isinstance(client_id, str) or not 0 < len(client_id) <= MAX_CLIENT_ID:
        raise AnnotationError(
            400,
            "bad_request",
            f"client_id must be text of 1 to {MAX_CLIENT_ID} characters",
            "client_id",
        )


def _replayed(stored: Annotation, paragraph: Paragraph) -> Annotation:
    if stored.paragraph_id != paragraph.id:
        raise ConflictError(stored, "This client_id was used for another annotation.", "client_id")
    return stored


# --- rows and history -------------------------------------------------------------------


def _insert(
    session: DbSession,
    actor: User,
    paragraph: Paragraph,
    owner: Owner,
    proposal: Proposal,
    client_id: str | None,
    source: str,
) -> Annotation:
    annotation = Annotation(
        paragraph_id=paragraph.id,
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
    session.add(annotation)
    session.flush()
    _record(session, actor, annotation, "create", None, to_json(annotation))
    return annotation


def _apply(session: DbSession, actor: User, annotation: Annotation, proposal: Proposal) -> None:
    before = to_json(annotation)
    annotation.start, annotation.end = proposal.start, proposal.end
    annotation.label = proposal.label
    annotation.attributes = dict(proposal.attributes)
    annotation.target_id = proposal.attributes.get("target_id")
    annotation.version += 1
    annotation.updated_at = utcnow()
    session.flush()
    _record(session, actor, annotation, "update", before, to_json(annotation))


def _remove(session: DbSession, actor: User, annotation: Annotation) -> None:
    _record(session, actor, annotation, "delete", to_json(annotation), None)
    session.delete(annotation)
    session.flush()


def _detach_dependants(
    session: DbSession, actor: User, entity: Annotation, result: DeleteResult
) -> None:
    """Sentiments towards the entity are deleted; claims naming it keep the claimant's text."""
    article_paragraphs = select(Paragraph.id).where(
        Paragraph.article_id == entity.paragraph.article_id
    )
    query = select(Annotation).where(
        Annotation.paragraph_id.in_(article_paragraphs),
        _owned(_owner_of(entity)),
        Annotation.layer.in_([Layer.CLAIM.value, Layer.SENTIMENT.value]),
    )
    for other in list(session.scalars(query)):
        if other.layer == Layer.SENTIMENT and other.target_id == entity.id:
            result.deleted.append(other.id)
            _remove(session, actor, other)
        elif other.layer == Layer.CLAIM and _names_claimant(other, entity.id):
            claimant = dict(other.attributes["claimant"], entity_id=None)
            changed = Proposal(
                layer=other.layer,
                start=other.start,
                end=other.end,
                label=other.label,
                attributes={**other.attributes, "claimant": claimant},
            )
            _apply(session, actor, other, changed)
            result.changed.append(other)


def _names_claimant(claim: Annotation, entity_id: int) -> bool:
    claimant = claim.attributes.get("claimant")
    return isinstance(claimant, dict) and claimant.get("entity_id") == entity_id


def _record(
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
    log.info("%s: %s %s annotation %s", actor.username, action, annotation.layer, annotation.id)
