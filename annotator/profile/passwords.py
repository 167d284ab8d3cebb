"""Password rules for passwords people choose: long enough, not common, not the username."""

from __future__ import annotations

import re

from annotator.accounts import MIN_PASSWORD_LENGTH

#: Passwords and password stems that head every breach list; a trailing run of digits or
#: punctuation ("password123!") does not make them any safer.
COMMON_STEMS = frozenset(
    """
    password passw0rd pass123 p@ssword p@ssw0rd qwerty qwertyuiop qwerty123 qwertz azerty
    asdfgh asdfghjkl zxcvbnm zxcvbnm123 1q2w3e4r 1q2w3e4r5t 1qaz2wsx 1qaz2wsx3edc qazwsx
    qazwsxedc abc123 abcdef abcdefg abcdefgh abcd1234 letmein welcome welcome1 admin
    administrator root toor login master iloveyou sunshine princess football baseball
    basketball soccer hockey dragon monkey shadow superman batman trustno1 starwars
    whatever freedom hello hellohello secret changeme changeit default guest test tester
    testing computer internet michael jennifer jordan charlie daniel thomas hunter ranger
    mustang harley summer winter spring autumn samsung apple google microsoft linux
    annotator annotation newspaper journalist 0123456789 1234567890 0987654321 9876543210
    1111111111 0000000000 123123123 123321 12341234 11223344 112233 121212 654321 123456
    1234567 12345678 123456789 12345678910 aaaaaaaaaa zaq12wsx q1w2e3r4 q1w2e3r4t5
    """.split()  # noqa: SIM905  (a word list reads better as text)
)
_TRAILING_NOISE = re.compile(r"[\d\W_]+$")


def password_problem(password: str, username: str = "") -> str | None:
    """What is wrong with a new password, in words a person can act on; None if it is fine."""
    if len(password) < MIN_PASSWORD_LENGTH:
        return f"Use at least {MIN_PASSWORD_LENGTH} characters."
    if _is_common(password):
        return "That password is too common: it appears in lists attackers try first."
    if username and username.strip().casefold() in password.casefold():
        return "The password must not contain your username."
    return None


def _is_common(password: str) -> bool:
    folded = password.casefold()
    stem = _TRAILING_NOISE.sub("", folded)
    return folded in COMMON_STEMS or stem in COMMON_STEMS or len(set(folded)) <= 2
