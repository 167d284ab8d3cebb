"""Fetch and save latency over HTTP against `annotator serve`, as the peers benchmark does:
sequential p50/p95 of GET /api/v1/paragraphs/<id>/annotations and POST /api/v1/annotations
(with a client_id, as the workspace sends it), then saves per second from 8 clients.
"""

from __future__ import annotations

import http.client
import json
import os
import random
import re
import statistics
import subprocess
import tempfile
import threading
import time
import uuid
from collections.abc import Callable
from pathlib import Path
from typing import Any

from bench.cli_runs import ANNOTATOR, _env, _free_port, run, stop

SEQUENTIAL = 300
CLIENTS = 8
CONCURRENT_SECONDS = 10.0


def requests(count: int, paragraphs: int) -> dict[str, Any]:
    with tempfile.TemporaryDirectory(prefix="annotator-requests-") as name:
        folder = Path(name)
        env = _env(folder)
        run(["db", "upgrade"], env)
        token, words = _prepare(env, count, paragraphs)
        port = _free_port()
        server = subprocess.Popen(
            [*ANNOTATOR, "serve", "--port", str(port)],
            env=env,
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
            start_new_session=True,
        )
        try:
            _wait(port, server)
            return _measure(port, token, words, lambda: _session_cpu(server.pid))
        finally:
            stop(server)


Words = dict[int, list[tuple[int, int]]]


def _prepare(env: dict[str, str], count: int, paragraphs: int) -> tuple[str, Words]:
    """Articles, an annotator and her token, written in-process on the same database."""
    # The instance folder holds the database and the secret key, as the server will read them.
    os.environ["ANNOTATOR_INSTANCE_PATH"] = env["ANNOTATOR_INSTANCE_PATH"]
    for name in ("ANNOTATOR_DATABASE_URL", "ANNOTATOR_SECRET_KEY"):
        os.environ.pop(name, None)
    from sqlalchemy import select

    from annotator import create_app
    from annotator.accounts import create_user
    from annotator.extensions import db
    from annotator.ingest import store_articles
    from annotator.models import Paragraph
    from annotator.projects import ensure_default_project
    from annotator.tokens.service import create_token
    from bench.corpus import articles

    app = create_app(views=False)
    with app.app_context():
        project = ensure_default_project(db.session)
        store_articles(db.session, project, [draft for draft, _ in articles(count, paragraphs)])
        user = create_user(
            db.session, "anna", "a long benchmark password", "annotator", "pbkdf2:sha256:1"
        )
        _, clear = create_token(db.session, user, "bench", ["read", "annotate"])
        db.session.commit()
        rows = db.session.execute(select(Paragraph.id, Paragraph.text).order_by(Paragraph.id))
        words = {pid: [m.span() for m in re.finditer(r"\w+", text)] for pid, text in rows}
        db.session.remove()
        db.engine.dispose()
    return clear, words


def _wait(port: int, server: subprocess.Popen[bytes]) -> None:
    while True:
        try:
            connection = http.client.HTTPConnection("127.0.0.1", port, timeout=5)
            connection.request("GET", "/login")
            connection.getresponse().read()
            return
        except OSError:
            if server.poll() is not None:
                raise RuntimeError("annotator serve exited") from None
            time.sleep(0.02)


class _Client:
    """One keep-alive connection with the token, as a script or a page would hold."""

    def __init__(self, port: int, token: str) -> None:
        self.connection = http.client.HTTPConnection("127.0.0.1", port, timeout=30)
        self.headers = {"Authorization": f"Bearer {token}", "Content-Type": "application/json"}

    def call(self, method: str, path: str, body: Any = None) -> tuple[int, float]:
        payload = json.dumps(body) if body is not None else None
        started = time.perf_counter()
        self.connection.request(method, path, body=payload, headers=self.headers)
        response = self.connection.getresponse()
        response.read()
        return response.status, time.perf_counter() - started


def _save(client: _Client, words: Words, paragraph_id: int, word: int) -> tuple[int, float]:
    """An entity on the paragraph's word number `word`: never overlapping the others."""
    start, end = words[paragraph_id][word % len(words[paragraph_id])]
    body = {
        "paragraph_id": paragraph_id,
        "layer": "entity",
        "start": start,
        "end": end,
        "label": "PERSON",
        "client_id": str(uuid.uuid4()),
    }
    return client.call("POST", "/api/v1/annotations", body)


def _measure(
    port: int, token: str, words: Words, server_cpu: Callable[[], float]
) -> dict[str, Any]:
    """Latencies and throughput, each with the server's CPU milliseconds per request (its
    processes' user + system time over the phase): steadier than wall time on a shared
    machine, where other work inflates every latency."""
    rng = random.Random(13)
    paragraph_ids = sorted(words)
    client = _Client(port, token)
    for _ in range(10):
        client.call("GET", f"/api/v1/paragraphs/{rng.choice(paragraph_ids)}/annotations")
    cpu = server_cpu()
    fetches = [
        client.call("GET", f"/api/v1/paragraphs/{rng.choice(paragraph_ids)}/annotations")
        for _ in range(SEQUENTIAL)
    ]
    fetch_cpu, cpu = _per_request(server_cpu() - cpu, SEQUENTIAL), server_cpu()
    saves = [_save(client, words, paragraph_ids[i], 0) for i in range(SEQUENTIAL)]
    save_cpu, cpu = _per_request(server_cpu() - cpu, SEQUENTIAL), server_cpu()
    for status, _ in fetches + saves:
        assert status in (200, 201), status
    per_second, saved = _concurrent_saves(port, token, words)
    return {
        "fetch_ms": _percentiles([seconds for _, seconds in fetches]) | {"cpu": fetch_cpu},
        "save_ms": _percentiles([seconds for _, seconds in saves]) | {"cpu": save_cpu},
        "saves_per_second_8_clients": per_second,
        "concurrent_save_cpu_ms": _per_request(server_cpu() - cpu, saved),
    }


def _per_request(cpu_seconds: float, requests: int) -> float:
    return round(cpu_seconds * 1000 / max(requests, 1), 2)


def _session_cpu(session_id: int) -> float:
    """User + system CPU seconds of the live processes of a session (the server's arbiter,
    its workers and the background worker), read from /proc; 0 where there is none."""
    ticks = os.sysconf("SC_CLK_TCK")
    total = 0
    for stat in Path("/proc").glob("[0-9]*/stat"):
        try:
            fields = stat.read_text().rsplit(")", 1)[1].split()
        except (OSError, IndexError):
            continue  # ended meanwhile
        if int(fields[3]) == session_id:  # the session id, 6th field of the whole line
            total += int(fields[11]) + int(fields[12])  # utime, stime
    return total / ticks


def _concurrent_saves(port: int, token: str, words: Words) -> tuple[float, int]:
    """CLIENTS threads saving for CONCURRENT_SECONDS, each in its own paragraphs: saves per
    second, and how many were saved."""
    paragraph_ids = sorted(words)
    done = [0] * CLIENTS
    deadline = time.perf_counter() + CONCURRENT_SECONDS

    def work(number: int) -> None:
        client = _Client(port, token)
        mine = paragraph_ids[SEQUENTIAL + number :: CLIENTS]
        word = 1
        while time.perf_counter() < deadline:
            for paragraph_id in mine:
                if time.perf_counter() >= deadline:
                    return
                status, _ = _save(client, words, paragraph_id, word)
                done[number] += status == 201
            word += 1

    threads = [threading.Thread(target=work, args=(n,)) for n in range(CLIENTS)]
    started = time.perf_counter()
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    return round(sum(done) / (time.perf_counter() - started), 1), sum(done)


def _percentiles(seconds: list[float]) -> dict[str, float]:
    ordered = sorted(seconds)
    return {
        "p50": round(statistics.median(ordered) * 1000, 2),
        "p95": round(ordered[int(len(ordered) * 0.95) - 1] * 1000, 2),
    }
