"""The annotation queue: which article an annotator should work on next.

Articles reach annotators through Assignment rows. Hand-made ones (an admin chose) come
first, then automatic ones; when a user has nothing left, the queue assigns them the
open article closest to having the project's `overlap` annotators (so articles are
completed one after another). Work is balanced: past a fair share (articles x overlap /
annotators, rounded up) a user only gets an article no colleague under their share could
take. An admin can assign more by hand.
"""

from __future__ import annotations

import math
from typing import Any

from sqlalchemy import ColumnElement, Select, and_, exists, func, or_, select

from annotator.audit import record
from annotator.models import (
    Article,
    ArticleStatus,
    Assignment,
    DbSession,
    Paragraph,
    Project,
    ProjectMember,
    Role,
    Status,
    User,
)


def overlap(project: Project) -> int:
    """How many annotators each article should get (the project setting, at least 1)."""
    value = (project.settings or {}).get("overlap", 1)
    return value if isinstance(value, int) and value >= 1 else 1


def has_content() -> ColumnElement[bool]:
    """The article has a paragraph that is not boilerplate: there is something to annotate."""
    return exists().where(Paragraph.article_id == Article.id, Paragraph.is_boilerplate.is_(False))


def _done_by(user: User) -> ColumnElement[bool]:
    return exists().where(
        ArticleStatus.article_id == Article.id,
        ArticleStatus.user_id == user.id,
        ArticleStatus.status == Status.DONE.value,
    )


def _started_by(user: User) -> ColumnElement[bool]:
    return exists().where(
        ArticleStatus.article_id == Article.id,
        ArticleStatus.user_id == user.id,
        ArticleStatus.status == Status.IN_PROGRESS.value,
    )


def next_article(session: DbSession, project: Project, user: User) -> Article | None:
    """The article this user should annotate next, assigning one if needed.

    Articles whose paragraphs are all boilerplate are skipped: there is nothing to annotate.
    A new automatic assignment is flushed; the caller commits it.
    """
    return _current(session, project, user) or _assign_next(session, project, user)


def undone_articles(session: DbSession, project: Project, user: User) -> int:
    """Articles with content that this user has not marked done (whoever holds them)."""
    query = select(func.count()).where(
        Article.project_id == project.id, ~_done_by(user), has_content()
    )
    return session.scalar(query) or 0


def _current(session: DbSession, project: Project, user: User) -> Article | None:
    """An article given to (or begun by) the user and not done: hand-made assignments first."""
    mine = and_(Assignment.article_id == Article.id, Assignment.user_id == user.id)
    query = (
        select(Article)
        .outerjoin(Assignment, mine)
        .where(
            Article.project_id == project.id,
            or_(Assignment.user_id.is_not(None), _started_by(user)),
            ~_done_by(user),
            has_content(),
        )
        .order_by(Assignment.assigned_by_id.is_(None), Article.id)
        .limit(1)
    )
    return session.scalar(query)


def team(session: DbSession, project: Project, user: User) -> set[int]:
    """Who shares the project's work: its active annotator members, else every active
    annotator; the asking user always counts. A deactivated or removed member is nobody's
    colleague: counting them would keep articles waiting for someone who cannot come."""
    members = (
        select(ProjectMember.user_id)
        .join(User, User.id == ProjectMember.user_id)
        .where(
            ProjectMember.project_id == project.id,
            ProjectMember.role == Role.ANNOTATOR.value,
            User.active.is_(True),
        )
    )
    ids = set(session.scalars(members))
    if not ids and not _has_annotator_members(session, project):
        everyone = select(User.id).where(User.role == Role.ANNOTATOR.value, User.active.is_(True))
        ids = set(session.scalars(everyone))
    return ids | {user.id}


def _has_annotator_members(session: DbSession, project: Project) -> bool:
    query = select(ProjectMember.user_id).where(
        ProjectMember.project_id == project.id, ProjectMember.role == Role.ANNOTATOR.value
    )
    return session.scalar(query.limit(1)) is not None


def release_unfinished(
    session: DbSession, actor: User | None, user: User, project: Project | None = None
) -> list[int]:
    """Give back the articles the user holds and has not finished (in one project, or in
    all), so colleagues can take them; their annotations stay. Audited; flushes only."""
    unfinished = select(Assignment).where(Assignment.user_id == user.id, ~_assignment_done())
    if project is not None:
        in_project = select(Article.id).where(Article.project_id == project.id)
        unfinished = unfinished.where(Assignment.article_id.in_(in_project))
    held = list(session.scalars(unfinished.order_by(Assignment.article_id)))
    for assignment in held:
        session.delete(assignment)
    session.flush()
    released = [assignment.article_id for assignment in held]
    if released:
        where = {"user": user.username, "project": project.slug if project else None}
        after = {**where, "articles": released}
        record(session, actor, "assignment.release", ("user", user.id), None, after)
    return released


def _assignment_done() -> ColumnElement[bool]:
    return exists().where(
        ArticleStatus.article_id == Assignment.article_id,
        ArticleStatus.user_id == Assignment.user_id,
        ArticleStatus.status == Status.DONE.value,
    )


def fair_share(session: DbSession, project: Project, people: int) -> int:
    articles = session.scalar(
        select(func.count()).where(Article.project_id == project.id, has_content())
    )
    return math.ceil((articles or 0) * overlap(project) / max(people, 1))


def _automatic_counts(session: DbSession, project: Project, ids: set[int]) -> dict[int, int]:
    query = (
        select(Assignment.user_id, func.count())
        .join(Article, Article.id == Assignment.article_id)
        .where(
            Article.project_id == project.id,
            Assignment.user_id.in_(ids),
            Assignment.assigned_by_id.is_(None),
        )
        .group_by(Assignment.user_id)
    )
    return {user_id: count for user_id, count in session.execute(query)}


def _assign_next(session: DbSession, project: Project, user: User) -> Article | None:
    """Assign the open article closest to complete; past a fair share, only one that no
    colleague still under their share could take (so the last articles are never stuck)."""
    _lock(session, project)
    people = team(session, project, user)
    share = fair_share(session, project, len(people))
    counts = _automatic_counts(session, project, people)
    query = _open_articles(project, user)
    if counts.get(user.id, 0) >= share:
        others = {uid for uid in people - {user.id} if counts.get(uid, 0) < share}
        query = query.where(_held_by_all(others))
    article = session.scalar(query.limit(1))
    if article is not None:
        session.add(Assignment(article_id=article.id, user_id=user.id, assigned_by_id=None))
        session.flush()
    return article


def _open_articles(project: Project, user: User) -> Select[Any]:
    """Articles still short of annotators that this user could take, fullest first."""
    takers = (
        select(Assignment.article_id, func.count().label("n"))
        .group_by(Assignment.article_id)
        .subquery()
    )
    mine = exists().where(Assignment.article_id == Article.id, Assignment.user_id == user.id)
    taken = func.coalesce(takers.c.n, 0)
    return (
        select(Article)
        .outerjoin(takers, takers.c.article_id == Article.id)
        .where(
            Article.project_id == project.id,
            taken < overlap(project),
            ~mine,
            ~_done_by(user),
            has_content(),
        )
        .order_by(taken.desc(), Article.id)
    )


def _held_by_all(people: set[int]) -> ColumnElement[bool]:
    """Every one of these people has the article already (true when there is nobody)."""
    held = (
        select(func.count())
        .where(Assignment.article_id == Article.id, Assignment.user_id.in_(people))
        .scalar_subquery()
    )
    return held == len(people)


def _lock(session: DbSession, project: Project) -> Any:
    """On PostgreSQL, one automatic assignment per project at a time: overlap is never
    exceeded by two annotators asking at once. SQLite serialises writers anyway. FOR NO KEY
    UPDATE: saves share the project's row (annotations.writer.shared) and need not wait."""
    locked = select(Project.id).where(Project.id == project.id).with_for_update(key_share=True)
    return session.execute(locked)
