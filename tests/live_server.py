"""A real server for tests that need one: gunicorn (or `annotator serve`) on the test
database, in its own process, on a free port."""

from __future__ import annotations

import http.cookiejar
import os
import socket
import subprocess
import sys
import time
import urllib.parse
import urllib.request
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

from tests.conftest import CSRF_INPUT, PASSWORD


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


def server_env(database_url: str, **extra: str) -> dict[str, str]:
    return {
        **os.environ,
        "ANNOTATOR_DATABASE_URL": database_url,
        "ANNOTATOR_SECRET_KEY": "live server test secret, 32 bytes or more",
        "ANNOTATOR_RATELIMIT_STORAGE_URL": "memory://",
        "ANNOTATOR_PASSWORD_HASH_METHOD": "pbkdf2:sha256:1",
        **extra,
    }


def annotator_command(*args: str) -> list[str]:
    """The `annotator` console script, run by this interpreter."""
    return [sys.executable, "-c", "from annotator.cli import main; main()", *args]


@contextmanager
def running(command: list[str], env: dict[str, str], url: str, log: Path) -> Iterator[str]:
    """Start the server, wait until it answers, stop it afterwards."""
    with log.open("wb") as output:
        process = subprocess.Popen(command, env=env, stdout=output, stderr=output)
    try:
        _wait_until_up(url, process, log)
        yield url
    finally:
        process.terminate()
        process.wait(timeout=30)


def _wait_until_up(url: str, process: subprocess.Popen[bytes], log: Path) -> None:
    deadline = time.monotonic() + 30
    while time.monotonic() < deadline:
        assert process.poll() is None, log.read_text()
        try:
            with urllib.request.urlopen(f"{url}/login", timeout=2):
                return
        except OSError:
            time.sleep(0.2)
    raise AssertionError(f"the server did not start: {log.read_text()}")


def logged_in_headers(url: str, username: str) -> dict[str, str]:
    """A session cookie and the CSRF token, as the workspace page sends them."""
    jar = http.cookiejar.CookieJar()
    opener = urllib.request.build_opener(urllib.request.HTTPCookieProcessor(jar))

    def token(path: str) -> str:
        with opener.open(f"{url}{path}", timeout=30) as response:
            match = CSRF_INPUT.search(response.read().decode())
        assert match, path
        return match.group(1)

    form = {"username": username, "password": PASSWORD, "csrf_token": token("/login")}
    opener.open(f"{url}/login", data=urllib.parse.urlencode(form).encode(), timeout=30).close()
    csrf = token("/projects/default/")
    cookie = "; ".join(f"{c.name}={c.value}" for c in jar)
    return {"Cookie": cookie, "X-CSRFToken": csrf}
