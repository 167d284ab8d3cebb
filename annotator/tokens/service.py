"""API tokens: created once in the clear, stored as a SHA-256 hash, scoped, revocable.

A token grants only the scopes chosen at creation; every scope includes reading. It ends
when revoked, when it expires, when its owner is deactivated or changes their password.
"""

from __future__ import annotations

import hashlib
import secrets
from collections.abc import Collection
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta

from sqlalchemy import bindparam, or_, select, update

from annotator.models import ApiToken, DbSession, User, utcnow

TOKEN_PREFIX = "ann_"
SHOWN_PREFIX_LENGTH = 12
MAX_NAME_LENGTH = 100
SCOPES = ("read", "annotate", "export", "admin")
#: Last use is written at most this often per token, not on every request.
LAST_USE_PRECISION = timedelta(minutes=1)


class TokenError(ValueError):
    """A token request that cannot be granted; the message is for the user."""


def hash_token(token: str) -> str:
    """A token is random enough that a fast hash is safe and allows look-up by hash."""
    return hashlib.sha256(token.encode("utf-8")).hexdigest()


def aware(moment: datetime) -> datetime:
    """SQLite hands back stored UTC times without their zone."""
    return moment if moment.tzinfo is not None else moment.replace(tzinfo=UTC)


def checked_scopes(user: User, scopes: Collection[str]) -> str:
    """The scopes as stored, in a fixed order; only an admin may grant `admin`."""
    unknown = set(scopes) - set(SCOPES)
    if unknown:
        raise TokenError(f"Unknown scope(s): {', '.join(sorted(unknown))}.")
    if not scopes:
        raise TokenError("Choose at least one scope.")
    if "admin" in scopes and not user.is_admin:
        raise TokenError("Only an admin can make a token with the admin scope.")
    return " ".join(scope for scope in SCOPES if scope in scopes)


def create_token(
    session: DbSession,
    user: User,
    name: str,
    scopes: Collection[str],
    expires_at: datetime | None = None,
) -> tuple[ApiToken, str]:
    """A new token for the user; the clear text is returned once and never stored."""
    label = name.strip()
    if not label:
        raise TokenError("Give the token a name, e.g. the script that will use it.")
    if len(label) > MAX_NAME_LENGTH:
        raise TokenError(f"The name is longer than {MAX_NAME_LENGTH} characters.")
    if expires_at is not None and aware(expires_at) <= utcnow():
        raise TokenError("The expiry must be in the future.")
    clear = TOKEN_PREFIX + secrets.token_urlsafe(32)
    token = ApiToken(
        user_id=user.id,
        name=label,
        prefix=clear[:SHOWN_PREFIX_LENGTH],
        token_hash=hash_token(clear),
        scopes=checked_scopes(user, scopes),
        expires_at=expires_at,
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


def revoke_all(session: DbSession, user: User) -> None:
    """End every live token of the user (their password changed). Flushes only."""
    query = update(ApiToken).where(ApiToken.user_id == user.id, ApiToken.revoked_at.is_(None))
    values = query.values(revoked_at=utcnow())
    session.execute(values, execution_options={"synchronize_session": False})


@dataclass(frozen=True)
class TokenUse:
    """What a request reads of the token it carries: its state, and its owner loaded."""

    id: int
    prefix: str
    scopes: str
    expires_at: datetime | None
    revoked_at: datetime | None
    last_used_at: datetime | None
    user: User


def is_live(token: TokenUse, now: datetime) -> bool:
    expired = token.expires_at is not None and aware(token.expires_at) <= now
    return token.revoked_at is None and not expired and token.user.active


def live_token(session: DbSession, clear: str) -> TokenUse | None:
    """The token with this clear text if it is live and its owner active; None for anything else."""
    row = session.execute(_BY_HASH, {"token_hash": hash_token(clear)}).first()
    if row is None:
        return None
    user, token_id, prefix, scopes, expires_at, revoked_at, last_used_at = row
    token = TokenUse(token_id, prefix, scopes, expires_at, revoked_at, last_used_at, user)
    return token if is_live(token, utcnow()) else None


#: live_token's one statement, built once: the owner as the request's user (is_live asks
#: whether they are active) and the token's columns beside it, not a second ORM entity.
#: Building the statement anew, and loading the token as an entity with its user joined,
#: cost a tenth of an API request's CPU (issue 13).
_BY_HASH = (
    select(
        User,
        *(ApiToken.id, ApiToken.prefix, ApiToken.scopes),
        *(ApiToken.expires_at, ApiToken.revoked_at, ApiToken.last_used_at),
    )
    .join(ApiToken, ApiToken.user_id == User.id)
    .where(ApiToken.token_hash == bindparam("token_hash"))
)


def record_use(session: DbSession, token: TokenUse) -> bool:
    """Note the token's use unless noted in the last minute; True when a row was written.

    The condition is in the UPDATE too, so workers that read the same old time write once.
    """
    now = utcnow()
    stale = now - LAST_USE_PRECISION
    if token.last_used_at is not None and aware(token.last_used_at) > stale:
        return False
    query = update(ApiToken).where(
        ApiToken.id == token.id,
        or_(ApiToken.last_used_at.is_(None), ApiToken.last_used_at <= stale),
    )
    values = query.values(last_used_at=now)
    session.execute(values, execution_options={"synchronize_session": False})
    return True


def grants(token: TokenUse, scope: str) -> bool:
    """Every scope includes reading."""
    granted = token.scopes.split()
    return scope in granted or (scope == "read" and bool(granted))
