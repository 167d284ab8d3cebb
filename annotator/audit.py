"""The audit log: who did what to what, when, with the state before and after."""

from __future__ import annotations

import logging
from typing import Any

from sqlalchemy import func, select
from sqlalchemy.orm import selectinload

from annotator.models import AuditLog, DbSession, User

log = logging.getLogger(__name__)


def record(
    session: DbSession,
    actor: User | None,
    action: str,
    target: tuple[str, object | None],
    before: dict[str, Any] | None = None,
    after: dict[str, Any] | None = None,
) -> AuditLog:
    """Append one entry; target is (type, id). Flushes only: it commits with the change itself."""
    target_type, target_id = target
    entry = AuditLog(
        actor_id=actor.id if actor is not None else None,
        action=action,
        target_type=target_type,
        target_id=None if target_id is None else str(target_id),
        before=before,
        after=after,
    )
    session.add(entry)
    session.flush()
    log.info("%s: %s %s %s", actor.username if actor else "system", action, *target)
    return entry


def entries(
    session: DbSession, page: int, per_page: int, action: str | None = None
) -> tuple[list[AuditLog], int]:
    """A page of the log, newest first, optionally for one action."""
    query = select(AuditLog)
    if action:
        query = query.where(AuditLog.action == action)
    total = session.scalar(select(func.count()).select_from(query.subquery())) or 0
    rows = session.scalars(
        query.options(selectinload(AuditLog.actor))
        .order_by(AuditLog.id.desc())
        .limit(per_page)
        .offset((page - 1) * per_page)
    )
    return list(rows), total


def actions(session: DbSession) -> list[str]:
    """Every action name the log holds, for the filter menu."""
    return list(session.scalars(select(AuditLog.action).distinct().order_by(AuditLog.action)))


def user_state(user: User) -> dict[str, Any]:
    """The audited fields of a user (never the password hash)."""
    return {
        "username": user.username,
        "role": user.role,
        "active": user.active,
        "must_change_password": user.must_change_password,
    }
