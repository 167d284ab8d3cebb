"""A long export to a slow client arrives whole under `annotator serve`: gunicorn's timeout
(2 s here) must not cut a response that is still streaming (it cut a 29 MB file at 24 MB
after 120 s with sync workers)."""

from __future__ import annotations

import hashlib
import http.client
import socket
import time
from collections.abc import Iterator
from pathlib import Path

import pytest
from flask import Flask

from annotator.extensions import db
from tests.conftest import Auth, import_text
from tests.export_support_slow import big_article_text
from tests.live_server import annotator_command, free_port, logged_in_headers, running, server_env
from tests.test_export_support import set_status

TIMEOUT = 2
PARAGRAPHS = 4800  # about 12 MB of JSONL: well past the kernel's socket buffers (4 MB)
EXPORT = "/projects/default/export?format=native&status=all"


@pytest.fixture
def served(app: Flask, users: dict[str, int], migrated: str, tmp_path: Path) -> Iterator[str]:
    article_id = import_text(app, "long.txt", big_article_text(PARAGRAPHS))
    with app.app_context():
        set_status(article_id, "anna", "in_progress")
        db.session.commit()
    port = free_port()
    serve = annotator_command("serve", "--port", str(port), "--workers", "1")
    command = [*serve, "--timeout", str(TIMEOUT)]
    url = f"http://127.0.0.1:{port}"
    with running(command, server_env(migrated), url, tmp_path / "server.log"):
        yield url


def slow_download(url: str, path: str, headers: dict[str, str]) -> tuple[int, bytes, float]:
    """GET with a 4 KB receive window, reading 16 KB every 10 ms (about 1.6 MB/s)."""
    port = int(url.rsplit(":", 1)[1])
    sock = socket.socket()
    sock.setsockopt(socket.SOL_SOCKET, socket.SO_RCVBUF, 4096)
    sock.settimeout(30)
    sock.connect(("127.0.0.1", port))
    connection = http.client.HTTPConnection("127.0.0.1", port)
    connection.sock = sock
    started = time.monotonic()
    connection.request("GET", path, headers=headers)
    response = connection.getresponse()
    body = bytearray()
    while chunk := response.read(16384):
        body += chunk
        time.sleep(0.01)
    connection.close()
    return response.status, bytes(body), time.monotonic() - started


def test_a_slow_client_gets_the_whole_export_past_the_worker_timeout(
    app: Flask, served: str
) -> None:
    headers = logged_in_headers(served, "admin")
    status, body, seconds = slow_download(served, EXPORT, {"Cookie": headers["Cookie"]})

    assert status == 200
    assert seconds > 2 * TIMEOUT, "the download must outlast the worker timeout to prove it"
    assert len(body) > 10_000_000
    lines = body.decode().splitlines()
    assert len(lines) == PARAGRAPHS
    expected = _in_process(app)  # the same export, byte for byte
    assert hashlib.sha256(body).hexdigest() == hashlib.sha256(expected).hexdigest()


def _in_process(app: Flask) -> bytes:
    client = app.test_client()
    Auth(client).login("admin")
    return bytes(client.get(EXPORT).get_data())
