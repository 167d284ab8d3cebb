"""The annotation invariants hold under concurrency: many requests at once, served by a real
multi-process server (gunicorn, several workers with threads) on the test database.

Each test fires its requests from a pool of threads released together by a barrier, so
they reach different server processes at the same instant.
"""

from __future__ import annotations

import http.cookiejar
import json
import sys
import threading
import urllib.error
import urllib.parse
import urllib.request
import uuid
from collections import Counter
from collections.abc import Callable, Iterator
from concurrent.futures import ThreadPoolExecutor
from typing import Any

import pytest
from flask import Flask
from sqlalchemy import func, select

from annotator.extensions import db
from annotator.models import Annotation, ArticleStatus, Paragraph
from tests.api_helpers import CHO, paragraph_with, span_of
from tests.conftest import CSRF_INPUT, PASSWORD
from tests.live_server import free_port, running, server_env

PARALLEL = 50


# --- a real server ------------------------------------------------------------------------


@pytest.fixture(scope="module")
def server(migrated: str, tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    """gunicorn with 3 worker processes of 8 threads each, on the test database."""
    port = free_port()
    log = tmp_path_factory.mktemp("gunicorn") / "server.log"
    command = [sys.executable, "-m", "gunicorn", "--workers", "3", "--threads", "8"]
    command += ["--bind", f"127.0.0.1:{port}", "annotator:create_app()"]
    with running(command, server_env(migrated), f"http://127.0.0.1:{port}", log) as url:
        yield url


class Browser:
    """One logged-in user over real HTTP: cookies, and the CSRF token the pages carry."""

    def __init__(self, url: str, username: str) -> None:
        self.url = url
        self.opener = urllib.request.build_opener(
            urllib.request.HTTPCookieProcessor(http.cookiejar.CookieJar())
        )
        token = self._token("/login")
        form = {"username": username, "password": PASSWORD, "csrf_token": token}
        body = urllib.parse.urlencode(form).encode()
        self.opener.open(f"{url}/login", data=body, timeout=30).close()
        self.csrf = self._token("/projects/default/")

    def _token(self, path: str) -> str:
        with self.opener.open(f"{self.url}{path}", timeout=30) as response:
            match = CSRF_INPUT.search(response.read().decode())
        assert match, path
        return match.group(1)

    def send(self, method: str, path: str, body: Any) -> tuple[int, Any]:
        request = urllib.request.Request(
            f"{self.url}/api/v1{path}",
            data=json.dumps(body).encode(),
            method=method,
            headers={"Content-Type": "application/json", "X-CSRFToken": self.csrf},
        )
        try:
            with self.opener.open(request, timeout=60) as response:
                return response.status, json.loads(response.read())
        except urllib.error.HTTPError as error:
            with error:
                return error.code, json.loads(error.read() or b"null")


def at_once(calls: list[Callable[[], tuple[int, Any]]]) -> list[tuple[int, Any]]:
    """Run every call in its own thread, all released at the same moment."""
    barrier = threading.Barrier(len(calls))

    def run(call: Callable[[], tuple[int, Any]]) -> tuple[int, Any]:
        barrier.wait()
        return call()

    with ThreadPoolExecutor(max_workers=len(calls)) as pool:
        return list(pool.map(run, calls))


def statuses(results: list[tuple[int, Any]]) -> Counter[int]:
    return Counter(status for status, _ in results)


def stored(app: Flask, **where: Any) -> list[Annotation]:
    with app.app_context():
        query = select(Annotation).filter_by(**where)
        rows = list(db.session.scalars(query))
        db.session.expunge_all()
        return rows


@pytest.fixture
def anna(server: str, users: dict[str, int]) -> Browser:
    return Browser(server, "anna")


# --- the invariants -----------------------------------------------------------------------


def test_parallel_overlapping_creates_by_one_user_store_exactly_one(
    app: Flask, anna: Browser, seed_article: int
) -> None:
    pid, text = paragraph_with(app, seed_article, CHO)
    start, end = span_of(text, CHO)
    calls = [
        (lambda i=i: anna.send("POST", "/annotations", _entity(pid, start + i % 3, end)))
        for i in range(PARALLEL)
    ]

    results = at_once(calls)

    assert statuses(results) == {201: 1, 409: PARALLEL - 1}
    assert len(stored(app, paragraph_id=pid, layer="entity")) == 1
    refused = [body for status, body in results if status == 409]
    assert all(body["current"]["id"] == refused[0]["current"]["id"] for body in refused)


def test_parallel_sentiment_writes_leave_one_row(
    app: Flask, anna: Browser, seed_article: int
) -> None:
    pid, _ = paragraph_with(app, seed_article, CHO)
    labels = ["negative", "neutral", "positive", "mixed"]
    calls = [
        (lambda i=i: anna.send("PUT", f"/paragraphs/{pid}/sentiment", {"label": labels[i % 4]}))
        for i in range(PARALLEL)
    ]

    results = at_once(calls)

    assert statuses(results) == {200: PARALLEL}  # one after the other, the last one wins
    assert len(stored(app, paragraph_id=pid, layer="sentiment")) == 1


def test_parallel_versioned_sentiment_writes_let_one_win_and_tell_the_rest(
    app: Flask, anna: Browser, seed_article: int
) -> None:
    pid, _ = paragraph_with(app, seed_article, CHO)
    body = {"label": "positive", "version": None}
    calls = [
        (lambda: anna.send("PUT", f"/paragraphs/{pid}/sentiment", body)) for _ in range(PARALLEL)
    ]

    results = at_once(calls)

    # The first sets it; the others saw "no sentiment" and the same label is now stored at
    # version 1: a conflict, since they read a state that no longer holds.
    assert statuses(results) == {200: 1, 409: PARALLEL - 1}
    assert len(stored(app, paragraph_id=pid, layer="sentiment")) == 1


def test_replays_of_one_client_id_store_one_row_and_answer_with_it(
    app: Flask, anna: Browser, seed_article: int
) -> None:
    pid, text = paragraph_with(app, seed_article, CHO)
    body = {**_entity(pid, *span_of(text, CHO)), "client_id": str(uuid.uuid4())}

    results = at_once([lambda: anna.send("POST", "/annotations", body) for _ in range(5)])

    assert statuses(results) == {201: 1, 200: 4}
    assert len({body["annotation"]["id"] for _, body in results}) == 1
    assert len(stored(app, paragraph_id=pid)) == 1


def test_parallel_first_saves_in_one_article_all_succeed_and_start_it_once(
    app: Flask, anna: Browser, seed_article: int
) -> None:
    with app.app_context():
        paragraphs = list(
            db.session.scalars(
                select(Paragraph)
                .where(Paragraph.article_id == seed_article, Paragraph.is_boilerplate.is_(False))
                .order_by(Paragraph.position)
            )
        )
        pids = [p.id for p in paragraphs]

    def first_save(pid: int) -> Callable[[], tuple[int, Any]]:
        return lambda: anna.send("PUT", f"/paragraphs/{pid}/sentiment", {"label": "neutral"})

    calls = [first_save(pids[i % len(pids)]) for i in range(PARALLEL)]

    results = at_once(calls)

    assert not [status for status, _ in results if status >= 500], statuses(results)
    with app.app_context():
        rows = db.session.scalar(select(func.count()).select_from(ArticleStatus))
        status = db.session.scalar(select(ArticleStatus.status))
    assert (rows, status) == (1, "in_progress")
    assert len(stored(app, layer="sentiment")) == len(pids)


def test_parallel_sentiments_towards_one_entity_store_one(
    app: Flask, anna: Browser, seed_article: int
) -> None:
    pid, text = paragraph_with(app, seed_article, CHO)
    _, created = anna.send("POST", "/annotations", _entity(pid, *span_of(text, CHO)))
    target = {"target_id": created["annotation"]["id"]}
    body = {"paragraph_id": pid, "layer": "sentiment", "label": "positive", "attributes": target}

    results = at_once([lambda: anna.send("POST", "/annotations", body) for _ in range(20)])

    assert statuses(results) == {201: 1, 409: 19}
    assert len(stored(app, paragraph_id=pid, layer="sentiment")) == 1


def _entity(pid: int, start: int, end: int) -> dict[str, Any]:
    return {"paragraph_id": pid, "layer": "entity", "start": start, "end": end, "label": "PERSON"}


def test_two_reviewers_writing_one_articles_gold_at_once_store_one_of_each(
    app: Flask, server: str, users: dict[str, int], seed_article: int
) -> None:
    """Gold is one scope per article: the review row's lock orders different reviewers."""
    reviewers = [Browser(server, "rita"), Browser(server, "admin")]
    pid, text = paragraph_with(app, seed_article, CHO)
    start, end = span_of(text, CHO)
    spans = [
        (
            lambda i=i: reviewers[i % 2].send(
                "POST", "/review/gold", _entity(pid, start + i % 3, end)
            )
        )
        for i in range(PARALLEL // 2)
    ]
    sentiments = [
        (
            lambda i=i: reviewers[i % 2].send(
                "PUT", f"/review/paragraphs/{pid}/sentiment", {"label": "neutral", "version": None}
            )
        )
        for i in range(PARALLEL // 2)
    ]

    results = at_once(spans + sentiments)

    assert statuses(results[: PARALLEL // 2]) == {201: 1, 409: PARALLEL // 2 - 1}
    assert statuses(results[PARALLEL // 2 :]) == {200: 1, 409: PARALLEL // 2 - 1}
    assert len(stored(app, paragraph_id=pid, is_gold=True, layer="entity")) == 1
    assert len(stored(app, paragraph_id=pid, is_gold=True, layer="sentiment")) == 1
