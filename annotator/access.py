"""The one access rule of pages, API and export: which project an object is in, and whether
this user may see it.

An object that does not exist and one in a project the user may not work on get the same
NotVisible, which every view answers with the same 404: ids and slugs cannot be probed.
Role checks (an annotator on an admin page) are another matter and stay 403.
"""

from __future__ import annotations

import functools
from typing import Any, NamedTuple, TypeVar

from sqlalchemy import Integer, Select, bindparam, select
from sqlalchemy.orm import contains_eager

from annotator.models import Annotation, Article, DbSession, Paragraph, Project, User
from annotator.projects import (
    ProjectFacts,
    ProjectRow,
    may_review,
    may_work_on,
    membership_columns,
    project_by_slug,
    remember_membership,
)

Visible = TypeVar("Visible", Project, Article, Paragraph, Annotation)


class NotVisible(LookupError):
    """Missing, or in a project closed to this user: deliberately the same error."""

    def __init__(self, kind: str) -> None:
        self.kind = kind
        self.message = f"There is no such {kind} in the projects you work on."
        super().__init__(self.message)


class NotAllowed(PermissionError):
    """Visible to the user, whose role does not allow this (review, for an annotator): 403."""

    def __init__(self, message: str) -> None:
        self.message = message
        super().__init__(message)


def reviewable(session: DbSession, user: User, found: Visible | None, kind: str) -> Visible:
    """found when the user may review its project; 404 if they may not see it, else 403."""
    checked(session, user, found, kind)
    assert found is not None
    if not may_review(session, project_of(found), user):
        raise NotAllowed("Only the project's reviewers and admins adjudicate.")
    return found


def visible(session: DbSession, user: User, model: type[Visible], key: int) -> Visible:
    """The project, article, paragraph or annotation with this id, if this user may see it."""
    return checked(session, user, loaded(session, user, model, key), model.__name__.lower())


def loaded(session: DbSession, user: User, model: type[Visible], key: int) -> Visible | None:
    """The object with its article and project, and what `checked` needs to know of the
    project's members, in one query: a fetch or a save pays one statement for access."""
    if model is Project:
        return session.get(model, key)
    listed, role = membership_columns(Project.id, user.id)
    query = _with_project(model).add_columns(listed, role).where(model.id == key)  # type: ignore[attr-defined]
    row = session.execute(query).first()
    if row is None:
        return None
    found, is_listed, user_role = row
    remember_membership(session, project_of(found).id, user.id, is_listed, user_role)
    return found  # type: ignore[no-any-return]


def _with_project(model: type[Any]) -> Select[Any]:
    """A select of model joined up to its project, which is loaded along with it."""
    if model is Article:
        return select(Article).join(Article.project).options(contains_eager(Article.project))
    article = contains_eager(Paragraph.article)
    paragraphs = select(Paragraph).join(Paragraph.article).join(Article.project)
    if model is Paragraph:
        return paragraphs.options(article.contains_eager(Article.project))
    on = contains_eager(Annotation.paragraph).contains_eager(Paragraph.article)
    return (
        select(Annotation)
        .join(Annotation.paragraph)
        .join(Paragraph.article)
        .join(Article.project)
        .options(on.contains_eager(Article.project))
    )


class ParagraphRow(NamedTuple):
    """A paragraph's own columns, as a Core read gives them: what the API answers."""

    id: int
    position: int
    text: str
    is_boilerplate: bool


def visible_paragraph_row(session: DbSession, user: User, paragraph_id: int) -> ParagraphRow:
    """visible() for a paragraph whose columns are all a view needs (the API's fetch): one
    prebuilt Core statement reads them with the project's access facts, no ORM objects."""
    connection = session.connection()
    values = {"paragraph_id": paragraph_id, "user_id": user.id}
    found = connection.execute(_paragraph_statement(), values).first()
    if found is None:
        raise NotVisible("paragraph")
    *columns, project_id, archived_at, listed, role = found
    remember_membership(session, project_id, user.id, listed, role)
    check_project(session, user, ProjectRow(project_id, archived_at), "paragraph")
    return ParagraphRow(*columns)


@functools.cache
def _paragraph_statement() -> Select[Any]:
    """visible_paragraph_row's statement, built once: building a loader's statement on
    every request was a third of a fetch's CPU (issue 13)."""
    listed, role = membership_columns(Project.id, bindparam("user_id", type_=Integer))
    return (
        select(*(Paragraph.id, Paragraph.position, Paragraph.text, Paragraph.is_boilerplate))
        .add_columns(Project.id, Project.archived_at, listed, role)
        .join(Article, Article.id == Paragraph.article_id)
        .join(Project, Project.id == Article.project_id)
        .where(Paragraph.id == bindparam("paragraph_id", type_=Integer))
    )


def visible_project(session: DbSession, user: User, slug: str) -> Project:
    """The project with this slug, if this user may see it."""
    return checked(session, user, project_by_slug(session, slug), "project")


def checked(session: DbSession, user: User, found: Visible | None, kind: str) -> Visible:
    """found itself when it exists and the user may work on its project; else NotVisible."""
    if found is None or not may_work_on(session, project_of(found), user):
        raise NotVisible(kind)
    return found


def check_project(session: DbSession, user: User, project: ProjectFacts, kind: str) -> None:
    """checked() for a loader that read only its project's access facts (a save's one read,
    writer.scope.scope_at), not the ORM objects: the same rule, the same NotVisible."""
    if not may_work_on(session, project, user):
        raise NotVisible(kind)


def project_of(found: Project | Article | Paragraph | Annotation) -> Project:
    if isinstance(found, Annotation):
        return found.paragraph.article.project
    if isinstance(found, Paragraph):
        return found.article.project
    if isinstance(found, Article):
        return found.project
    return found
