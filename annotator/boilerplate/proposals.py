"""Boilerplate proposals: an annotator says a paragraph is boilerplate (or content); a
reviewer or admin confirms, which flips the flag, or declines.

Confirming "boilerplate" on a paragraph that carries annotations needs an explicit second
confirmation that names them: nobody's work is hidden silently. Flushes only.
"""

from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy import func, select, update
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import selectinload

from annotator.annotations.writer.shared import lock_paragraphs_for_flag
from annotator.audit import record
from annotator.boilerplate.rules import flag_name
from annotator.models import (
    Annotation,
    Article,
    BoilerplateProposal,
    DbSession,
    Paragraph,
    Project,
    ProposalStatus,
    User,
    utcnow,
)

PENDING = ProposalStatus.PENDING.value


class ProposalError(Exception):
    """A proposal or decision that cannot be made now; status is the HTTP answer."""

    def __init__(self, status: int, code: str, message: str) -> None:
        super().__init__(message)
        self.status = status
        self.code = code
        self.message = message


class AnnotatedParagraph(ProposalError):
    """Confirming would hide these annotations: the decider must confirm again, knowingly."""

    def __init__(self, annotations: list[Annotation]) -> None:
        super().__init__(
            409,
            "annotated",
            f"The paragraph has {len(annotations)} annotation(s); confirm again to hide them "
            "as boilerplate.",
        )
        self.annotations = annotations


def proposal_json(proposal: BoilerplateProposal) -> dict[str, object]:
    return {
        "id": proposal.id,
        "paragraph_id": proposal.paragraph_id,
        "flag": flag_name(proposal.makes_boilerplate),
        "status": proposal.status,
        "proposed_by": proposal.proposed_by.username,
        "created_at": proposal.created_at.isoformat(),
    }


def propose(
    session: DbSession, user: User, paragraph: Paragraph, flag: str
) -> tuple[BoilerplateProposal, bool]:
    """The pending proposal for the paragraph and whether it is new. A proposal the paragraph
    already has (from anyone) is returned, not stored twice: a unique index holds that."""
    makes_boilerplate = flag == "boilerplate"
    if paragraph.is_boilerplate == makes_boilerplate:
        raise ProposalError(422, "unchanged", f"The paragraph is already {flag}.")
    existing = pending_on(session, paragraph.id)
    if existing is None:
        existing = _insert(session, user, paragraph, makes_boilerplate)
        if existing is not None:
            after = {"position": paragraph.position, "flag": flag, "proposal": existing.id}
            record(session, user, "boilerplate.propose", ("paragraph", paragraph.id), None, after)
            return existing, True
        existing = pending_on(session, paragraph.id)
    if existing is None or existing.makes_boilerplate != makes_boilerplate:
        raise ProposalError(409, "conflict", "Another proposal on this paragraph is pending.")
    return existing, False


def _insert(
    session: DbSession, user: User, paragraph: Paragraph, makes_boilerplate: bool
) -> BoilerplateProposal | None:
    """The new proposal, or None when another request stored one for the paragraph first."""
    proposal = BoilerplateProposal(
        paragraph_id=paragraph.id, proposed_by_id=user.id, makes_boilerplate=makes_boilerplate
    )
    try:
        with session.begin_nested():
            session.add(proposal)
    except IntegrityError:
        return None
    return proposal


def pending_on(session: DbSession, paragraph_id: int) -> BoilerplateProposal | None:
    return session.scalar(
        select(BoilerplateProposal).where(
            BoilerplateProposal.paragraph_id == paragraph_id, BoilerplateProposal.status == PENDING
        )
    )


def pending_in_article(session: DbSession, article: Article) -> list[BoilerplateProposal]:
    query = (
        select(BoilerplateProposal)
        .join(Paragraph, Paragraph.id == BoilerplateProposal.paragraph_id)
        .where(Paragraph.article_id == article.id, BoilerplateProposal.status == PENDING)
        .options(selectinload(BoilerplateProposal.proposed_by))
        .order_by(Paragraph.position)
    )
    return list(session.scalars(query))


@dataclass(frozen=True)
class PendingRow:
    proposal: BoilerplateProposal
    article: Article
    annotations: int


def pending_in_project(session: DbSession, project: Project, limit: int = 200) -> list[PendingRow]:
    """The project's pending proposals, oldest first, with how many annotations each
    paragraph has (those would be hidden by a confirmed "boilerplate")."""
    count = (
        select(func.count())
        .where(Annotation.paragraph_id == BoilerplateProposal.paragraph_id)
        .scalar_subquery()
    )
    query = (
        select(BoilerplateProposal, Article, count)
        .join(Paragraph, Paragraph.id == BoilerplateProposal.paragraph_id)
        .join(Article, Article.id == Paragraph.article_id)
        .where(Article.project_id == project.id, BoilerplateProposal.status == PENDING)
        .options(
            selectinload(BoilerplateProposal.proposed_by),
            selectinload(BoilerplateProposal.paragraph),
        )
        .order_by(BoilerplateProposal.id)
        .limit(limit)
    )
    return [PendingRow(p, a, n) for p, a, n in session.execute(query)]


def count_pending(session: DbSession, project: Project) -> int:
    query = (
        select(func.count())
        .select_from(BoilerplateProposal)
        .join(Paragraph, Paragraph.id == BoilerplateProposal.paragraph_id)
        .join(Article, Article.id == Paragraph.article_id)
        .where(Article.project_id == project.id, BoilerplateProposal.status == PENDING)
    )
    return session.scalar(query) or 0


def annotations_on(session: DbSession, paragraph_id: int) -> list[Annotation]:
    query = (
        select(Annotation)
        .where(Annotation.paragraph_id == paragraph_id)
        .options(selectinload(Annotation.annotator))
        .order_by(Annotation.id)
    )
    return list(session.scalars(query))


def confirm(
    session: DbSession, actor: User, proposal: BoilerplateProposal, include_annotated: bool
) -> None:
    """Flip the paragraph's flag as proposed. A "boilerplate" over annotations raises
    AnnotatedParagraph (listing them) unless include_annotated."""
    paragraph = proposal.paragraph
    project_id = paragraph.article.project_id
    lock_paragraphs_for_flag(session, project_id, [paragraph.id])  # writes in flight there first
    if proposal.makes_boilerplate and not paragraph.is_boilerplate and not include_annotated:
        found = annotations_on(session, paragraph.id)
        if found:
            raise AnnotatedParagraph(found)
    _decide(session, actor, proposal, ProposalStatus.CONFIRMED)
    before = {"position": paragraph.position, "is_boilerplate": paragraph.is_boilerplate}
    paragraph.is_boilerplate = proposal.makes_boilerplate
    after = {**before, "is_boilerplate": paragraph.is_boilerplate, "proposal": proposal.id}
    record(session, actor, "boilerplate.confirm", ("paragraph", paragraph.id), before, after)


def decline(session: DbSession, actor: User, proposal: BoilerplateProposal) -> None:
    _decide(session, actor, proposal, ProposalStatus.DECLINED)
    after = {"proposal": proposal.id, "flag": flag_name(proposal.makes_boilerplate)}
    record(session, actor, "boilerplate.decline", ("paragraph", proposal.paragraph_id), None, after)


def _decide(
    session: DbSession, actor: User, proposal: BoilerplateProposal, status: ProposalStatus
) -> None:
    """Close the proposal with one conditional UPDATE: a second decision finds it closed."""
    result = session.execute(
        update(BoilerplateProposal)
        .where(BoilerplateProposal.id == proposal.id, BoilerplateProposal.status == PENDING)
        .values(status=status.value, decided_by_id=actor.id, decided_at=utcnow())
        .execution_options(synchronize_session=False)
    )
    if result.rowcount != 1:  # type: ignore[attr-defined]
        raise ProposalError(409, "decided", "This proposal was already confirmed or declined.")
    session.refresh(proposal)
