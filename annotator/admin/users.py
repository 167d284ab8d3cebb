"""User administration services: the list with its counts, roles, deactivation, resets."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import and_, func, or_, select, update

from annotator.accounts import AccountError, generate_password, set_password
from annotator.audit import record, user_state
from annotator.models import Annotation, ArticleStatus, DbSession, Role, Status, User
from annotator.queue import release_unfinished


@dataclass(frozen=True)
class UserRow:
    """One line of the users list."""

    id: int
    username: str
    role: str
    active: bool
    last_login_at: datetime | None
    annotations: int
    articles_done: int


def user_rows(
    session: DbSession, search: str, page: int, per_page: int
) -> tuple[list[UserRow], int]:
    """A page of users whose name contains the search text, with their work counts."""
    made = (
        select(Annotation.annotator_id.label("uid"), func.count().label("n"))
        .where(Annotation.is_gold.is_(False))
        .group_by(Annotation.annotator_id)
        .subquery()
    )
    done = (
        select(ArticleStatus.user_id.label("uid"), func.count().label("n"))
        .where(ArticleStatus.status == Status.DONE.value)
        .group_by(ArticleStatus.user_id)
        .subquery()
    )
    query = select(User, made.c.n, done.c.n).outerjoin(made, made.c.uid == User.id)
    query = query.outerjoin(done, done.c.uid == User.id)
    if search.strip():
        query = query.where(User.username_key.contains(User.key_for(search), autoescape=True))
    total = session.scalar(select(func.count()).select_from(query.subquery())) or 0
    query = query.order_by(User.username_key).limit(per_page).offset((page - 1) * per_page)
    rows = [
        UserRow(u.id, u.username, u.role, u.active, u.last_login_at, made_n or 0, done_n or 0)
        for u, made_n, done_n in session.execute(query)
    ]
    return rows, total


def annotation_count(session: DbSession, user: User) -> int:
    return session.scalar(select(func.count()).where(Annotation.annotator_id == user.id)) or 0


def _other_active_admins(session: DbSession, user: User) -> int:
    query = select(func.count()).where(
        User.role == Role.ADMIN.value, User.active.is_(True), User.id != user.id
    )
    return session.scalar(query) or 0


def lock_admins(session: DbSession, *users: User | None) -> None:
    """Serialise changes that could remove an admin, and refresh these users and every
    active admin from the database.

    PostgreSQL locks the rows (SELECT ... FOR UPDATE, in id order so two changes cannot
    deadlock); SQLite ignores FOR UPDATE, so a write is taken first: the second writer waits
    for the first to commit and then reads what it did.
    """
    ids = [user.id for user in users if user is not None]
    if session.get_bind().dialect.name == "sqlite":
        touch = update(User).where(User.id.in_(ids)).values(role=User.role)
        session.execute(touch, execution_options={"synchronize_session": False})
    query = (
        select(User)
        .where(or_(User.id.in_(ids), and_(User.role == Role.ADMIN.value, User.active.is_(True))))
        .order_by(User.id)
        .with_for_update()
        .execution_options(populate_existing=True)
    )
    session.scalars(query).all()


def _guard_last_admin(session: DbSession, actor: User | None, user: User) -> None:
    """Refuse to remove the last active admin, judged after the lock: two admins demoting
    each other at once leave one. An actor who lost the role meanwhile may do nothing."""
    lock_admins(session, actor, user)
    if actor is not None and not (actor.is_admin and actor.active):
        raise AccountError("You are no longer an active admin.")
    if user.is_admin and user.active and _other_active_admins(session, user) == 0:
        raise AccountError(
            f"{user.username} is the last active admin: make someone else an admin first."
        )


def change_role(session: DbSession, actor: User | None, user: User, role: str) -> None:
    """Give a user another role; the last active admin keeps theirs."""
    if role not in set(Role):
        raise AccountError(f"Unknown role {role!r}.")
    if role == user.role:
        return
    if role != Role.ADMIN:
        _guard_last_admin(session, actor, user)
        if role == user.role:  # someone else made this change meanwhile
            return
    before = user_state(user)
    user.role = role
    record(session, actor, "user.role", ("user", user.id), before, user_state(user))


def set_active(session: DbSession, actor: User | None, user: User, active: bool) -> None:
    """Deactivate (logged out at their next request, work kept) or reactivate a user."""
    if active == user.active:
        return
    if not active:
        _guard_last_admin(session, actor, user)
        if not user.active:  # someone else made this change meanwhile
            return
    before = user_state(user)
    user.active = active
    if not active:
        user.end_sessions()  # reactivation must not revive an old session
        release_unfinished(session, actor, user)  # colleagues take over their articles
    action = "user.reactivate" if active else "user.deactivate"
    record(session, actor, action, ("user", user.id), before, user_state(user))


def reset_password(session: DbSession, actor: User, user: User, hash_method: str) -> str:
    """Give the user a temporary password, returned once; they must replace it at next login."""
    password = generate_password()
    before = user_state(user)
    set_password(user, password, hash_method)
    user.must_change_password = True
    record(session, actor, "user.reset_password", ("user", user.id), before, user_state(user))
    return password
