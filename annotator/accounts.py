"""User accounts: creation, usernames, passwords and authentication, free of request globals."""

from __future__ import annotations

from sqlalchemy import select
from sqlalchemy.orm import object_session

from annotator.hashing import dummy_hash, hash_password, needs_rehash, verify_password
from annotator.models import DbSession, Role, User, utcnow
from annotator.usernames import (  # noqa: F401 (the account rules, re-exported)
    USERNAME,
    USERNAME_RULE,
    AccountError,
    generate_password,
    normalise_username,
)

MIN_PASSWORD_LENGTH = 10


def find_user(session: DbSession, username: str) -> User | None:
    """The user with this name, ignoring case and Unicode compatibility forms."""
    return session.scalar(select(User).where(User.username_key == User.key_for(username)))


def create_user(
    session: DbSession, username: str, password: str, role: str, hash_method: str
) -> User:
    """Add a user; refuses a name outside the alphabet or one that exists in any form. Flushes."""
    name = normalise_username(username)
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
    """Replace the password; every session of the user ends, this one included, and so do the
    API tokens made with the old one."""
    from annotator.tokens.service import revoke_all

    user.password_hash = hash_password(password, hash_method)
    user.must_change_password = False
    user.end_sessions()
    session = object_session(user)
    if session is not None:
        revoke_all(session, user)


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
