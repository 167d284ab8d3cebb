"""Running annotator: its version, one-line database errors, `serve` before `db upgrade`,
the URL it prints, and client addresses behind a reverse proxy."""

from __future__ import annotations

import subprocess
from collections.abc import Iterator
from importlib.metadata import version
from pathlib import Path

import pytest
from flask import Flask
from flask.testing import FlaskClient

from annotator import create_app
from annotator.extensions import db
from tests.conftest import CSRF_INPUT, PASSWORD, make_config
from tests.live_server import annotator_command, free_port, server_env

ROOT = Path(__file__).resolve().parents[1]


def run(*args: str, database_url: str, cwd: Path) -> subprocess.CompletedProcess[str]:
    env = server_env(database_url, ANNOTATOR_INSTANCE_PATH=str(cwd))
    command = annotator_command(*args)
    return subprocess.run(command, env=env, cwd=cwd, capture_output=True, text=True, timeout=60)


def test_version_is_the_apps_own(tmp_path: Path) -> None:
    done = run("--version", database_url=f"sqlite:///{tmp_path}/a.db", cwd=tmp_path)
    assert done.returncode == 0
    assert done.stdout.strip() == f"annotator {version('annotator')}"


def test_a_database_without_the_schema_is_one_line_saying_to_upgrade(tmp_path: Path) -> None:
    done = run(
        "user",
        "create",
        "ann",
        "--generate",
        database_url=f"sqlite:///{tmp_path}/a.db",
        cwd=tmp_path,
    )
    assert done.returncode == 1
    assert "Traceback" not in done.stderr
    where = f"sqlite:///{tmp_path}/a.db"
    assert done.stderr.strip().splitlines() == [
        f"Error: the database {where} has no schema yet: run `annotator db upgrade`."
    ]


@pytest.mark.parametrize(
    "url",
    [
        "postgresql://annotator:hunter2@127.0.0.1:1/annotator",  # nobody listens
        "postgresql://postgres@127.0.0.1:5432/no_such_database_ops",
    ],
)
def test_an_unreachable_database_is_one_line_without_the_password(url: str, tmp_path: Path) -> None:
    done = run("db", "current", database_url=url, cwd=tmp_path)
    assert done.returncode == 1
    lines = done.stderr.strip().splitlines()
    assert len(lines) == 1 and lines[0].startswith("Error: cannot use the database ")
    assert "hunter2" not in done.stderr and "Traceback" not in done.stderr


def test_serve_refuses_to_start_before_db_upgrade(tmp_path: Path) -> None:
    port = str(free_port())
    done = run("serve", "--port", port, database_url=f"sqlite:///{tmp_path}/a.db", cwd=tmp_path)
    assert done.returncode == 1
    assert done.stderr.strip().splitlines() == [
        "Error: The database schema is missing or out of date: run `annotator db upgrade` first."
    ]


def test_ensure_admin_prints_the_url_serve_will_listen_on(app: Flask, runner) -> None:
    result = runner.invoke(args=["user", "ensure-admin", "--host", "0.0.0.0", "--port", "8123"])
    assert result.exit_code == 0, result.output
    assert "http://127.0.0.1:8123/login" in result.output
    again = runner.invoke(args=["user", "ensure-admin", "--host", "10.1.2.3", "--port", "81"])
    assert "http://10.1.2.3:81/login" in again.output


def test_make_run_passes_its_host_and_port_to_ensure_admin() -> None:
    dry = subprocess.run(
        ["make", "-n", "-W", "pyproject.toml", "run", "HOST=0.0.0.0", "PORT=8123"],
        cwd=ROOT,
        capture_output=True,
        text=True,
        check=True,
    ).stdout
    ensure = next(line for line in dry.splitlines() if "ensure-admin" in line)
    assert "--host 0.0.0.0 --port 8123" in ensure


# --- behind a reverse proxy ---------------------------------------------------------------


@pytest.fixture
def proxied(migrated: str, users: dict[str, int]) -> Iterator[Flask]:
    """The app behind one proxy, allowing 3 failed logins per client address."""
    app = create_app(
        make_config(migrated, TRUSTED_PROXIES=1, LOGIN_LIMIT_PER_ADDRESS="3 per minute")
    )
    yield app
    with app.app_context():
        db.engine.dispose()


def login_from(client: FlaskClient, address: str, username: str, password: str) -> int:
    headers = {"X-Forwarded-For": address}
    match = CSRF_INPUT.search(client.get("/login", headers=headers).get_data(as_text=True))
    assert match
    form = {"username": username, "password": password, "csrf_token": match.group(1)}
    return client.post("/login", data=form, headers=headers).status_code


def test_behind_a_trusted_proxy_the_login_limit_counts_each_client(proxied: Flask) -> None:
    client = proxied.test_client()
    for name in ["x1", "x2", "x3"]:
        assert login_from(client, "203.0.113.7", name, "wrong") == 401
    assert login_from(client, "203.0.113.7", "anna", PASSWORD) == 429
    # another client behind the same proxy is not locked out by the first one's failures
    assert login_from(client, "198.51.100.9", "anna", PASSWORD) == 302


def test_without_trusted_proxies_forwarded_addresses_are_ignored(
    app: Flask, users: dict[str, int]
) -> None:
    app.config["LOGIN_LIMIT_PER_ADDRESS"] = "3 per minute"
    client = app.test_client()
    for name, address in [("x1", "1.1.1.1"), ("x2", "2.2.2.2"), ("x3", "3.3.3.3")]:
        assert login_from(client, address, name, "wrong") == 401
    assert login_from(client, "4.4.4.4", "anna", PASSWORD) == 429


def test_serve_sizes_workers_and_threads_from_the_cpu_count() -> None:
    from annotator.server import default_threads, default_workers, options

    assert [default_workers(n) for n in (1, 2, 4, 16)] == [2, 2, 4, 16]
    assert [default_threads(n) for n in (1, 2, 4)] == [8, 8, 16]
    chosen = options("127.0.0.1", 5000)
    assert chosen["worker_class"] == "gthread"
    assert chosen["workers"] == default_workers() and chosen["threads"] == default_threads()
    assert options("127.0.0.1", 5000, workers=3, threads=2)["workers"] == 3
    assert chosen["control_socket_disable"] is True  # one path per user, shared by all servers


def test_serve_hands_the_gil_over_often_so_a_writer_is_not_kept_waiting(monkeypatch) -> None:
    """The workers fork from the process that ran serve(), so they inherit its interval."""
    import sys

    from annotator import server

    seen: list[float] = []
    monkeypatch.setattr(server._Gunicorn, "run", lambda self: seen.append(sys.getswitchinterval()))
    before = sys.getswitchinterval()
    try:
        server.serve("127.0.0.1", 5999, workers=1, threads=1)
    finally:
        sys.setswitchinterval(before)

    assert seen == [server.SWITCH_INTERVAL] and server.SWITCH_INTERVAL <= 0.001


def test_the_servers_access_line_is_gunicorns_own() -> None:
    """The access logger computes only the default format's fields; the line is unchanged,
    quotes escaped and the Basic-auth user named as gunicorn does, absent fields as '-'."""
    import base64
    import datetime
    from types import SimpleNamespace

    from gunicorn.config import Config
    from gunicorn.glogging import Logger, SafeAtoms

    from annotator.server import AccessLogger, options

    config = Config()
    for key, value in options("127.0.0.1", 5000).items():
        config.set(key, value)
    assert config.logger_class is AccessLogger
    basic = base64.b64encode(b"anna:secret").decode()
    environ = {
        "REMOTE_ADDR": "10.0.0.7",
        "REQUEST_METHOD": "POST",
        "RAW_URI": "/api/v1/annotations?x=1",
        "PATH_INFO": "/api/v1/annotations",
        "QUERY_STRING": "x=1",
        "SERVER_PROTOCOL": "HTTP/1.1",
        "HTTP_USER_AGENT": 'script "v2"',
        "HTTP_AUTHORIZATION": f"Basic {basic}",
    }
    resp = SimpleNamespace(status="201 CREATED", sent=321, headers=[("Content-Type", "x")])
    req = SimpleNamespace(headers=[("USER-AGENT", 'script "v2"')])
    took = datetime.timedelta(microseconds=1500)
    ours, theirs = AccessLogger(config), Logger(config)
    ours.now = theirs.now = lambda: "[27/Nov/2026:14:00:00 +0000]"

    def line(logger: Logger) -> str:
        return str(config.access_log_format % SafeAtoms(logger.atoms(resp, req, environ, took)))

    assert line(ours) == line(theirs)
    assert line(ours) == (
        '10.0.0.7 - anna [27/Nov/2026:14:00:00 +0000] "POST /api/v1/annotations?x=1 HTTP/1.1" '
        '201 321 "-" "script \\"v2\\""'
    )
