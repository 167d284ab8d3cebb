"""User accounts: creation, passwords and authentication, free of request globals."""

from __future__ import annotations

import secrets

from sqlalchemy import select
from sqlalchemy.orm import object_session
from werkzeug.security import check_password_hash, generate_password_hash

from annotator.models import DbSession, Role, User, utcnow

MIN_PASSWORD_LENGTH = 10
# A well-formed hash to check against when the user is unknown, so timing does not tell.
_DUMMY_HASH = generate_password_hash("not a password", method="pbkdf2:sha256:1000")


class AccountError(ValueError):
    """A request about accounts that cannot be granted, with a message for the user."""


def find_user(session: DbSession, username: str) -> User | None:
    """The user with this name, ignoring case."""
    return session.scalar(select(User).where(User.username_key == User.key_for(username)))


def generate_password() -> str:
    """A random password that is easy to type once."""
    return secrets.token_urlsafe(12)


def create_user(
    session: DbSession, username: str, password: str, role: str, hash_method: str
) -> User:
    """Add a user; refuses a name that exists in any letter case. Flushes only."""
    name = username.strip()
    if not name:
        raise AccountError("A username is required.")
    if role not in set(Role):
        raise AccountError(f"Unknown role {role!r}.")
    if find_user(session, name) is not None:
        raise AccountError(f"A user named {name!r} exists already.")
    user = User(
        username=name,
        username_key=User.key_for(name),
        password_hash=generate_password_hash(password, method=hash_method),
        role=role,
    )
    session.add(user)
    session.flush()
    return user


def set_password(user: User, password: str, hash_method: str) -> None:
    """Replace the password; sessions opened and API tokens made with the old one end."""
    from annotator.tokens.service import revoke_all

    user.password_hash = generate_password_hash(password, method=hash_method)
    user.must_change_password = False
    user.end_sessions()
    session = object_session(user)
    if session is not None:
        revoke_all(session, user)


def authenticate(session: DbSession, username: str, password: str) -> User | None:
    """The active user with these credentials, or None; the same answer for every failure."""
    user = find_user(session, username)
    if user is None:
        check_password_hash(_DUMMY_HASH, password)
        return None
    if not check_password_hash(user.password_hash, password) or not user.active:
        return None
    user.last_login_at = utcnow()
    return user
