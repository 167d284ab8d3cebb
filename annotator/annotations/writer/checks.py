"""Checks a write passes before anything is stored, and problems as API errors."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from annotator.annotations.rules import Existing, Place, Problem, Proposal, check, normalised
from annotator.annotations.types import AnnotationError, ConflictError
from annotator.annotations.writer.shared import locked_place
from annotator.models import (
    Annotation,
    DbSession,
    Paragraph,
    User,
)

MAX_CLIENT_ID = 64

# --- checks -----------------------------------------------------------------------------


def checked(
    session: DbSession, paragraph: Paragraph, proposal: Proposal, others: Sequence[Existing]
) -> Proposal:
    """The proposal as it will be stored, or the first problem raised for the caller; call
    it once the scope is claimed (the schema and the paragraph's flag are read under the
    locks changes of them wait for: writer.shared)."""
    schema, place = locked_place(session, paragraph)
    return checked_in(session, schema, place, proposal, others)


def checked_in(
    session: DbSession,
    schema: dict[str, Any],
    place: Place,
    proposal: Proposal,
    others: Sequence[Existing],
) -> Proposal:
    """checked() for a paragraph known by its place and its project's schema."""
    problems = check(schema, place, proposal, others)
    if problems:
        raise problem_error(session, problems[0])
    return normalised(proposal, others)


def problem_error(session: DbSession, problem: Problem) -> AnnotationError:
    """A rule's problem as the error the API answers: 409 with what is in the way, or 422."""
    if problem.conflict:
        other = session.get(Annotation, problem.other) if problem.other else None
        return ConflictError(other, problem.message, problem.field)
    return AnnotationError(422, problem.code, problem.message, problem.field)


def check_owner(annotation: Annotation, actor: User) -> None:
    if annotation.annotator_id == actor.id and not annotation.is_gold:
        return
    if actor.can_see_all_work:
        raise AnnotationError(403, "forbidden", "You can only change your own annotations.")
    raise AnnotationError(404, "not_found", f"No annotation with id {annotation.id}.", "id")


def check_version_type(version: Any) -> None:
    if not isinstance(version, int) or isinstance(version, bool):
        raise AnnotationError(
            422, "invalid", "version must be the integer version you changed", "version"
        )


def check_sentiment_version(current: Annotation | None, version: Any) -> None:
    if version is not None:
        check_version_type(version)
    seen = current.version if current is not None else None
    if version != seen:
        message = "This paragraph's sentiment was changed elsewhere."
        raise ConflictError(current, message, "version")


def check_client_id(client_id: Any) -> None:
    if client_id is None:
        return
    if not isinstance(client_id, str) or not 0 < len(client_id) <= MAX_CLIENT_ID:
        raise AnnotationError(
            400,
            "bad_request",
            f"client_id must be text of 1 to {MAX_CLIENT_ID} characters",
            "client_id",
        )


def replayed(stored: Annotation, paragraph: Paragraph) -> Annotation:
    return replayed_at(stored, paragraph.id)


def replayed_at(stored: Annotation, paragraph_id: int) -> Annotation:
    """The row an earlier attempt with the same client_id stored, if it went to this paragraph."""
    if stored.paragraph_id != paragraph_id:
        raise ConflictError(stored, "This client_id was used for another annotation.", "client_id")
    return stored
