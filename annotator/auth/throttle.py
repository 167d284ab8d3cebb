"""Login throttling: per address, per (account, address) pair, and a higher per-account ceiling.

Every attempt is counted before the password is checked, and the storage's own increment
decides (increment-then-check), so concurrent attempts on several workers cannot slip past a
limit between a check and a count. A success clears its pair's count: the owner is not held
back by their own typos once they got in. An attacker at one address exhausts the pair long
before the account's ceiling, so the owner elsewhere can still log in.

The counts go straight to the `limits` library (memory, or Redis shared by the workers).
Flask-Limiter, which wrapped it, ran a check before every request of the app though no
route has a declared limit: a twentieth of an API save's CPU, for nothing.
"""

from __future__ import annotations

import math
import time
from dataclasses import dataclass

from flask import Flask, current_app
from limits import RateLimitItem, parse
from limits.storage import storage_from_string
from limits.strategies import FixedWindowRateLimiter

#: Where the app keeps its login limiter (app.extensions), one per app and its storage.
EXTENSION = "annotator.login_limiter"

#: Each scope and the setting that holds its limit, in the order they are counted.
SCOPES = (
    ("login-address", "LOGIN_LIMIT_PER_ADDRESS"),
    ("login-pair", "LOGIN_LIMIT_PER_PAIR"),
    ("login-account", "LOGIN_LIMIT_PER_ACCOUNT"),
)


@dataclass(frozen=True)
class Refusal:
    """A limit this attempt went over, and how many seconds until it resets."""

    scope: str
    retry_after: int


def init_app(app: Flask) -> None:
    """Count logins in the storage RATELIMIT_STORAGE_URI names, in fixed windows (what
    Flask-Limiter used by default, so the limits mean what they meant)."""
    storage = storage_from_string(app.config["RATELIMIT_STORAGE_URI"])
    app.extensions[EXTENSION] = FixedWindowRateLimiter(storage)


def _limiter() -> FixedWindowRateLimiter:
    limiter: FixedWindowRateLimiter = current_app.extensions[EXTENSION]
    return limiter


def _identifiers(scope: str, account: str, address: str) -> tuple[str, ...]:
    prefix = current_app.config.get("RATELIMIT_KEY_PREFIX") or "annotator"
    parts = {"login-address": (address,), "login-pair": (account, address)}
    return (prefix, scope, *parts.get(scope, (account,)))


def _item(setting: str) -> RateLimitItem:
    return parse(current_app.config[setting])


def count_attempt(account: str, address: str) -> Refusal | None:
    """Count one login attempt; the first limit it goes over, or None to let it through.

    A refused attempt is not counted against the later scopes, so one address cannot use up
    the account's ceiling.
    """
    for scope, setting in SCOPES:
        item, ids = _item(setting), _identifiers(scope, account, address)
        if not _limiter().hit(item, *ids):
            return Refusal(scope, _retry_after(item, ids))
    return None


def forget_failures(account: str, address: str) -> None:
    """After a successful login, the pair starts afresh."""
    ids = _identifiers("login-pair", account, address)
    _limiter().clear(_item("LOGIN_LIMIT_PER_PAIR"), *ids)


def _retry_after(item: RateLimitItem, ids: tuple[str, ...]) -> int:
    reset_at = _limiter().get_window_stats(item, *ids).reset_time
    return max(1, math.ceil(reset_at - time.time()))
