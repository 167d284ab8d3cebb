"""The one access rule of pages, API and export: which project an object is in, and whether
this user may see it.

An object that does not exist and one in a project the user may not work on get the same
NotVisible, which every view answers with the same 404: ids and slugs cannot be probed.
Role checks (an annotator on an admin page) are another matter and stay 403.
"""

from __future__ import annotations

from typing import TypeVar

from sqlalchemy import select

from annotator.models import (
    Annotation,
    Article,
    DbSession,
    Paragraph,
    Project,
    ProjectMember,
    Role,
    User,
)
from annotator.projects import may_work_on, project_by_slug

Visible = TypeVar("Visible", Project, Article, Paragraph, Annotation)


class NotVisible(LookupError):
    """Missing, or in a project closed to this user: deliberately the same error."""

    def __init__(self, kind: str) -> None:
        self.kind = kind
        self.message = f"There is no such {kind} in the projects you work on."
        super().__init__(self.message)


def visible(session: DbSession, user: User, model: type[Visible], key: int) -> Visible:
    """The project, article, paragraph or annotation with this id, if this user may see it."""
    return checked(session, user, session.get(model, key), model.__name__.lower())


def visible_project(session: DbSession, user: User, slug: str) -> Project:
    """The project with this slug, if this user may see it."""
    return checked(session, user, project_by_slug(session, slug), "project")


def may_review(session: DbSession, project: Project, user: User) -> bool:
    """Admins and reviewers (global role), and members with the reviewer role in this
    project, review it: agreement figures, adjudication."""
    if user.role in (Role.ADMIN, Role.REVIEWER):
        return True
    role = session.scalar(
        select(ProjectMember.role).where(
            ProjectMember.project_id == project.id, ProjectMember.user_id == user.id
        )
    )
    return role == Role.REVIEWER


def checked(session: DbSession, user: User, found: Visible | None, kind: str) -> Visible:
    """found itself when it exists and the user may work on its project; else NotVisible."""
    if found is None or not may_work_on(session, project_of(found), user):
        raise NotVisible(kind)
    return found


def project_of(found: Project | Article | Paragraph | Annotation) -> Project:
    if isinstance(found, Annotation):
        return found.paragraph.article.project
    if isinstance(found, Paragraph):
        return found.article.project
    if isinstance(found, Article):
        return found.project
    return found
