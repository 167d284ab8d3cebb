"""Server-side sessions: logout, password change and deactivation end the session and its
remember cookie at once; remember cookies change per login; the CSRF token changes at login."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from email.utils import parsedate_to_datetime

from flask import Flask
from flask.testing import FlaskClient
from sqlalchemy import func, select, update

from annotator import create_app
from annotator.extensions import db
from annotator.models import LoginSession
from tests.admin_support import post
from tests.conftest import PASSWORD, Auth, add_user, csrf_token, make_config

REMEMBER = "remember_token"


def cookie(client: FlaskClient, name: str) -> str:
    found = client.get_cookie(name)
    assert found is not None, name
    return found.value


def with_cookie(app: Flask, name: str, value: str) -> FlaskClient:
    """A fresh browser holding only a copy of one cookie."""
    client = app.test_client()
    client.set_cookie(name, value)
    return client


def opens_profile(client: FlaskClient) -> bool:
    return client.get("/profile/").status_code == 200


def test_logout_ends_a_copied_session_cookie(app: Flask, auth: Auth) -> None:
    auth.login("anna")
    copied = cookie(auth.client, "session")
    assert opens_profile(with_cookie(app, "session", copied))
    auth.logout()
    assert not opens_profile(with_cookie(app, "session", copied))


def test_logout_ends_the_remember_cookie_alone(app: Flask, auth: Auth) -> None:
    auth.login("anna", remember="y")
    remembered = cookie(auth.client, REMEMBER)
    assert opens_profile(with_cookie(app, REMEMBER, remembered))
    auth.logout()
    assert not opens_profile(with_cookie(app, REMEMBER, remembered))


def test_logout_ends_only_that_session(app: Flask, auth: Auth) -> None:
    elsewhere = Auth(app.test_client())
    elsewhere.login("anna")
    auth.login("anna")
    auth.logout()
    assert opens_profile(elsewhere.client)


def test_a_password_change_ends_other_sessions_and_their_remember_cookies(
    app: Flask, auth: Auth
) -> None:
    elsewhere = Auth(app.test_client())
    elsewhere.login("anna", remember="y")
    remembered, copied = cookie(elsewhere.client, REMEMBER), cookie(elsewhere.client, "session")
    auth.login("anna")
    new = "violet tractor harbour"
    assert post(auth.client, "/profile/", {"current": PASSWORD, "new": new, "confirm": new})
    assert opens_profile(auth.client)
    assert not opens_profile(with_cookie(app, REMEMBER, remembered))
    assert not opens_profile(with_cookie(app, "session", copied))


def test_deactivation_ends_the_session_and_the_remember_cookie(
    app: Flask, auth: Auth, users: dict[str, int]
) -> None:
    anna = Auth(app.test_client())
    anna.login("anna", remember="y")
    remembered = cookie(anna.client, REMEMBER)
    auth.login("admin")
    assert post(auth.client, f"/admin/users/{users['anna']}/deactivate").status_code == 302
    assert post(auth.client, f"/admin/users/{users['anna']}/reactivate").status_code == 302
    assert not opens_profile(anna.client)
    assert not opens_profile(with_cookie(app, REMEMBER, remembered))


def test_the_remember_cookie_changes_at_every_login(app: Flask, users: dict[str, int]) -> None:
    first, second = Auth(app.test_client()), Auth(app.test_client())
    first.login("anna", remember="y")
    second.login("anna", remember="y")
    assert cookie(first.client, REMEMBER) != cookie(second.client, REMEMBER)


def test_an_expired_session_no_longer_opens(app: Flask, auth: Auth) -> None:
    auth.login("anna")
    with app.app_context():
        past = datetime.now(UTC) - timedelta(seconds=1)
        db.session.execute(update(LoginSession).values(expires_at=past))
        db.session.commit()
    assert not opens_profile(auth.client)


def test_the_remember_cookie_is_secure_with_tls_and_lives_the_configured_days(
    migrated: str, app: Flask
) -> None:
    tls = create_app(make_config(migrated, SESSION_COOKIE_SECURE=True, REMEMBER_COOKIE_DAYS=3))
    add_user(tls, "anna")
    client = tls.test_client()
    page = client.get("/login", base_url="https://localhost").get_data(as_text=True)
    token = page.split('name="csrf_token" type="hidden" value="')[1].split('"')[0]
    data = {"username": "anna", "password": PASSWORD, "remember": "y", "csrf_token": token}
    referer = {"Referer": "https://localhost/login"}  # Flask-WTF checks it over HTTPS
    response = client.post("/login", data=data, base_url="https://localhost", headers=referer)
    assert response.status_code == 302
    (remember,) = [c for c in response.headers.getlist("Set-Cookie") if c.startswith(REMEMBER)]
    assert "Secure" in remember and "HttpOnly" in remember
    expires = parsedate_to_datetime(remember.split("Expires=")[1].split(";")[0])
    assert (
        timedelta(days=3) - timedelta(minutes=1) < expires - datetime.now(UTC) <= timedelta(days=3)
    )
    with tls.app_context():
        assert db.session.scalar(select(func.count()).select_from(LoginSession)) == 1
        db.session.remove()  # give the connection back before the pool goes
        db.engine.dispose()


def test_the_default_remember_lifetime_is_14_days(app: Flask) -> None:
    assert app.config["REMEMBER_COOKIE_DURATION"] == timedelta(days=14)
    assert app.config["REMEMBER_COOKIE_SECURE"] is False


def test_the_csrf_token_from_before_login_stops_working(auth: Auth) -> None:
    before = csrf_token(auth.client)
    auth.login("anna")
    assert auth.client.post("/logout", data={"csrf_token": before}).status_code == 400
    assert opens_profile(auth.client)
    assert auth.logout().status_code == 302
