"""Logging in and out: the rules a login page of a mature tool keeps."""

from flask import Flask
from flask.testing import FlaskClient

from tests.conftest import PASSWORD, Auth, add_user, csrf_token, get_user


def test_login_page_renders_a_form_with_csrf(client: FlaskClient) -> None:
    response = client.get("/login")
    assert response.status_code == 200
    assert 'name="csrf_token"' in response.get_data(as_text=True)


def test_pages_need_login(client: FlaskClient) -> None:
    response = client.get("/projects/default/")
    assert response.status_code == 302
    assert response.headers["Location"].startswith("/login?next=")


def test_login_succeeds_and_records_last_login(app: Flask, auth: Auth) -> None:
    response = auth.login("anna")
    assert response.status_code == 302
    assert response.headers["Location"] == "/"
    assert get_user(app, "anna").last_login_at is not None
    assert auth.client.get("/projects/default/").status_code == 200


def test_username_is_case_insensitive(auth: Auth) -> None:
    assert auth.login("ANNA").status_code == 302


def test_wrong_password_and_unknown_user_get_the_same_error(auth: Auth) -> None:
    wrong = auth.login("anna", "not the password")
    unknown = auth.login("nobody", PASSWORD)
    assert wrong.status_code == unknown.status_code == 401
    message = "Unknown username or wrong password."
    assert message in wrong.get_data(as_text=True)
    assert message in unknown.get_data(as_text=True)


def test_inactive_user_cannot_log_in(app: Flask, client: FlaskClient) -> None:
    add_user(app, "gone", active=False)
    response = Auth(client).login("gone")
    assert response.status_code == 401
    assert "Unknown username or wrong password." in response.get_data(as_text=True)


def test_deactivated_user_is_logged_out_at_next_request(app: Flask, auth: Auth) -> None:
    auth.login("anna")
    from annotator.extensions import db
    from annotator.models import User

    with app.app_context():
        db.session.get(User, get_user(app, "anna").id).active = False  # type: ignore[union-attr]
        db.session.commit()
    assert auth.client.get("/projects/default/").status_code == 302


def test_next_redirects_to_a_local_path(auth: Auth) -> None:
    response = auth.login("anna", next="/projects/default/?page=1")
    assert response.headers["Location"] == "/projects/default/?page=1"


def test_next_never_leaves_the_site(auth: Auth) -> None:
    for target in ["https://evil.example/", "//evil.example/", "/\\evil.example", "javascript:x"]:
        response = auth.login("anna", next=target)
        assert response.headers["Location"] == "/", target
        auth.logout()


def test_failed_logins_are_throttled_per_account(app: Flask, auth: Auth) -> None:
    for _ in range(5):
        assert auth.login("anna", "wrong").status_code == 401
    assert auth.login("anna", "wrong").status_code == 429
    # even the right password waits now; another account is unaffected
    assert auth.login("anna", PASSWORD).status_code == 429
    assert auth.login("bob", PASSWORD).status_code == 302


def test_failed_logins_are_throttled_per_address(app: Flask, auth: Auth) -> None:
    app.config["LOGIN_LIMIT_PER_ADDRESS"] = "3 per minute"
    for name in ["x1", "x2", "x3"]:
        assert auth.login(name, "wrong").status_code == 401
    assert auth.login("anna", PASSWORD).status_code == 429


def test_login_without_csrf_token_is_rejected(client: FlaskClient, users: dict[str, int]) -> None:
    response = client.post("/login", data={"username": "anna", "password": PASSWORD})
    assert response.status_code == 400
    assert "security token" in response.get_data(as_text=True)


def test_logout_is_a_post_with_csrf(auth: Auth) -> None:
    auth.login("anna")
    assert auth.client.get("/logout").status_code == 405
    assert auth.client.post("/logout").status_code == 400  # no token: still logged in
    assert auth.client.get("/projects/default/").status_code == 200
    response = auth.logout()
    assert response.status_code == 302
    assert auth.client.get("/projects/default/").status_code == 302


def test_session_cookie_is_httponly_and_lax(auth: Auth) -> None:
    response = auth.login("anna")
    cookie = response.headers["Set-Cookie"]
    assert "HttpOnly" in cookie
    assert "SameSite=Lax" in cookie
    assert "Secure" not in cookie


def test_secure_cookie_when_configured(app: Flask, auth: Auth) -> None:
    app.config["SESSION_COOKIE_SECURE"] = True
    assert "Secure" in auth.login("anna").headers["Set-Cookie"]


def test_every_response_carries_a_strict_content_security_policy(client: FlaskClient) -> None:
    policy = client.get("/login").headers["Content-Security-Policy"]
    assert "script-src 'self'" in policy
    assert "unsafe-inline" not in policy


def test_csrf_token_helper_reads_login_page(client: FlaskClient) -> None:
    assert len(csrf_token(client)) > 20


def test_throttling_counts_in_redis_when_configured(migrated: str, users: dict[str, int]) -> None:
    """Two app instances (two workers) share one count when the storage is Redis."""
    import uuid

    import redis

    from annotator import create_app
    from annotator.extensions import db
    from tests.conftest import make_config

    shared = {
        "RATELIMIT_STORAGE_URL": "redis://127.0.0.1:6379/0",
        "RATELIMIT_KEY_PREFIX": f"annotator-test-{uuid.uuid4().hex}",
        "LOGIN_LIMIT_PER_ACCOUNT": "3 per minute",
    }
    workers = [create_app(make_config(migrated, **shared)) for _ in range(2)]
    first, second = (Auth(worker.test_client()) for worker in workers)
    for _ in range(3):
        assert first.login("anna", "wrong").status_code == 401
    assert second.login("anna", PASSWORD).status_code == 429
    for worker in workers:
        with worker.app_context():
            db.engine.dispose()
    stored = redis.Redis(host="127.0.0.1", port=6379).keys(f"*{shared['RATELIMIT_KEY_PREFIX']}*")
    assert stored, "the failure count should live in Redis"
