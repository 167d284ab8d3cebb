"""API tokens: created on the profile page or the CLI, shown once, hashed, revocable."""

from __future__ import annotations

import re

from flask import Flask
from flask.testing import FlaskClient
from sqlalchemy import select

from annotator.extensions import db
from annotator.models import ApiToken
from annotator.tokens.service import hash_token
from tests.conftest import Auth, csrf_token

SECRET = re.compile(r'id="new-token">(ann_[A-Za-z0-9_\-]+)<')


def create_token(
    auth: Auth,
    name: str = "nightly export",
    scopes: tuple[str, ...] = ("annotate", "export"),
    expires: str = "",
) -> str:
    token = csrf_token(auth.client, "/profile/tokens")
    data = {"name": name, "csrf_token": token, "scopes": list(scopes), "expires": expires}
    response = auth.client.post("/profile/tokens", data=data)
    assert response.status_code == 200
    match = SECRET.search(response.get_data(as_text=True))
    assert match, "the new token is shown once"
    return match.group(1)


def stored_tokens(app: Flask) -> list[ApiToken]:
    with app.app_context():
        tokens = list(db.session.scalars(select(ApiToken)))
        for token in tokens:
            db.session.expunge(token)
        return tokens


def test_a_token_is_shown_once_and_stored_hashed(app: Flask, auth: Auth) -> None:
    auth.login("rita")
    clear = create_token(auth)
    (token,) = stored_tokens(app)
    assert token.token_hash == hash_token(clear) and clear not in token.token_hash
    assert token.prefix == clear[:12]
    page = auth.client.get("/profile/tokens").get_data(as_text=True)
    assert clear not in page
    assert "nightly export" in page and token.prefix in page and "never" in page


def test_creating_needs_a_name_and_csrf(auth: Auth) -> None:
    auth.login("rita")
    token = csrf_token(auth.client, "/profile/tokens")
    assert (
        auth.client.post("/profile/tokens", data={"name": "", "csrf_token": token}).status_code
        == 400
    )
    assert auth.client.post("/profile/tokens", data={"name": "x"}).status_code == 400


def test_bearer_token_exports_and_records_last_use(
    app: Flask, auth: Auth, client: FlaskClient
) -> None:
    auth.login("rita")
    clear = create_token(auth)
    auth.logout()
    response = client.get("/projects/default/export", headers={"Authorization": f"Bearer {clear}"})
    assert response.status_code == 200
    assert response.headers["Content-Disposition"].startswith("attachment;")
    assert stored_tokens(app)[0].last_used_at is not None


def test_a_bad_token_is_401_json(client: FlaskClient, users: dict[str, int]) -> None:
    response = client.get("/projects/default/export", headers={"Authorization": "Bearer nope"})
    assert response.status_code == 401
    assert response.json is not None and response.json["error"]["code"] == "invalid_token"


def test_a_revoked_token_stops_working(app: Flask, auth: Auth, client: FlaskClient) -> None:
    auth.login("rita")
    clear = create_token(auth)
    token_id = stored_tokens(app)[0].id
    form_token = csrf_token(auth.client, "/profile/tokens")
    response = auth.client.post(
        f"/profile/tokens/{token_id}/revoke", data={"csrf_token": form_token}
    )
    assert response.status_code == 302 and response.headers["Location"] == "/profile/tokens"
    assert stored_tokens(app)[0].revoked_at is not None
    assert "revoked" in auth.client.get("/profile/tokens").get_data(as_text=True)
    auth.logout()
    headers = {"Authorization": f"Bearer {clear}"}
    assert client.get("/projects/default/export", headers=headers).status_code == 401


def test_nobody_revokes_another_users_token(app: Flask, auth: Auth) -> None:
    auth.login("rita")
    create_token(auth)
    token_id = stored_tokens(app)[0].id
    auth.logout()
    auth.login("bob")
    form_token = csrf_token(auth.client, "/profile/tokens")
    response = auth.client.post(
        f"/profile/tokens/{token_id}/revoke", data={"csrf_token": form_token}
    )
    assert response.status_code == 404
    assert stored_tokens(app)[0].revoked_at is None


def test_a_token_of_a_deactivated_user_is_refused(
    app: Flask, auth: Auth, client: FlaskClient
) -> None:
    from annotator.models import User

    auth.login("bob")
    clear = create_token(auth)
    with app.app_context():
        user = db.session.scalar(select(User).where(User.username_key == "bob"))
        assert user is not None
        user.active = False
        db.session.commit()
    headers = {"Authorization": f"Bearer {clear}"}
    assert client.get("/projects/default/export", headers=headers).status_code == 401


def test_cli_creates_a_token_that_works(
    app: Flask, runner: object, client: FlaskClient, users: dict[str, int]
) -> None:
    result = runner.invoke(args=["token", "create", "rita", "--name", "cron", "--scope", "export"])  # type: ignore[attr-defined]
    assert result.exit_code == 0, result.output
    clear = result.stdout.strip().splitlines()[-1]
    assert clear.startswith("ann_")
    headers = {"Authorization": f"Bearer {clear}"}
    assert client.get("/projects/default/export", headers=headers).status_code == 200
    unknown = runner.invoke(args=["token", "create", "nobody", "--scope", "read"])  # type: ignore[attr-defined]
    assert unknown.exit_code != 0 and "No user named 'nobody'" in unknown.output


def test_a_script_with_a_token_writes_through_the_api_without_csrf(
    app: Flask, auth: Auth, seed_article: int
) -> None:
    from tests.api_helpers import paragraph_with, span_of

    auth.login("anna")
    clear = create_token(auth)
    auth.logout()
    paragraph_id, text = paragraph_with(app, seed_article, "Cho Tae-yul")
    start, end = span_of(text, "Cho Tae-yul")
    body = {"paragraph_id": paragraph_id, "layer": "entity", "start": start, "end": end}
    script = app.test_client()
    response = script.post(
        "/api/v1/annotations",
        json={**body, "label": "PERSON"},
        headers={"Authorization": f"Bearer {clear}"},
    )
    assert response.status_code == 201, response.get_json()
    assert response.get_json()["annotation"]["annotator_id"] is not None


def test_a_session_with_a_bad_token_cannot_write_either(
    app: Flask, auth: Auth, seed_article: int
) -> None:
    """The token is judged first: a forged one is 401 even beside a session cookie."""
    auth.login("anna")
    response = auth.client.post(
        "/api/v1/annotations", json={}, headers={"Authorization": "Bearer forged"}
    )
    assert response.status_code == 401
    assert response.get_json()["error"]["code"] == "invalid_token"
