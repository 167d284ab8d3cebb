"""User accounts: creation, passwords and authentication, free of request globals."""

from __future__ import annotations

import secrets

from sqlalchemy import select

from annotator.hashing import dummy_hash, hash_password, needs_rehash, verify_password
from annotator.models import DbSession, Role, User, utcnow

MIN_PASSWORD_LENGTH = 10


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
        password_hash=hash_password(password, hash_method),
        role=role,
    )
    session.add(user)
    session.flush()
    return user


def set_password(user: User, password: str, hash_method: str) -> None:
    """Replace the password; sessions opened with the old one end."""
    user.password_hash = hash_password(password, hash_method)
    user.must_change_password = False
    user.end_sessions()


def authenticate(session: DbSession, username: str, password: str, hash_method: str) -> User | None:
    """The active user with these credentials, or None: the same answer and time for any failure.

    An unknown name is checked against a dummy hash made by the same method and parameters as
    real ones. A hash made the old way is replaced now that the password is known.
    """
    user = find_user(session, username)
    if user is None:
        verify_password(dummy_hash(hash_method), password)
        return None
    if not verify_password(user.password_hash, password) or not user.active:
        return None
    if needs_rehash(user.password_hash, hash_method):
        user.password_hash = hash_password(password, hash_method)
    user.last_login_at = utcnow()
    return user
