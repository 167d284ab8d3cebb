"""Project look-ups and the default project every installation starts with."""

from __future__ import annotations

import copy
from dataclasses import dataclass
from datetime import datetime
from typing import Any, Protocol

from sqlalchemy import exists, select

from annotator.models import DbSession, Project, ProjectMember, Role, User
from annotator.schema import DEFAULT_PROJECT, DEFAULT_SCHEMA, DEFAULT_SETTINGS


def ensure_default_project(session: DbSession) -> Project:
    """Create the default project unless any project exists; return the first project."""
    project = session.scalar(select(Project).order_by(Project.id).limit(1))
    if project is None:
        project = Project(
            **DEFAULT_PROJECT,
            label_schema=copy.deepcopy(DEFAULT_SCHEMA),
            settings=dict(DEFAULT_SETTINGS),
        )
        session.add(project)
        session.flush()
    return project


def project_or_404(slug: str) -> Project:
    """The project with this slug, or a 404 for the view that asked."""
    from annotator.extensions import db

    project: Project = db.first_or_404(select(Project).where(Project.slug == slug))
    return project


def project_by_slug(session: DbSession, slug: str) -> Project | None:
    return session.scalar(select(Project).where(Project.slug == slug))


class ProjectFacts(Protocol):
    """What the access rule reads of a project: a Project, or the columns a save read."""

    @property
    def id(self) -> int: ...

    @property
    def archived_at(self) -> datetime | None: ...


@dataclass(frozen=True)
class ProjectRow:
    """A project's access facts as a Core read found them (ProjectFacts without the ORM)."""

    id: int
    archived_at: datetime | None


def may_work_on(session: DbSession, project: ProjectFacts, user: User) -> bool:
    """Admins and reviewers reach every project. An annotator works on active projects that
    list them as a member, or that list no members at all (open to every annotator)."""
    if user.can_see_all_work:
        return True
    if project.archived_at is not None:
        return False
    found = membership(session, project, user)
    return not found.listed or found.role is not None


def may_review(session: DbSession, project: Project, user: User) -> bool:
    """Global reviewers and admins review every project they see; a member reviews the
    project where the members form gave them the role reviewer (or admin)."""
    if user.can_see_all_work:
        return True
    if not may_work_on(session, project, user):
        return False
    return membership(session, project, user).role in (Role.REVIEWER, Role.ADMIN)


@dataclass(frozen=True)
class Membership:
    """What the access rule needs to know of a project's members for one user."""

    #: The project lists members (else it is open to every annotator).
    listed: bool
    #: This user's role in the project, None when not listed.
    role: str | None


def membership_columns(project_id: Any, user_id: Any) -> tuple[Any, Any]:
    """Two columns (listed, role) that a loader adds to its query, so that checking access
    to what it loads costs no query of its own (see remember_membership)."""
    listed = exists().where(ProjectMember.project_id == project_id)
    role = (
        select(ProjectMember.role)
        .where(ProjectMember.project_id == project_id, ProjectMember.user_id == user_id)
        .scalar_subquery()
    )
    return listed, role


def remember_membership(
    session: DbSession, project_id: int, user_id: int, listed: Any, role: str | None
) -> None:
    """Keep (listed, role) read by a loader for the rest of this session (one request)."""
    cache = session.info.setdefault("membership", {})
    cache[(project_id, user_id)] = Membership(bool(listed), role)


def membership(session: DbSession, project: ProjectFacts, user: User) -> Membership:
    """The user's membership of the project, read once per session unless a loader did."""
    cache = session.info.setdefault("membership", {})
    key = (project.id, user.id)
    if key not in cache:
        listed, role = membership_columns(project.id, user.id)
        row = session.execute(select(listed, role)).one()
        cache[key] = Membership(bool(row[0]), row[1])
    found: Membership = cache[key]
    return found


def forget_members(session: DbSession) -> None:
    """Members changed in this session: read them afresh next time."""
    session.info.pop("member_roles", None)
    session.info.pop("membership", None)


def member_roles(session: DbSession, project: Project) -> dict[int, str]:
    """The project's members and their roles there, read once per session (one request):
    the access rule asks for them several times on one page."""
    cache = session.info.setdefault("member_roles", {})
    if project.id not in cache:
        query = select(ProjectMember.user_id, ProjectMember.role).where(
            ProjectMember.project_id == project.id
        )
        cache[project.id] = {user_id: role for user_id, role in session.execute(query)}
    return dict(cache[project.id])


def visible_projects(session: DbSession, user: User) -> list[Project]:
    """The active projects this user may work on, by name."""
    return [p for p in active_projects(session) if may_work_on(session, p, user)]


def active_projects(session: DbSession) -> list[Project]:
    return list(
        session.scalars(select(Project).where(Project.archived_at.is_(None)).order_by(Project.name))
    )
