"""The profile page: a user changes their own password, and must after an admin reset."""

from __future__ import annotations

import pytest
from flask import Flask

from annotator.extensions import db
from annotator.models import User
from annotator.profile.passwords import password_problem
from tests.admin_support import post
from tests.conftest import PASSWORD, Auth

NEW = "violet tractor harbour"


def _change(auth: Auth, current: str = PASSWORD, new: str = NEW, confirm: str | None = None):  # type: ignore[no-untyped-def]
    data = {"current": current, "new": new, "confirm": new if confirm is None else confirm}
    return post(auth.client, "/profile/", data)


def test_every_user_has_a_profile_page_linking_to_tokens(auth: Auth) -> None:
    auth.login("anna")
    page = auth.client.get("/profile/").get_data(as_text=True)
    assert "Change your password" in page
    assert 'href="/profile/tokens"' in page


def test_change_own_password(app: Flask, auth: Auth) -> None:
    auth.login("anna")
    elsewhere = Auth(app.test_client())
    elsewhere.login("anna")
    response = _change(auth)
    assert response.status_code == 302
    assert auth.client.get("/projects/default/").status_code == 200  # this session goes on
    assert elsewhere.client.get("/projects/default/").status_code == 302  # others end
    auth.logout()
    assert auth.login("anna", PASSWORD).status_code == 401
    assert auth.login("anna", NEW).status_code == 302


@pytest.mark.parametrize(
    ("current", "new", "confirm", "message"),
    [
        ("wrong password", NEW, None, "not your current password"),
        (PASSWORD, "short", None, "at least 10 characters"),
        (PASSWORD, "password1234", None, "too common"),
        (PASSWORD, "qwertyuiop!!", None, "too common"),
        (PASSWORD, "anna-is-the-best", None, "must not contain your username"),
        (PASSWORD, NEW, "something else", "The two new passwords differ."),
        (PASSWORD, PASSWORD, None, "different from the current one"),
    ],
)
def test_bad_password_changes_are_refused_with_a_reason(
    auth: Auth, current: str, new: str, confirm: str | None, message: str
) -> None:
    auth.login("anna")
    response = _change(auth, current, new, confirm)
    assert response.status_code in (200, 400)
    assert message in response.get_data(as_text=True)
    auth.logout()
    assert auth.login("anna", PASSWORD).status_code == 302  # unchanged


def test_password_rules() -> None:
    assert password_problem("correct horse battery") is None
    assert password_problem("aaaaaaaaaaaa") is not None
    assert password_problem("Password2024!") is not None


def test_forced_change_after_reset_then_free_to_go(app: Flask, auth: Auth) -> None:
    with app.app_context():
        user = db.session.scalar(db.select(User).where(User.username_key == "anna"))
        assert user is not None
        user.must_change_password = True
        db.session.commit()
    auth.login("anna")
    for path in ["/", "/projects/default/", "/admin/users"]:
        response = auth.client.get(path)
        assert response.status_code == 302 and response.headers["Location"] == "/profile/", path
    assert "Choose your own password" in auth.client.get("/profile/").get_data(as_text=True)
    assert _change(auth).status_code == 302
    assert auth.client.get("/projects/default/").status_code == 200


def test_profile_needs_login(client) -> None:  # type: ignore[no-untyped-def]
    assert client.get("/profile/").status_code == 302
