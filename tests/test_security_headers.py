"""Headers: base-uri 'none' always, HSTS with the TLS setting, no-store when logged in."""

from __future__ import annotations

from flask import Flask
from flask.testing import FlaskClient

from tests.conftest import Auth


def test_base_uri_is_none(client: FlaskClient) -> None:
    assert "base-uri 'none'" in client.get("/login").headers["Content-Security-Policy"]


def test_hsts_only_with_the_tls_setting(app: Flask, client: FlaskClient) -> None:
    assert "Strict-Transport-Security" not in client.get("/login").headers
    app.config["SESSION_COOKIE_SECURE"] = True
    hsts = client.get("/login", base_url="https://localhost").headers["Strict-Transport-Security"]
    assert hsts == "max-age=31536000; includeSubDomains"


def test_logged_in_pages_and_api_responses_are_not_stored(auth: Auth) -> None:
    assert "no-store" not in auth.client.get("/login").headers.get("Cache-Control", "")
    auth.login("admin")
    for path in ["/projects/default/", "/profile/", "/api/v1/projects/default/agreement"]:
        response = auth.client.get(path)
        assert response.status_code == 200, path
        assert response.headers["Cache-Control"] == "no-store", path
    with auth.client.get("/static/css/app.css") as static:
        assert "no-store" not in static.headers.get("Cache-Control", "")
