"""Browser fixtures: the app served on a free local port, driven by Debian's Chromium.

Playwright's own browser download cannot work here; the tests launch /usr/bin/chromium,
which .ci/run installs with apt-get.
"""

from __future__ import annotations

import os
import threading
from collections.abc import Iterable, Iterator
from pathlib import Path
from typing import TYPE_CHECKING

import pytest
from flask import Flask
from playwright.sync_api import Browser, ConsoleMessage, Page, sync_playwright
from werkzeug.serving import make_server

if TYPE_CHECKING:
    from _typeshed.wsgi import StartResponse, WSGIApplication, WSGIEnvironment

from tests.conftest import PASSWORD

CHROMIUM = "/usr/bin/chromium"
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]
ARTIFACTS = Path(__file__).resolve().parents[2] / "test-artifacts"
DOCS = Path(__file__).resolve().parents[2] / "docs"


def picture(name: str) -> str:
    """Where a test that photographs one of the README's views saves the picture: docs/ when
    ANNOTATOR_DOCS_SCREENSHOTS=1 (to retake them), else test-artifacts/, so that an ordinary
    run leaves the checkout as it found it."""
    folder = DOCS if os.environ.get("ANNOTATOR_DOCS_SCREENSHOTS") == "1" else ARTIFACTS
    folder.mkdir(exist_ok=True)
    return str(folder / name)


def buffered(app: Flask) -> WSGIApplication:
    """Answer each request from memory, closing the app's iterable at once.

    Werkzeug's development server skips close() when the browser resets a connection it no
    longer needs (a navigation cancels script loads); the open static file then surfaces as
    a ResourceWarning in some later test. Production runs under gunicorn.
    """

    def serve(environ: WSGIEnvironment, start_response: StartResponse) -> Iterable[bytes]:
        body = app(environ, start_response)
        try:
            return [b"".join(body)]
        finally:
            if hasattr(body, "close"):
                body.close()

    return serve


@pytest.fixture
def live_server(app: Flask) -> Iterator[str]:
    """The test app served over real HTTP on a free port of 127.0.0.1."""
    server = make_server("127.0.0.1", 0, buffered(app), threaded=True)
    # Track request threads so server_close() waits for them: a request still running when
    # the app's engine is disposed would leak its database connection into a later test.
    server.daemon_threads = False
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{server.server_port}"
    server.shutdown()
    server.server_close()
    thread.join(timeout=5)


@pytest.fixture(scope="session")
def browser() -> Iterator[Browser]:
    assert Path(CHROMIUM).exists(), f"{CHROMIUM} is missing: apt-get install chromium"
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(
            executable_path=CHROMIUM, headless=True, args=CHROMIUM_ARGS
        )
        yield browser
        browser.close()


@pytest.fixture
def page(browser: Browser, live_server: str, request: pytest.FixtureRequest) -> Iterator[Page]:
    """A fresh browser context; any uncaught script error or CSP violation fails the test."""
    context = browser.new_context(base_url=live_server, viewport={"width": 1280, "height": 900})
    page = context.new_page()
    page.set_default_timeout(5000)
    problems: list[str] = []
    page.on("pageerror", lambda error: problems.append(f"page error: {error}"))
    page.on("console", lambda message: _note_console_error(message, problems))
    yield page
    if request.node.rep_call.failed if hasattr(request.node, "rep_call") else False:
        ARTIFACTS.mkdir(exist_ok=True)
        page.screenshot(path=str(ARTIFACTS / f"{request.node.name}.png"), full_page=True)
    context.close()
    assert not problems, problems


def _note_console_error(message: ConsoleMessage, problems: list[str]) -> None:
    if message.type == "error" and "Failed to load resource" not in message.text:
        problems.append(f"console error: {message.text}")


@pytest.hookimpl(wrapper=True, tryfirst=True)
def pytest_runtest_makereport(item: pytest.Item, call: pytest.CallInfo[None]) -> Iterator[None]:
    report = yield
    setattr(item, f"rep_{report.when}", report)
    return report


def log_in(page: Page, username: str, password: str = PASSWORD) -> None:
    """Log in through the login form, as a person would."""
    page.goto("/login")
    page.get_by_label("Username").fill(username)
    page.get_by_label("Password", exact=True).fill(password)
    page.get_by_role("button", name="Log in").click()
    page.wait_for_url(lambda url: "/login" not in url)
