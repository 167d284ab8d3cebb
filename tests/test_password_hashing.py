"""Password hashes: argon2id by default, the same cost for unknown names, old hashes upgraded."""

from __future__ import annotations

import pytest
from flask import Flask
from sqlalchemy import update

from annotator.accounts import authenticate
from annotator.config import DEFAULTS
from annotator.extensions import db
from annotator.hashing import dummy_hash, hash_password, verify_password
from annotator.models import User
from tests.conftest import CHEAP_HASH, PASSWORD, Auth, get_user


def parameters(stored: str) -> str:
    """Method and cost of a hash, without salt and digest."""
    return "$".join(stored.split("$")[:4]) if stored.startswith("$") else stored.split("$")[0]


@pytest.mark.parametrize("method", [CHEAP_HASH, "scrypt:131072:8:1", "argon2id"])
def test_the_dummy_hash_has_the_method_and_parameters_of_real_ones(method: str) -> None:
    real = hash_password(PASSWORD, method)
    dummy = dummy_hash(method)
    assert parameters(dummy) == parameters(real)
    assert verify_password(dummy, PASSWORD) is False
    assert verify_password(real, PASSWORD) is True


def test_an_unknown_name_is_checked_against_the_configured_dummy(
    app: Flask, monkeypatch: pytest.MonkeyPatch
) -> None:
    checked: list[str] = []
    monkeypatch.setattr(
        "annotator.accounts.verify_password", lambda stored, pw: checked.append(stored) or False
    )
    with app.app_context():
        assert authenticate(db.session, "nobody", PASSWORD, "argon2id") is None
    assert [parameters(h) for h in checked] == [parameters(hash_password("x", "argon2id"))]


def test_new_hashes_are_argon2id_with_at_least_owasp_parameters() -> None:
    assert DEFAULTS["PASSWORD_HASH_METHOD"] == "argon2id"
    stored = hash_password(PASSWORD, "argon2id")
    _, variant, _, costs, *_ = stored.split("$")
    cost = dict(pair.split("=") for pair in costs.split(","))
    assert variant == "argon2id"
    assert int(cost["m"]) >= OWASP_MINIMUM_MEMORY_KIB[min(int(cost["t"]), 5)]


#: OWASP's Password Storage Cheat Sheet: argon2id's least memory (KiB) for each number of
#: passes, which it names as equally strong (one pass: 46 MiB; two: 19 MiB; ...).
OWASP_MINIMUM_MEMORY_KIB = {1: 47104, 2: 19456, 3: 12288, 4: 9216, 5: 7168}


def _store_old_hash(app: Flask, username: str) -> None:
    old = hash_password(PASSWORD, "scrypt:32768:8:1")  # what 0.1 stored
    with app.app_context():
        db.session.execute(update(User).where(User.username == username).values(password_hash=old))
        db.session.commit()


def test_an_old_hash_is_upgraded_at_the_next_successful_login(app: Flask, auth: Auth) -> None:
    _store_old_hash(app, "anna")
    app.config["PASSWORD_HASH_METHOD"] = "argon2id"
    assert auth.login("anna", "wrong").status_code == 401
    assert get_user(app, "anna").password_hash.startswith("scrypt:32768:")
    assert auth.login("anna").status_code == 302
    assert get_user(app, "anna").password_hash.startswith("$argon2id$")
    auth.logout()
    assert auth.login("anna").status_code == 302


def test_a_current_hash_is_left_alone(app: Flask, auth: Auth) -> None:
    before = get_user(app, "anna").password_hash
    assert auth.login("anna").status_code == 302
    assert get_user(app, "anna").password_hash == before
