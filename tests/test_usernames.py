"""Usernames are NFKC-normalised and kept to a safe alphabet, the same at every entry point."""

from __future__ import annotations

from typing import Any

import pytest
from flask import Flask
from sqlalchemy import func, select

from annotator.accounts import AccountError, create_user
from annotator.extensions import db
from annotator.models import User
from tests.admin_support import post
from tests.conftest import CHEAP_HASH, PASSWORD, Auth, add_user

FULLWIDTH_ADM = "\uff41\uff44\uff4d"  # ａｄｍ


def user_count(app: Flask) -> int:
    with app.app_context():
        return db.session.scalar(select(func.count()).select_from(User)) or 0


def create(app: Flask, name: str) -> str:
    """Create through the accounts service; the name it stored."""
    with app.app_context():
        user = create_user(db.session, name, PASSWORD, "annotator", CHEAP_HASH)
        db.session.commit()
        return user.username


def test_a_fullwidth_name_is_stored_as_its_ascii_form(app: Flask) -> None:
    assert create(app, FULLWIDTH_ADM) == "adm"


def test_a_fullwidth_look_alike_of_an_existing_name_is_a_duplicate(app: Flask) -> None:
    create(app, "adm")
    with pytest.raises(AccountError, match="exists already"):
        create(app, FULLWIDTH_ADM)


@pytest.mark.parametrize(
    "name",
    ["", "a b", "jos\u00e9", "\u0430dm", "-rm", "+1", "=SUM(A1)", "@home", "x/y", "a" * 81],
)
def test_names_outside_the_alphabet_are_refused(app: Flask, name: str) -> None:
    with pytest.raises(AccountError, match="letters a-z, digits and . _ -"):
        create(app, name)


@pytest.mark.parametrize("name", ["anna", "Anna.Smith", "a_b-c", "r2d2", "7up", "a" * 80])
def test_names_inside_the_alphabet_are_accepted(app: Flask, name: str) -> None:
    assert create(app, name) == name


def test_the_admin_form_refuses_a_look_alike(auth: Auth, app: Flask, users: dict[str, Any]) -> None:
    auth.login("admin")
    before = user_count(app)
    response = post(auth.client, "/admin/users/new", {"username": "\uff41nna", "role": "annotator"})
    assert response.status_code == 400
    assert "exists already" in response.get_data(as_text=True)
    assert user_count(app) == before


def test_the_cli_refuses_a_look_alike_and_a_name_outside_the_alphabet(app: Flask, runner) -> None:  # type: ignore[no-untyped-def]
    add_user(app, "adm")
    look_alike = runner.invoke(args=["user", "create", FULLWIDTH_ADM, "--generate"])
    assert look_alike.exit_code != 0 and "exists already" in look_alike.output
    spaced = runner.invoke(args=["user", "create", "two words", "--generate"])
    assert spaced.exit_code != 0 and "letters a-z" in spaced.output
    assert user_count(app) == 1


def test_logging_in_with_the_fullwidth_form_finds_the_account(auth: Auth) -> None:
    assert auth.login("\uff41\uff4e\uff4e\uff41").status_code == 302


@pytest.mark.parametrize("name", ["ann@example", "+bob", "café"])
def test_the_admin_form_refuses_with_the_services_own_rule(
    auth: Auth, app: Flask, users: dict[str, Any], name: str
) -> None:
    from annotator.accounts import USERNAME_RULE

    auth.login("admin")
    before = user_count(app)
    response = post(auth.client, "/admin/users/new", {"username": name, "role": "annotator"})
    assert response.status_code == 400
    assert USERNAME_RULE in response.get_data(as_text=True)
    assert user_count(app) == before
