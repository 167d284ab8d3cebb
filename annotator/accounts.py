"""User accounts: creation, usernames, passwords and authentication, free of request globals."""

from __future__ import annotations

import re
import secrets
import unicodedata

from sqlalchemy import select
from sqlalchemy.orm import object_session

from annotator.hashing import dummy_hash, hash_password, needs_rehash, verify_password
from annotator.models import DbSession, Role, User, utcnow

MIN_PASSWORD_LENGTH = 10
#: After NFKC: ASCII letters, digits and . _ - , starting with a letter or digit. ASCII only,
#: so no two names look alike across scripts; no leading - + = @, so no spreadsheet formulas.
USERNAME = re.compile(r"[A-Za-z0-9][A-Za-z0-9._-]{0,79}")
USERNAME_RULE = (
    "Usernames are 1 to 80 letters a-z, digits and . _ - , starting with a letter or digit."
)


class AccountError(ValueError):
    """A request about accounts that cannot be granted, with a message for the user."""


def normalise_username(raw: str) -> str:
    """The username to store: NFKC-normalised (fullwidth "ａｄｍ" is "adm"), within the alphabet."""
    name = unicodedata.normalize("NFKC", raw).strip()
    if not USERNAME.fullmatch(name):
        raise AccountError(USERNAME_RULE)
    return name


def find_user(session: DbSession, username: str) -> User | None:
    """The user with this name, ignoring case and Unicode compatibility forms."""
    return session.scalar(select(User).where(User.username_key == User.key_for(username)))


def generate_password() -> str:
    """A random password that is easy to type once."""
    return secrets.token_urlsafe(12)


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
