"""Token scopes, expiry and ending: a token does what it was made for and no more, for as
long as it was made for, and a bad one is 401 whatever the method."""

from __future__ import annotations

from datetime import timedelta

import pytest
from flask import Flask
from flask.testing import FlaskClient
from sqlalchemy import func, select, update

from annotator.accounts import set_password
from annotator.extensions import db
from annotator.models import Annotation, ApiToken, User, utcnow
from annotator.tokens.service import aware, create_token
from tests.api_helpers import paragraph_with, span_of
from tests.conftest import CHEAP_HASH, PASSWORD, Auth, csrf_token
from tests.querycount import count_queries
from tests.test_tokens import create_token as create_on_page
from tests.test_tokens import stored_tokens


def make_token(app: Flask, username: str, *scopes: str, days: int | None = None) -> str:
    with app.app_context():
        user = db.session.scalar(select(User).where(User.username_key == username))
        assert user is not None
        expires = utcnow() + timedelta(days=days) if days is not None else None
        _, clear = create_token(db.session, user, "script", scopes, expires)
        db.session.commit()
        return clear


def bearer(clear: str) -> dict[str, str]:
    return {"Authorization": f"Bearer {clear}"}


def entity(app: Flask, article_id: int) -> dict[str, object]:
    paragraph_id, text = paragraph_with(app, article_id, "Cho Tae-yul")
    start, end = span_of(text, "Cho Tae-yul")
    return {"paragraph_id": paragraph_id, "layer": "entity", "start": start, "end": end}


def annotation_count(app: Flask) -> int:
    with app.app_context():
        return db.session.scalar(select(func.count()).select_from(Annotation)) or 0


def user_count(app: Flask) -> int:
    with app.app_context():
        return db.session.scalar(select(func.count()).select_from(User)) or 0


# --- scopes -------------------------------------------------------------------------------


def test_a_read_token_reads_but_cannot_write_annotations(
    app: Flask, client: FlaskClient, users: dict[str, int], seed_article: int
) -> None:
    clear = make_token(app, "anna", "read")
    assert client.get(f"/api/v1/articles/{seed_article}", headers=bearer(clear)).status_code == 200
    body = {**entity(app, seed_article), "label": "PERSON"}
    response = client.post("/api/v1/annotations", json=body, headers=bearer(clear))
    assert response.status_code == 403
    assert response.get_json()["error"]["code"] == "insufficient_scope"
    assert annotation_count(app) == 0
    writer = make_token(app, "anna", "annotate")
    assert client.post("/api/v1/annotations", json=body, headers=bearer(writer)).status_code == 201


def test_an_annotate_token_cannot_export(
    app: Flask, client: FlaskClient, users: dict[str, int]
) -> None:
    clear = make_token(app, "rita", "annotate")
    response = client.get("/projects/default/export", headers=bearer(clear))
    assert response.status_code == 403
    exporter = make_token(app, "rita", "export")
    assert client.get("/projects/default/export", headers=bearer(exporter)).status_code == 200


def test_an_admins_token_without_the_admin_scope_cannot_create_admins(
    app: Flask, client: FlaskClient, users: dict[str, int]
) -> None:
    form = {"username": "mallory", "role": "admin", "password": "a long unusual passphrase"}
    for scopes in [("read",), ("read", "annotate", "export")]:
        clear = make_token(app, "admin", *scopes)
        response = client.post("/admin/users/new", data=form, headers=bearer(clear))
        assert response.status_code == 403, scopes
        assert client.get("/admin/users", headers=bearer(clear)).status_code == 403
    assert user_count(app) == 4
    clear = make_token(app, "admin", "admin")
    assert client.get("/admin/users", headers=bearer(clear)).status_code == 200


def test_only_an_admin_may_make_an_admin_scoped_token(
    app: Flask, auth: Auth, runner: object, users: dict[str, int]
) -> None:
    auth.login("rita")
    token = csrf_token(auth.client, "/profile/tokens")
    data = {"name": "x", "csrf_token": token, "scopes": ["admin"], "expires": ""}
    response = auth.client.post("/profile/tokens", data=data)
    assert response.status_code == 400
    assert "Only an admin" in response.get_data(as_text=True)
    result = runner.invoke(args=["token", "create", "rita", "--scope", "admin"])  # type: ignore[attr-defined]
    assert result.exit_code != 0 and "Only an admin" in result.output
    assert stored_tokens(app) == []


def test_an_admin_scoped_token_of_a_demoted_admin_is_refused_by_role(
    app: Flask, client: FlaskClient, users: dict[str, int]
) -> None:
    clear = make_token(app, "admin", "admin")
    with app.app_context():
        db.session.execute(update(User).where(User.id == users["admin"]).values(role="reviewer"))
        db.session.commit()
    assert client.get("/admin/users", headers=bearer(clear)).status_code == 403


def test_a_token_cannot_make_tokens_or_change_the_password(
    app: Flask, client: FlaskClient, users: dict[str, int]
) -> None:
    clear = make_token(app, "admin", "read", "annotate", "export", "admin")
    made = client.post(
        "/profile/tokens", data={"name": "more", "scopes": ["admin"]}, headers=bearer(clear)
    )
    assert made.status_code == 403
    changed = client.post(
        "/profile/",
        data={"current": PASSWORD, "new": "another fine passphrase", "confirm": "x"},
        headers=bearer(clear),
    )
    assert changed.status_code == 403
    assert len(stored_tokens(app)) == 1


def test_the_profile_form_sets_scopes_and_expiry(app: Flask, auth: Auth) -> None:
    auth.login("anna")
    create_on_page(auth, scopes=("read",), expires="30")
    (token,) = stored_tokens(app)
    assert token.scopes == "read"
    assert token.expires_at is not None
    left = aware(token.expires_at) - utcnow()
    assert timedelta(days=29) < left <= timedelta(days=30)
    page = auth.client.get("/profile/tokens").get_data(as_text=True)
    assert 'value="annotate"' in page and "Expires" in page


# --- ending -------------------------------------------------------------------------------


def test_an_expired_token_is_401(app: Flask, client: FlaskClient, users: dict[str, int]) -> None:
    clear = make_token(app, "rita", "export", days=1)
    assert client.get("/projects/default/export", headers=bearer(clear)).status_code == 200
    with app.app_context():
        moment = utcnow() - timedelta(seconds=1)
        db.session.execute(update(ApiToken).values(expires_at=moment))
        db.session.commit()
    response = client.get("/projects/default/export", headers=bearer(clear))
    assert response.status_code == 401
    assert response.get_json()["error"]["code"] == "invalid_token"


def test_a_password_change_ends_every_token_of_the_user(
    app: Flask, auth: Auth, client: FlaskClient
) -> None:
    mine = [make_token(app, "anna", "read"), make_token(app, "anna", "annotate")]
    bobs = make_token(app, "bob", "read")
    auth.login("anna")
    token = csrf_token(auth.client, "/profile/")
    new = "another fine passphrase"
    form = {"csrf_token": token, "current": PASSWORD, "new": new, "confirm": new}
    assert auth.client.post("/profile/", data=form).status_code == 302
    for clear in mine:
        assert client.get("/projects/default/", headers=bearer(clear)).status_code == 401
    assert client.get("/projects/default/", headers=bearer(bobs)).status_code == 200


def test_the_cli_and_an_admin_reset_end_tokens_too(
    app: Flask, client: FlaskClient, users: dict[str, int]
) -> None:
    clear = make_token(app, "bob", "read")
    with app.app_context():
        user = db.session.get(User, users["bob"])
        assert user is not None
        set_password(user, "yet another passphrase", CHEAP_HASH)
        db.session.commit()
    assert client.get("/projects/default/", headers=bearer(clear)).status_code == 401


@pytest.mark.parametrize("method", ["GET", "POST", "PUT", "PATCH", "DELETE"])
@pytest.mark.parametrize("kind", ["unknown", "revoked", "expired"])
def test_a_bad_token_is_401_json_on_every_method(
    app: Flask, client: FlaskClient, users: dict[str, int], method: str, kind: str
) -> None:
    clear = "ann_nope" if kind == "unknown" else make_token(app, "anna", "annotate")
    with app.app_context():
        column = {"revoked": "revoked_at", "expired": "expires_at"}.get(kind)
        if column:
            db.session.execute(update(ApiToken).values({column: utcnow() - timedelta(seconds=1)}))
            db.session.commit()
    for path in ["/api/v1/annotations/1", "/projects/default/export", "/admin/users/new"]:
        response = client.open(path, method=method, json={}, headers=bearer(clear))
        assert response.status_code == 401, (path, response.get_data(as_text=True))
        assert response.get_json()["error"]["code"] == "invalid_token"


# --- last use -----------------------------------------------------------------------------


def _token_writes(statements: list[str]) -> int:
    return sum("UPDATE api_token" in s for s in statements)


def test_last_use_is_written_at_most_once_a_minute(
    app: Flask, client: FlaskClient, users: dict[str, int]
) -> None:
    clear = make_token(app, "anna", "read")
    with app.app_context(), count_queries(db.engine) as statements:
        for _ in range(3):
            assert client.get("/projects/default/", headers=bearer(clear)).status_code == 200
    assert _token_writes(statements) == 1
    (token,) = stored_tokens(app)
    assert token.last_used_at is not None
    with app.app_context():
        earlier = utcnow() - timedelta(minutes=2)
        db.session.execute(update(ApiToken).values(last_used_at=earlier))
        db.session.commit()
    with app.app_context(), count_queries(db.engine) as statements:
        client.get("/projects/default/", headers=bearer(clear))
    assert _token_writes(statements) == 1
    assert aware(stored_tokens(app)[0].last_used_at or earlier) > earlier + timedelta(minutes=1)
