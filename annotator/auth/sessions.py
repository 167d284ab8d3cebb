"""Server-side login sessions: the cookies carry a secret naming a row, so ending it is immediate.

The session cookie and the remember cookie both store "s:<secret>" (User.get_id); the
database keeps only its SHA-256. Each login starts a new row, so remember cookies change per
login; logout deletes the row, and User.end_sessions deletes all of a user's rows.
"""

from __future__ import annotations

import hashlib
import secrets
from datetime import timedelta

from flask import current_app, g, request, session
from flask_login import login_user
from sqlalchemy import delete, select

from annotator.models import DbSession, LoginSession, User, utcnow

PREFIX = "s:"


def _hash(session_id: str) -> str:
    return hashlib.sha256(session_id.removeprefix(PREFIX).encode()).hexdigest()


def lifetime() -> timedelta:
    """How long a session row, and a remember cookie, lives."""
    duration = current_app.config["REMEMBER_COOKIE_DURATION"]
    return duration if isinstance(duration, timedelta) else timedelta(seconds=duration)


def start(db_session: DbSession, user: User) -> str:
    """A new login session for the user (flushed), whose id the cookies will carry."""
    now = utcnow()
    db_session.execute(
        delete(LoginSession).where(LoginSession.user_id == user.id, LoginSession.expires_at <= now)
    )
    session_id = PREFIX + secrets.token_urlsafe(32)
    row = LoginSession(user_id=user.id, token_hash=_hash(session_id), expires_at=now + lifetime())
    db_session.add(row)
    db_session.flush()
    user.login_session_id = session_id
    return session_id


def load(db_session: DbSession, session_id: str) -> User | None:
    """The active user of a live login session, in one query; None for anything else."""
    if not session_id.startswith(PREFIX):
        return None  # e.g. a cookie from before server-side sessions
    user = db_session.scalar(
        select(User)
        .join(LoginSession, LoginSession.user_id == User.id)
        .where(LoginSession.token_hash == _hash(session_id), LoginSession.expires_at > utcnow())
    )
    if user is None or not user.active:
        return None
    user.login_session_id = session_id
    return user


def end(db_session: DbSession, session_id: str | None) -> None:
    """End one login session: its session cookie and remember cookie stop working."""
    if session_id and session_id.startswith(PREFIX):
        db_session.execute(delete(LoginSession).where(LoginSession.token_hash == _hash(session_id)))


def log_in(db_session: DbSession, user: User, remember: bool) -> None:
    """Start a fresh session for the user: a new cookie session and a new CSRF token."""
    session.clear()  # nothing from before login survives: fixation, and the CSRF token rotates
    g.pop("csrf_token", None)
    start(db_session, user)
    login_user(user, remember=remember, duration=lifetime())


def remembered() -> bool:
    """Whether this browser sent a remember cookie (kept when the session is renewed)."""
    return current_app.config.get("REMEMBER_COOKIE_NAME", "remember_token") in request.cookies
