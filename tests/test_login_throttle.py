"""Login throttling: per (account, address) pair, a higher per-account ceiling, atomic counts."""

from __future__ import annotations

import threading
import time
import uuid
from collections import Counter
from typing import Any

import pytest
from flask import Flask
from flask.testing import FlaskClient

from annotator import create_app
from annotator.extensions import db
from tests.conftest import PASSWORD, csrf_token, make_config

ATTACKER, OWNER = "10.0.0.66", "10.0.0.7"


def login_from(client: FlaskClient, address: str, username: str, password: str) -> Any:
    data = {"username": username, "password": password, "csrf_token": csrf_token(client)}
    return client.post("/login", data=data, environ_base={"REMOTE_ADDR": address})


def test_an_attackers_failures_do_not_lock_out_the_owner_elsewhere(
    app: Flask, users: dict[str, int]
) -> None:
    attacker, owner = app.test_client(), app.test_client()
    for _ in range(5):
        assert login_from(attacker, ATTACKER, "anna", "wrong").status_code == 401
    assert login_from(attacker, ATTACKER, "anna", "wrong").status_code == 429
    assert login_from(owner, OWNER, "anna", PASSWORD).status_code == 302


def test_a_lockout_of_the_pair_holds_even_with_the_right_password_and_says_when_to_retry(
    app: Flask, users: dict[str, int]
) -> None:
    client = app.test_client()
    for _ in range(5):
        login_from(client, ATTACKER, "anna", "wrong")
    refused = login_from(client, ATTACKER, "anna", PASSWORD)
    assert refused.status_code == 429
    assert 1 <= int(refused.headers["Retry-After"]) <= 60
    assert "Too many login attempts" in refused.get_data(as_text=True)


def test_the_per_account_ceiling_holds_across_addresses(app: Flask, users: dict[str, int]) -> None:
    app.config["LOGIN_LIMIT_PER_ACCOUNT"] = "6 per hour"
    for n in range(3):
        for _ in range(2):
            assert login_from(app.test_client(), f"10.1.0.{n}", "anna", "x").status_code == 401
    refused = login_from(app.test_client(), OWNER, "anna", PASSWORD)
    assert refused.status_code == 429
    assert int(refused.headers["Retry-After"]) > 60  # the hour's window, not the minute's


def test_a_success_clears_the_pairs_failures(app: Flask, users: dict[str, int]) -> None:
    client = app.test_client()
    for _ in range(4):
        login_from(client, OWNER, "anna", "typo")
    assert login_from(client, OWNER, "anna", PASSWORD).status_code == 302
    client.post("/logout", data={"csrf_token": csrf_token(client, "/profile/")})
    for _ in range(4):
        assert login_from(client, OWNER, "anna", "typo").status_code == 401


def _slow_failures(monkeypatch: pytest.MonkeyPatch) -> None:
    """Every password check takes 0.3 s and fails: all attempts are in flight together."""

    def slow(*args: Any, **kwargs: Any) -> None:
        time.sleep(0.3)

    monkeypatch.setattr("annotator.auth.views.authenticate", slow)


def _concurrent_attempts(app: Flask, count: int) -> Counter[int]:
    clients = [app.test_client() for _ in range(count)]
    tokens = [csrf_token(client) for client in clients]
    start, statuses = threading.Barrier(count), Counter[int]()

    def attempt(client: FlaskClient, token: str) -> None:
        data = {"username": "anna", "password": "wrong", "csrf_token": token}
        start.wait()
        statuses[client.post("/login", data=data).status_code] += 1

    threads = [
        threading.Thread(target=attempt, args=pair) for pair in zip(clients, tokens, strict=True)
    ]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    return statuses


def test_concurrent_failures_cannot_pass_the_limit_in_memory(
    app: Flask, users: dict[str, int], monkeypatch: pytest.MonkeyPatch
) -> None:
    _slow_failures(monkeypatch)
    assert _concurrent_attempts(app, 10) == Counter({401: 5, 429: 5})


def test_concurrent_failures_cannot_pass_the_limit_in_redis(
    migrated: str, users: dict[str, int], monkeypatch: pytest.MonkeyPatch
) -> None:
    _slow_failures(monkeypatch)
    redis = {
        "RATELIMIT_STORAGE_URL": "redis://127.0.0.1:6379/0",
        "RATELIMIT_KEY_PREFIX": f"annotator-logins-test-{uuid.uuid4().hex}",
    }
    worker = create_app(make_config(migrated, **redis))
    try:
        assert _concurrent_attempts(worker, 10) == Counter({401: 5, 429: 5})
    finally:
        with worker.app_context():
            db.engine.dispose()
