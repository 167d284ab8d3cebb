"""Bodies over the limit are a 413 whether they announce their length or arrive chunked.

Werkzeug reads a chunked body (no Content-Length) only up to the limit and stops without a
word: before annotator read such bodies at the door, a 100 KB JSON body whose first 64 KB
parsed was stored as if it were whole.
"""

from __future__ import annotations

import io
import socket
import threading
from collections.abc import Iterator
from typing import Any

import pytest
from flask import Flask
from flask.testing import FlaskClient
from werkzeug.serving import make_server

from annotator.extensions import db
from annotator.models import User
from annotator.tokens.service import create_token
from tests.api_helpers import CHO, paragraph_with, span_of
from tests.conftest import Auth, csrf_token
from tests.test_input_hygiene import rows


@pytest.fixture
def token(app: Flask, users: dict[str, int]) -> str:
    """anna's API token: a script's requests skip the CSRF check and reach the API's limit."""
    with app.app_context():
        user = db.session.get(User, users["anna"])
        assert user is not None
        _, clear = create_token(db.session, user, "chunked uploads", ["annotate"])
        db.session.commit()
        return clear


@pytest.fixture
def entity_json(app: Flask, seed_article: int) -> bytes:
    """A valid create body for one entity."""
    paragraph_id, text = paragraph_with(app, seed_article, CHO)
    start, end = span_of(text, CHO)
    body = (
        f'{{"paragraph_id": {paragraph_id}, "layer": "entity", "start": {start}, '
        f'"end": {end}, "label": "PERSON"}}'
    )
    return body.encode()


def padded_past(limit: int, body: bytes) -> bytes:
    """Valid JSON followed by whitespace past the limit: cut at the limit, it still parses."""
    return body + b" " * (limit + 1 - len(body))


def chunked_post(client: FlaskClient, path: str, data: bytes, **headers: str) -> Any:
    """A body with Transfer-Encoding: chunked and no Content-Length, already de-chunked by
    the server (which says so with wsgi.input_terminated), as gunicorn hands it over."""
    return client.post(
        path,
        input_stream=io.BytesIO(data),
        headers={"Transfer-Encoding": "chunked", **headers},
        environ_overrides={"wsgi.input_terminated": True},
    )


def test_a_chunked_api_body_over_the_limit_is_413_and_stores_nothing(
    app: Flask, client: FlaskClient, token: str, entity_json: bytes
) -> None:
    before = rows(app)
    response = chunked_post(
        client,
        "/api/v1/annotations",
        padded_past(app.config["API_MAX_BODY_BYTES"], entity_json),
        Authorization=f"Bearer {token}",
        **{"Content-Type": "application/json"},
    )
    assert response.status_code == 413
    assert response.get_json()["error"]["code"] == "request_entity_too_large"
    assert rows(app) == before


def test_a_chunked_api_body_within_the_limit_is_read_whole(
    app: Flask, client: FlaskClient, token: str, entity_json: bytes
) -> None:
    response = chunked_post(
        client,
        "/api/v1/annotations",
        entity_json + b" " * 1000,
        Authorization=f"Bearer {token}",
        **{"Content-Type": "application/json"},
    )
    assert response.status_code == 201, response.get_json()
    assert response.get_json()["annotation"]["label"] == "PERSON"


def multipart(token: str, name: str, content: bytes) -> tuple[bytes, str]:
    boundary = "----annotator-test"
    parts = [
        f'--{boundary}\r\nContent-Disposition: form-data; name="csrf_token"\r\n\r\n{token}\r\n',
        f'--{boundary}\r\nContent-Disposition: form-data; name="files"; filename="{name}"\r\n'
        "Content-Type: text/plain\r\n\r\n",
    ]
    body = "".join(parts).encode() + content + f"\r\n--{boundary}--\r\n".encode()
    return body, f"multipart/form-data; boundary={boundary}"


def test_a_chunked_upload_over_max_content_length_is_413_and_imports_nothing(
    app: Flask, auth: Auth
) -> None:
    auth.login("admin")
    app.config["MAX_CONTENT_LENGTH"] = 4096
    body, content_type = multipart(
        csrf_token(auth.client, "/profile/"), "huge.txt", b"Title\n" + b"x" * 10_000
    )
    before = rows(app)
    response = chunked_post(
        auth.client, "/admin/projects/default/import", body, **{"Content-Type": content_type}
    )
    assert response.status_code == 413
    assert "larger than the 4 KB this server accepts" in response.get_data(as_text=True)
    assert rows(app) == before


def test_a_chunked_upload_within_the_limit_imports(app: Flask, auth: Auth) -> None:
    auth.login("admin")
    body, content_type = multipart(
        csrf_token(auth.client, "/profile/"), "small.txt", b"Small title\nOne paragraph.\n"
    )
    response = chunked_post(
        auth.client, "/admin/projects/default/import", body, **{"Content-Type": content_type}
    )
    assert response.status_code == 200
    assert "<strong>1</strong> article added" in response.get_data(as_text=True)


def test_a_chunked_body_the_server_did_not_decode_is_411_not_an_empty_body(
    app: Flask, client: FlaskClient, token: str, entity_json: bytes
) -> None:
    before = rows(app)
    response = client.post(
        "/api/v1/annotations",
        input_stream=io.BytesIO(entity_json),
        headers={
            "Transfer-Encoding": "chunked",
            "Content-Type": "application/json",
            "Authorization": f"Bearer {token}",
        },
    )
    assert response.status_code == 411
    assert rows(app) == before


# --- over a real socket, chunks and all ---------------------------------------------------


@pytest.fixture
def live_port(app: Flask) -> Iterator[int]:
    """The app behind Werkzeug's threaded HTTP server, which de-chunks bodies itself."""
    server = make_server("127.0.0.1", 0, app, threaded=True)
    server.daemon_threads = False  # server_close() waits for the request threads
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield server.server_port
    server.shutdown()
    server.server_close()
    thread.join(timeout=5)


def send_chunked(port: int, path: str, body: bytes, headers: dict[str, str]) -> tuple[int, bytes]:
    """POST body in 8 KB chunks over a raw socket; the response's status and body."""
    head = "".join(f"{name}: {value}\r\n" for name, value in headers.items())
    request = (
        f"POST {path} HTTP/1.1\r\nHost: 127.0.0.1\r\nTransfer-Encoding: chunked\r\n"
        f"Connection: close\r\n{head}\r\n"
    ).encode()
    for start in range(0, len(body), 8192):
        chunk = body[start : start + 8192]
        request += f"{len(chunk):x}\r\n".encode() + chunk + b"\r\n"
    request += b"0\r\n\r\n"
    with socket.create_connection(("127.0.0.1", port), timeout=10) as connection:
        connection.sendall(request)
        received = b""
        while data := connection.recv(65536):
            received += data
    status_line, _, rest = received.partition(b"\r\n")
    return int(status_line.split()[1]), rest.partition(b"\r\n\r\n")[2]


def test_a_real_chunked_request_over_the_api_limit_is_413(
    app: Flask, live_port: int, token: str, entity_json: bytes
) -> None:
    headers = {"Authorization": f"Bearer {token}", "Content-Type": "application/json"}
    before = rows(app)
    oversize = padded_past(app.config["API_MAX_BODY_BYTES"], entity_json)

    status, body = send_chunked(live_port, "/api/v1/annotations", oversize, headers)

    assert status == 413
    assert b"request_entity_too_large" in body
    assert rows(app) == before
    status, body = send_chunked(live_port, "/api/v1/annotations", entity_json, headers)
    assert status == 201, body


def test_a_refused_body_leaves_its_connection_ready_for_the_next_request(
    app: Flask, token: str, entity_json: bytes, migrated: str, tmp_path: Any
) -> None:
    """Under `annotator serve`, a 413 says keep-alive; gunicorn reads at most 64 KB of a
    body the app left and closed the connection past that, so the next save on it (the
    page's queue reuses its connection) got no answer at all."""
    from tests.live_server import annotator_command, free_port, running, server_env

    port = free_port()
    url = f"http://127.0.0.1:{port}"
    serve = annotator_command("serve", "--port", str(port), "--workers", "1")
    too_large = padded_past(app.config["API_MAX_BODY_BYTES"] + 8 * 1024, entity_json)
    server = running(serve, server_env(migrated), url, tmp_path / "server.log")
    with server, socket.create_connection(("127.0.0.1", port), timeout=10) as connection:
        reader = connection.makefile("rb")
        for body, status in ((too_large, b"413"), (entity_json, b"201")):
            head = (
                "POST /api/v1/annotations HTTP/1.1\r\nHost: x\r\n"
                f"Authorization: Bearer {token}\r\nContent-Type: application/json\r\n"
                f"Content-Length: {len(body)}\r\n\r\n"
            )
            connection.sendall(head.encode() + body)
            assert status in reader.readline()
            length = 0
            while (line := reader.readline()) not in (b"\r\n", b""):
                if line.lower().startswith(b"content-length:"):
                    length = int(line.split(b":")[1])
            reader.read(length)
        reader.close()
