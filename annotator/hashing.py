"""Password hashes: argon2id by default, werkzeug's methods for old hashes and cheap test runs.

The method is a setting (PASSWORD_HASH_METHOD): "argon2id", or any werkzeug method such as
"scrypt:131072:8:1" or "pbkdf2:sha256:600000". A hash made with another method or weaker
parameters than the setting's is replaced at the next successful login (needs_rehash).
"""

from __future__ import annotations

from functools import lru_cache

from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerificationError

ARGON2ID = "argon2id"
#: 64 MiB, one pass, 4 lanes: as memory-hard per guess as argon2-cffi's default (RFC 9106's
#: low-memory profile, 3 passes), and above OWASP's recommendation for one pass (46 MiB).
#: Three passes cost every login, and every `user create`, 0.07 s more (0.13 s in all here)
#: for a guess three times dearer, where memory is what the attacker's hardware lacks.
_ARGON2 = PasswordHasher(time_cost=1, memory_cost=64 * 1024, parallelism=4)


def hash_password(password: str, method: str) -> str:
    """A new salted hash of the password, made with the configured method."""
    if method == ARGON2ID:
        return _ARGON2.hash(password)
    from werkzeug.security import generate_password_hash  # werkzeug's import: 0.05 s

    return generate_password_hash(password, method=method)


def verify_password(stored: str, password: str) -> bool:
    """Whether the password matches the stored hash, whatever method made it."""
    if stored.startswith("$argon2"):
        try:
            return _ARGON2.verify(stored, password)
        except (VerificationError, InvalidHashError):
            return False
    from werkzeug.security import check_password_hash

    try:
        return check_password_hash(stored, password)
    except ValueError:  # an unknown method: no password matches it
        return False


def needs_rehash(stored: str, method: str) -> bool:
    """Whether the stored hash was made by another method or with other parameters."""
    return _parameters(stored) != _parameters(dummy_hash(method))


@lru_cache(maxsize=8)
def dummy_hash(method: str) -> str:
    """A hash of no one's password, made like real ones, so that checking it takes as long."""
    return hash_password("not anyone's password", method)


def _parameters(stored: str) -> str:
    """The part of a hash that names its method and cost, without salt and digest."""
    if stored.startswith("$argon2"):
        return "$".join(stored.split("$")[:4])  # $argon2id$v=19$m=65536,t=1,p=4
    return stored.split("$", 1)[0]  # scrypt:32768:8:1, pbkdf2:sha256:600000
