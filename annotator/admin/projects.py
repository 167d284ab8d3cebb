"""Project administration services: create, edit, archive, and who works on a project."""

from __future__ import annotations

import copy
import hashlib
import json
from dataclasses import dataclass, field
from typing import Any

from sqlalchemy import select

from annotator.audit import record
from annotator.models import DbSession, Project, ProjectMember, Role, User, utcnow
from annotator.projects import forget_members, project_by_slug
from annotator.queue import release_unfinished
from annotator.repeats import (
    SETTING,
    LearnedBoilerplate,
    min_articles,
    recheck_repeated_lines,
)
from annotator.schema import DEFAULT_SCHEMA, DEFAULT_SETTINGS


class ProjectError(ValueError):
    """A project change that cannot be made, with a message for the admin."""


@dataclass(frozen=True)
class ProjectFields:
    """What the project form edits."""

    name: str
    slug: str
    description: str
    guidelines: str
    snap_to_words: bool
    overlap: int
    #: A spaCy pipeline package or folder whose entities become suggestions; "" for none.
    pipeline: str = ""
    #: spaCy label -> schema label, for labels whose names differ.
    pipeline_labels: dict[str, str] = field(default_factory=dict)
    #: None keeps the project's current threshold.
    boilerplate_min_articles: int | None = None


def project_state(project: Project) -> dict[str, Any]:
    """The audited fields of a project (the schema is audited by its own actions)."""
    return {
        "name": project.name,
        "slug": project.slug,
        "description": project.description,
        "guidelines": project.guidelines,
        "settings": dict(project.settings or {}),
        "archived": project.archived_at is not None,
    }


def project_revision(project: Project) -> str:
    """A fingerprint of the editable fields: a form opened on an older one is out of date."""
    state = json.dumps(project_state(project), sort_keys=True, ensure_ascii=False)
    return hashlib.sha256(state.encode("utf-8")).hexdigest()[:16]


def all_projects(session: DbSession) -> list[Project]:
    """Active projects first, then archived ones, each by name."""
    query = select(Project).order_by(Project.archived_at.is_not(None), Project.name)
    return list(session.scalars(query))


def _check_slug(session: DbSession, slug: str, project: Project | None) -> None:
    other = project_by_slug(session, slug)
    if other is not None and other is not project:
        raise ProjectError(f"The slug {slug!r} is taken by project {other.name!r}.")


def _apply(project: Project, fields: ProjectFields) -> None:
    project.name = fields.name.strip()
    project.slug = fields.slug
    project.description = fields.description
    project.guidelines = fields.guidelines
    settings = {**DEFAULT_SETTINGS, **(project.settings or {})}
    settings.update(snap_to_words=fields.snap_to_words, overlap=fields.overlap)
    _set_or_drop(settings, "pipeline", fields.pipeline.strip())
    _set_or_drop(settings, "pipeline_labels", fields.pipeline_labels)
    wanted = fields.boilerplate_min_articles
    if wanted is not None and wanted != min_articles(project):
        settings[SETTING] = wanted
    project.settings = settings  # a new dict, so the JSON column sees the change


def _set_or_drop(settings: dict[str, Any], key: str, value: Any) -> None:
    """Optional settings are stored only when set, so a project without them stays plain."""
    if value:
        settings[key] = value
    else:
        settings.pop(key, None)


def create_project(session: DbSession, actor: User, fields: ProjectFields) -> Project:
    """A new project with the default label schema. Flushes only."""
    _check_slug(session, fields.slug, None)
    project = Project(label_schema=copy.deepcopy(DEFAULT_SCHEMA), settings={})
    _apply(project, fields)
    session.add(project)
    session.flush()
    record(session, actor, "project.create", ("project", project.id), None, project_state(project))
    return project


def update_project(
    session: DbSession, actor: User, project: Project, fields: ProjectFields
) -> LearnedBoilerplate | None:
    """Save the form; a new boilerplate threshold is applied to the whole project at once,
    and what it changed is returned (None when the threshold did not change)."""
    _check_slug(session, fields.slug, project)
    before = project_state(project)
    threshold = min_articles(project)
    _apply(project, fields)
    session.flush()
    after = project_state(project)
    if after != before:
        record(session, actor, "project.update", ("project", project.id), before, after)
    if min_articles(project) == threshold:
        return None
    return recheck_repeated_lines(session, project)


def set_archived(session: DbSession, actor: User, project: Project, archived: bool) -> None:
    """Archived projects leave annotators' lists; nothing in them is deleted."""
    if archived == (project.archived_at is not None):
        return
    before = project_state(project)
    project.archived_at = utcnow() if archived else None
    action = "project.archive" if archived else "project.unarchive"
    record(session, actor, action, ("project", project.id), before, project_state(project))


# --- membership ---------------------------------------------------------------------------


def members(session: DbSession, project: Project) -> list[tuple[User, ProjectMember]]:
    query = (
        select(User, ProjectMember)
        .join(ProjectMember, ProjectMember.user_id == User.id)
        .where(ProjectMember.project_id == project.id)
        .order_by(User.username_key)
    )
    return [(user, member) for user, member in session.execute(query)]


def non_members(session: DbSession, project: Project) -> list[User]:
    taken = select(ProjectMember.user_id).where(ProjectMember.project_id == project.id)
    query = select(User).where(User.active.is_(True), User.id.not_in(taken))
    return list(session.scalars(query.order_by(User.username_key)))


def set_member(session: DbSession, actor: User, project: Project, user: User, role: str) -> None:
    """Add the user to the project in this role, or change their role there."""
    if role not in set(Role):
        raise ProjectError(f"Unknown role {role!r}.")
    member = session.get(ProjectMember, (project.id, user.id))
    before = None if member is None else {"user": user.username, "role": member.role}
    if member is None:
        member = ProjectMember(project_id=project.id, user_id=user.id)
        session.add(member)
    member.role = role
    session.flush()
    forget_members(session)  # projects.membership read them before
    after = {"user": user.username, "role": role}
    if before != after:
        record(session, actor, "project.member", ("project", project.id), before, after)


def change_member_role(
    session: DbSession, actor: User, project: Project, user: User, role: str
) -> None:
    """Change a member's role; someone not a member is not added by it. Adding one person
    to a project that lists none closes it to everyone else, so only "Add" may do that."""
    if session.get(ProjectMember, (project.id, user.id)) is None:
        raise ProjectError(f"{user.username} is not a member of this project: add them first.")
    set_member(session, actor, project, user, role)


def remove_member(session: DbSession, actor: User, project: Project, user: User) -> None:
    member = session.get(ProjectMember, (project.id, user.id))
    if member is None:
        return
    before = {"user": user.username, "role": member.role}
    session.delete(member)
    session.flush()
    forget_members(session)
    record(session, actor, "project.member_remove", ("project", project.id), before, None)
    release_unfinished(session, actor, user, project)
