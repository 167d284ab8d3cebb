"""Usernames and generated passwords: pure rules, free of Flask and SQLAlchemy, so that the
fresh-start commands (annotator.quickstart) apply the very rules the app applies."""

from __future__ import annotations

import re
import secrets
import unicodedata

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


def username_key(username: str) -> str:
    """The key a username is stored and found under: NFKC, then case-folded."""
    return unicodedata.normalize("NFKC", username).strip().casefold()


def generate_password() -> str:
    """A random password that is easy to type once."""
    return secrets.token_urlsafe(12)
