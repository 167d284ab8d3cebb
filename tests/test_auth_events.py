"""Authentication events: one structured line each on `annotator.auth`, on stderr under gunicorn."""

from __future__ import annotations

import http.cookiejar
import logging
import os
import re
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.parse
import urllib.request
from pathlib import Path
from typing import Any

import pytest
from flask import Flask

from tests.admin_support import post
from tests.conftest import CSRF_INPUT, PASSWORD, Auth


def auth_lines(caplog: pytest.LogCaptureFixture) -> list[str]:
    return [r.getMessage() for r in caplog.records if r.name == "annotator.auth"]


def test_login_failure_lock_logout_and_password_change_are_logged(
    app: Flask, auth: Auth, caplog: pytest.LogCaptureFixture
) -> None:
    caplog.set_level(logging.INFO, logger="annotator.auth")
    auth.login("anna", "wrong")
    auth.login("anna")
    new = "violet tractor harbour"
    assert (
        post(
            auth.client, "/profile/", {"current": PASSWORD, "new": new, "confirm": new}
        ).status_code
        == 302
    )
    auth.logout()
    for _ in range(6):
        auth.login("bob", "wrong")
    lines = auth_lines(caplog)
    assert lines[:4] == [
        'event="login.failure" account="anna" address="127.0.0.1"',
        f'event="login.success" account="anna" address="127.0.0.1" user_id={get_id(app)}',
        f'event="password.change" account="anna" address="127.0.0.1" user_id={get_id(app)}',
        f'event="logout" account="anna" address="127.0.0.1" user_id={get_id(app)}',
    ]
    assert lines[-1].startswith('event="login.locked" account="bob" address="127.0.0.1"')
    assert 'scope="login-pair" retry_after=' in lines[-1]


def test_token_use_refusal_and_scope_refusal_are_logged_use_at_most_once_a_minute(
    app: Flask,
    client: Any,
    users: dict[str, int],
    seed_article: int,
    caplog: pytest.LogCaptureFixture,
) -> None:
    from annotator.extensions import db
    from annotator.models import User
    from annotator.tokens.service import create_token

    with app.app_context():
        anna = db.session.get(User, users["anna"])
        assert anna is not None
        token, clear = create_token(db.session, anna, "script", ["read"])
        prefix = token.prefix
        db.session.commit()
    caplog.set_level(logging.INFO, logger="annotator.auth")
    bearer = {"Authorization": f"Bearer {clear}"}
    for _ in range(3):
        assert client.get(f"/api/v1/articles/{seed_article}", headers=bearer).status_code == 200
    assert (
        client.get("/api/v1/articles/1", headers={"Authorization": "Bearer nope"}).status_code
        == 401
    )
    created = client.post("/api/v1/annotations", json={}, headers=bearer)
    assert created.status_code == 403
    assert auth_lines(caplog) == [
        f'event="token.use" account="anna" address="127.0.0.1" token="{prefix}"',
        'event="token.refused" account="" address="127.0.0.1" prefix="nope"',
        f'event="token.out_of_scope" account="anna" address="127.0.0.1" token="{prefix}" '
        'needed="annotate"',
    ]


def get_id(app: Flask) -> int:
    from tests.conftest import get_user

    return get_user(app, "anna").id


def test_a_typed_name_cannot_forge_a_second_line(
    auth: Auth, caplog: pytest.LogCaptureFixture
) -> None:
    caplog.set_level(logging.INFO, logger="annotator.auth")
    auth.login('x"\nevent="login.success', "wrong")
    (line,) = auth_lines(caplog)
    assert line == r'event="login.failure" account="x\"\nevent=\"login.success" address="127.0.0.1"'


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


def _failed_login(base: str) -> int:
    opener = urllib.request.build_opener(
        urllib.request.HTTPCookieProcessor(http.cookiejar.CookieJar())
    )
    page = opener.open(f"{base}/login", timeout=10).read().decode()
    match = CSRF_INPUT.search(page)
    assert match
    form = {"username": "nobody", "password": "wrong", "csrf_token": match.group(1)}
    try:
        opener.open(f"{base}/login", urllib.parse.urlencode(form).encode(), timeout=10)
    except urllib.error.HTTPError as error:
        return error.code
    return 200


def _wait_for(base: str, server: subprocess.Popen[bytes]) -> None:
    for _ in range(100):
        assert server.poll() is None, "annotator serve exited"
        try:
            urllib.request.urlopen(f"{base}/login", timeout=1)
            return
        except (urllib.error.URLError, ConnectionError):
            time.sleep(0.1)
    raise AssertionError("annotator serve did not answer")


@pytest.mark.slow
def test_events_reach_stderr_under_annotator_serve(migrated: str, tmp_path: Path) -> None:
    port = _free_port()
    env = {
        **os.environ,
        "ANNOTATOR_DATABASE_URL": migrated,
        "ANNOTATOR_SECRET_KEY": "a serve test key of more than 32 bytes",
        "ANNOTATOR_PASSWORD_HASH_METHOD": "pbkdf2:sha256:1",
        "ANNOTATOR_INSTANCE_PATH": str(tmp_path),
        "PYTHONPATH": str(Path(__file__).resolve().parents[1]),
    }
    command = "from annotator.cli import main; main()"
    args = [sys.executable, "-c", command, "serve", "--port", str(port), "--workers", "1"]
    server = subprocess.Popen(args, env=env, stdout=subprocess.PIPE, stderr=subprocess.PIPE)
    try:
        _wait_for(f"http://127.0.0.1:{port}", server)
        assert _failed_login(f"http://127.0.0.1:{port}") == 401
    finally:
        server.terminate()
        _, stderr = server.communicate(timeout=30)
    lines = [line for line in stderr.decode().splitlines() if "annotator.auth" in line]
    assert len(lines) == 1, stderr.decode()[-2000:]
    assert re.search(
        r'INFO annotator\.auth event="login\.failure" account="nobody" address=', lines[0]
    )
