"""API tokens: created once in the clear, stored as a SHA-256 hash, revocable."""

from __future__ import annotations

import hashlib
import secrets

from sqlalchemy import select

from annotator.models import ApiToken, DbSession, User, utcnow

TOKEN_PREFIX = "ann_"
SHOWN_PREFIX_LENGTH = 12
MAX_NAME_LENGTH = 100


class TokenError(ValueError):
    """A token request that cannot be granted; the message is for the user."""


def hash_token(token: str) -> str:
    """A token is random enough that a fast hash is safe and allows look-up by hash."""
    return hashlib.sha256(token.encode("utf-8")).hexdigest()


def create_token(session: DbSession, user: User, name: str) -> tuple[ApiToken, str]:
    """A new token for the user; the clear text is returned once and never stored."""
    label = name.strip()
    if not label:
        raise TokenError("Give the token a name, e.g. the script that will use it.")
    if len(label) > MAX_NAME_LENGTH:
        raise TokenError(f"The name is longer than {MAX_NAME_LENGTH} characters.")
    clear = TOKEN_PREFIX + secrets.token_urlsafe(32)
    token = ApiToken(
        user_id=user.id,
        name=label,
        prefix=clear[:SHOWN_PREFIX_LENGTH],
        token_hash=hash_token(clear),
    )
    session.add(token)
    session.flush()
    return token, clear


def user_tokens(session: DbSession, user: User) -> list[ApiToken]:
    query = select(ApiToken).where(ApiToken.user_id == user.id).order_by(ApiToken.created_at.desc())
    return list(session.scalars(query))


def revoke_token(session: DbSession, user: User, token_id: int) -> ApiToken | None:
    """Revoke one of the user's own tokens; None when it is not theirs."""
    token = session.get(ApiToken, token_id)
    if token is None or token.user_id != user.id:
        return None
    if token.revoked_at is None:
        token.revoked_at = utcnow()
        session.flush()
    return token


def user_for_token(session: DbSession, clear: str) -> User | None:
    """The active owner of a live token, recording its use; None for anything else."""
    token = session.scalar(select(ApiToken).where(ApiToken.token_hash == hash_token(clear)))
    if token is None or token.revoked_at is not None or not token.user.active:
        return None
    token.last_used_at = utcnow()
    session.flush()
    return token.user
