"""Assigning articles by hand, and the table of who has which article."""

from __future__ import annotations

from dataclasses import dataclass, field

from sqlalchemy import func, select

from annotator.audit import record
from annotator.models import (
    Article,
    ArticleStatus,
    Assignment,
    DbSession,
    Project,
    ProjectMember,
    Role,
    Status,
    User,
)
from annotator.projects import member_roles


class AssignmentError(ValueError):
    """An assignment that cannot be made, with a message for the admin."""


@dataclass
class AssignedRow:
    """One article of the assignment table: who has it, and how far each of them is."""

    article: Article
    people: list[tuple[User, bool, str]] = field(default_factory=list)  # user, by hand, status


def assignment_rows(
    session: DbSession, project: Project, page: int, per_page: int
) -> tuple[list[AssignedRow], int]:
    articles = list(
        session.scalars(
            select(Article)
            .where(Article.project_id == project.id)
            .order_by(Article.id)
            .limit(per_page)
            .offset((page - 1) * per_page)
        )
    )
    total = session.scalar(select(func.count()).where(Article.project_id == project.id)) or 0
    rows = {a.id: AssignedRow(a) for a in articles}
    statuses = _statuses(session, list(rows))
    query = (
        select(Assignment, User)
        .join(User, User.id == Assignment.user_id)
        .where(Assignment.article_id.in_(list(rows)))
        .order_by(User.username_key)
    )
    for assignment, user in session.execute(query):
        status = statuses.get((assignment.article_id, user.id), Status.NOT_STARTED.value)
        by_hand = assignment.assigned_by_id is not None
        rows[assignment.article_id].people.append((user, by_hand, status))
    return list(rows.values()), total


def _statuses(session: DbSession, article_ids: list[int]) -> dict[tuple[int, int], str]:
    query = select(ArticleStatus).where(ArticleStatus.article_id.in_(article_ids))
    return {(s.article_id, s.user_id): s.status for s in session.scalars(query)}


def assignable_users(session: DbSession, project: Project) -> list[User]:
    """Who may be given the project's articles by hand: its active annotator and reviewer
    members; for an open project (no members), every active annotator and reviewer."""
    people = [Role.ANNOTATOR.value, Role.REVIEWER.value]
    query = select(User).where(User.active.is_(True))
    if not member_roles(session, project):
        query = query.where(User.role.in_(people))
    else:
        query = query.join(ProjectMember, ProjectMember.user_id == User.id).where(
            ProjectMember.project_id == project.id, ProjectMember.role.in_(people)
        )
    return list(session.scalars(query.order_by(User.username_key)))


def assign(session: DbSession, actor: User, article: Article, user: User) -> None:
    """Give the article to the user by hand; an automatic assignment becomes a hand-made one."""
    if not user.active:
        raise AssignmentError(f"{user.username} is deactivated.")
    if user not in assignable_users(session, article.project):
        raise AssignmentError(f"{user.username} does not work on {article.project.name}.")
    existing = session.get(Assignment, (article.id, user.id))
    if existing is not None and existing.assigned_by_id is not None:
        raise AssignmentError(f"{user.username} already has this article.")
    if existing is None:
        session.add(Assignment(article_id=article.id, user_id=user.id, assigned_by_id=actor.id))
    else:
        existing.assigned_by_id = actor.id
    session.flush()
    after = {"article_id": article.id, "user": user.username}
    record(session, actor, "assignment.add", ("article", article.id), None, after)


def unassign(session: DbSession, actor: User, article: Article, user: User) -> None:
    """Take the article away from the user; their annotations, if any, stay."""
    existing = session.get(Assignment, (article.id, user.id))
    if existing is None:
        raise AssignmentError(f"{user.username} does not have this article.")
    session.delete(existing)
    session.flush()
    before = {"article_id": article.id, "user": user.username}
    record(session, actor, "assignment.remove", ("article", article.id), before, None)
