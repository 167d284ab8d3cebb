"""Project look-ups and the default project every installation starts with."""

from __future__ import annotations

import copy

from sqlalchemy import select

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


def may_work_on(session: DbSession, project: Project, user: User) -> bool:
    """Admins and reviewers reach every project. An annotator works on active projects that
    list them as a member, or that list no members at all (open to every annotator)."""
    if user.can_see_all_work:
        return True
    if project.archived_at is not None:
        return False
    members = member_roles(session, project)
    return not members or user.id in members


def may_review(session: DbSession, project: Project, user: User) -> bool:
    """Global reviewers and admins review every project they see; a member reviews the
    project where the members form gave them the role reviewer (or admin)."""
    if user.can_see_all_work:
        return True
    if not may_work_on(session, project, user):
        return False
    return member_roles(session, project).get(user.id) in (Role.REVIEWER, Role.ADMIN)


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
