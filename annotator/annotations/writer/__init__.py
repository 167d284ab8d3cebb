"""The one writer of Annotation, AnnotationEvent, ArticleStatus and ArticleReview.

Every write first claims the owner's scope in the article (an upsert of their
ArticleStatus row, or for gold of the article's ArticleReview row: gold.py, review.py;
either locks that row on PostgreSQL and takes the write lock on SQLite),
then reads the owner's annotations and the project's label schema afresh (the schema under
a lock that edits of it wait for: writer.shared), runs annotator.annotations.rules, and appends
one history event per change in one shape (to_json). So "spans never overlap" and "one
sentiment per paragraph" hold under any concurrency; unique indexes back the sentiment and
client-id rules. Flushes only: the caller commits once.
"""

from __future__ import annotations

from typing import Any

from annotator import access
from annotator.annotations.rules import Proposal
from annotator.annotations.types import DeleteResult
from annotator.annotations.writer.batch import (
    BatchError,
    Known,
    NewAnnotation,
    Ref,
    Spot,
    create_many,
    relabel,
)
from annotator.annotations.writer.changes import (
    UNCHECKED,
    Created,
    change_locked,
    delete_locked,
    sentiment_locked,
)
from annotator.annotations.writer.checks import (
    check_client_id,
    check_owner,
    check_version_type,
    checked,
    checked_in,
    problem_error,
    replayed,
    replayed_at,
)
from annotator.annotations.writer.gold import (
    accept,
    accept_many,
    gold_create,
    gold_delete,
    gold_sentiment,
    gold_update,
)
from annotator.annotations.writer.review import (
    ReviewConflict,
    open_review,
    review_json,
    set_review_status,
)
from annotator.annotations.writer.rows import insert_at, insert_row
from annotator.annotations.writer.scope import (
    Owner,
    ParagraphScope,
    by_client_id,
    scope_at,
    scope_of,
)
from annotator.annotations.writer.status import (
    claim_paragraph_scope,
    claim_scope,
    raise_status,
    set_status,
)
from annotator.models import Annotation, DbSession, Paragraph, User

# --- one annotation ---------------------------------------------------------------------


def create(
    session: DbSession,
    actor: User,
    paragraph: Paragraph,
    proposal: Proposal,
    client_id: Any = None,
    source: str = "manual",
) -> Created:
    """Store the actor's annotation, or return the one an earlier attempt with client_id stored."""
    check_client_id(client_id)
    owner = Owner(actor.id, gold=False)
    claim_scope(session, paragraph.article_id, actor.id, started=True)
    if client_id is not None:
        stored = by_client_id(session, actor.id, client_id)
        if stored is not None:
            return Created(replayed(stored, paragraph), new=False)
    others = scope_of(session, paragraph, owner)
    stored_proposal = checked(session, paragraph, proposal, others)
    annotation = insert_row(session, actor, paragraph, owner, stored_proposal, client_id, source)
    return Created(annotation, new=True)


def create_at(
    session: DbSession,
    actor: User,
    paragraph_id: int,
    proposal: Proposal,
    client_id: Any = None,
    source: str = "manual",
) -> Created:
    """create() for a paragraph named by id, if the actor may see it (access.checked).

    One query reads the paragraph, its project's access facts and label schema, the owner's
    scope, any earlier attempt with client_id and the scope's revision; the rules are
    checked against that; only then is the scope claimed, if neither the schema nor the
    paragraph's boilerplate flag has changed since (writer.shared). When the claim's
    revision is the one read plus one, no other writer claimed the scope in between, so
    what was checked still holds and the row is inserted: with the login and the history
    row, a save is five statements, and the database's write lock is held for the last
    three only (on SQLite, where writers go one at a time, that is what limits saves per
    second). Otherwise the scope is claimed whatever they are, then read and checked again
    under the locks, as every other write does. A refusal writes nothing."""
    check_client_id(client_id)
    owner = Owner(actor.id, gold=False)
    found = scope_at(session, paragraph_id, owner, client_id)
    outcome = _checked_save(session, actor, paragraph_id, found, proposal)
    if isinstance(outcome, Created):
        return outcome
    assert found.target is not None  # else _checked_save raised NotVisible
    read = (found.target.schema_revision, found.target.place.is_boilerplate)
    revision = claim_paragraph_scope(session, paragraph_id, actor.id, read)
    if revision != found.revision + 1:  # another writer came in between: again, locked
        if revision is None:  # the schema or the flag changed (or the paragraph is gone)
            claim_paragraph_scope(session, paragraph_id, actor.id)
        found = scope_at(session, paragraph_id, owner, client_id)
        outcome = _checked_save(session, actor, paragraph_id, found, proposal)
        if isinstance(outcome, Created):
            return outcome
    annotation = insert_at(session, actor, paragraph_id, owner, outcome, client_id, source)
    return Created(annotation, new=True)


def _checked_save(
    session: DbSession, actor: User, paragraph_id: int, found: ParagraphScope, proposal: Proposal
) -> Proposal | Created:
    """The proposal as it would be stored in the scope found, or the earlier attempt with the
    same client_id; NotVisible, or the rule's refusal, as create_at answers them."""
    target = found.target
    if target is None:
        raise access.NotVisible("paragraph")
    access.check_project(session, actor, target.project, "paragraph")
    if found.replay is not None:
        return Created(replayed_at(found.replay, paragraph_id), new=False)
    return checked_in(session, target.label_schema, target.place, proposal, found.others)


def update(
    session: DbSession,
    actor: User,
    annotation: Annotation,
    changes: Proposal,
    given: set[str],
    version: Any,
) -> Annotation:
    """Change label, offsets or attributes of an annotation read at `version`."""
    check_owner(annotation, actor)
    check_version_type(version)
    claim_scope(session, annotation.paragraph.article_id, annotation.annotator_id)
    return change_locked(session, actor, annotation, changes, given, version)


def delete(session: DbSession, actor: User, annotation: Annotation, version: Any) -> DeleteResult:
    """Delete an annotation; sentiments towards a deleted entity go too, claimants keep text."""
    check_owner(annotation, actor)
    check_version_type(version)
    claim_scope(session, annotation.paragraph.article_id, annotation.annotator_id)
    return delete_locked(session, actor, annotation, version)


def set_paragraph_sentiment(
    session: DbSession,
    actor: User,
    paragraph: Paragraph,
    label: Any,
    version: Any = UNCHECKED,
    source: str = "manual",
) -> Annotation | None:
    """Set (or with None clear) the actor's sentiment of a paragraph, read at `version`
    (None: the page saw no sentiment). A different stored state is a conflict."""
    owner = Owner(actor.id, gold=False)
    claim_scope(session, paragraph.article_id, actor.id, started=label is not None)
    return sentiment_locked(session, actor, paragraph, owner, label, version, source)


__all__ = [
    "UNCHECKED",
    "BatchError",
    "Created",
    "Known",
    "NewAnnotation",
    "Ref",
    "ReviewConflict",
    "Spot",
    "accept",
    "accept_many",
    "claim_scope",
    "create",
    "create_at",
    "create_many",
    "delete",
    "gold_create",
    "gold_delete",
    "gold_sentiment",
    "gold_update",
    "open_review",
    "problem_error",
    "raise_status",
    "relabel",
    "review_json",
    "set_paragraph_sentiment",
    "set_review_status",
    "set_status",
    "update",
]
