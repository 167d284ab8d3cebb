"""Fixtures: an app on a freshly emptied database per test, clients, users and logins.

The schema is built once per run by the real migrations, on SQLite by default or on the
PostgreSQL named by TEST_DATABASE_URL. Each test starts from an empty database holding only
the default project, so app code can commit freely and tests stay isolated.
"""

from __future__ import annotations

import os
import re
import tempfile
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

import pytest
from flask import Flask
from flask.testing import FlaskClient
from sqlalchemy import create_engine, text

from annotator import create_app, database
from annotator.accounts import create_user
from annotator.extensions import db
from annotator.ingest import parse_text_article, store_articles
from annotator.models import Base, User
from annotator.projects import ensure_default_project

pytest_plugins = ["tests.api_helpers", "tests.review_support"]

CHEAP_HASH = "pbkdf2:sha256:1"
PASSWORD = "correct horse battery"
_INSTANCE = tempfile.mkdtemp(prefix="annotator-test-instance-")
os.environ["ANNOTATOR_INSTANCE_PATH"] = _INSTANCE


def pytest_configure(config: pytest.Config) -> None:
    config.addinivalue_line("markers", "postgres_only: meaningful only on PostgreSQL")


# --- CI refuses skipped tests -------------------------------------------------------------

_skipped: list[str] = []


def pytest_runtest_logreport(report: pytest.TestReport) -> None:
    if report.skipped:
        _skipped.append(report.nodeid)


def pytest_sessionfinish(session: pytest.Session, exitstatus: int) -> None:
    if os.environ.get("ANNOTATOR_FAIL_ON_SKIP") and _skipped and exitstatus == 0:
        print(f"\nANNOTATOR_FAIL_ON_SKIP: {len(_skipped)} test(s) skipped: {_skipped}")
        session.exitstatus = 1


# --- database -----------------------------------------------------------------------------


@pytest.fixture(scope="session")
def database_url(tmp_path_factory: pytest.TempPathFactory) -> str:
    url = os.environ.get("TEST_DATABASE_URL")
    if not url:
        return f"sqlite:///{tmp_path_factory.mktemp('db') / 'test.db'}"
    if url.startswith("postgresql://"):
        url = "postgresql+psycopg://" + url[len("postgresql://") :]
    engine = create_engine(url)
    with engine.begin() as connection:
        connection.execute(text("DROP SCHEMA public CASCADE"))
        connection.execute(text("CREATE SCHEMA public"))
    engine.dispose()
    return url


def make_config(database_url: str, **overrides: Any) -> dict[str, Any]:
    config = {
        "TESTING": True,
        "DATABASE_URL": database_url,
        "SECRET_KEY": "test secret key, 32 bytes or longer",
        "PASSWORD_HASH_METHOD": CHEAP_HASH,
        "RATELIMIT_STORAGE_URL": "memory://",
    }
    config.update(overrides)
    return config


@pytest.fixture(scope="session")
def migrated(database_url: str) -> str:
    """Build the schema once, through the migrations users run."""
    app = create_app(make_config(database_url))
    with app.app_context():
        database.migrate()  # the migrations themselves, not the models' schema
        db.engine.dispose()
    return database_url


def empty_database() -> None:
    """Delete every row, children first, so the next test starts clean."""
    db.session.remove()
    with db.engine.begin() as connection:
        for table in reversed(Base.metadata.sorted_tables):
            connection.execute(table.delete())


@contextmanager
def app_on(database_url: str, **overrides: Any) -> Iterator[Flask]:
    """An app on the migrated database, which holds only the default project; emptied after."""
    app = create_app(make_config(database_url, **overrides))
    with app.app_context():
        ensure_default_project(db.session)
        db.session.commit()
    yield app
    with app.app_context():
        empty_database()
        db.engine.dispose()


@pytest.fixture
def app(migrated: str) -> Iterator[Flask]:
    with app_on(migrated) as app:
        yield app


@pytest.fixture
def client(app: Flask) -> FlaskClient:
    return app.test_client()


@pytest.fixture
def runner(app: Flask) -> Any:
    return app.test_cli_runner()


# --- users and logging in -----------------------------------------------------------------


def add_user(app: Flask, username: str, role: str = "annotator", active: bool = True) -> int:
    with app.app_context():
        user = create_user(db.session, username, PASSWORD, role, CHEAP_HASH)
        user.active = active
        db.session.commit()
        return user.id


@pytest.fixture
def users(app: Flask) -> dict[str, int]:
    """An admin, a reviewer and two annotators, by username."""
    return {
        name: add_user(app, name, role)
        for name, role in [
            ("admin", "admin"),
            ("rita", "reviewer"),
            ("anna", "annotator"),
            ("bob", "annotator"),
        ]
    }


CSRF_INPUT = re.compile(r'name="csrf_token"[^>]*value="([^"]+)"')


def csrf_token(client: FlaskClient, path: str = "/login") -> str:
    """The CSRF token a page hands out, read the way a browser would."""
    page = client.get(path).get_data(as_text=True)
    match = CSRF_INPUT.search(page)
    assert match, f"no CSRF token on {path}"
    return match.group(1)


class Auth:
    """Logs a test client in and out through the real login form."""

    def __init__(self, client: FlaskClient) -> None:
        self.client = client

    def login(self, username: str = "anna", password: str = PASSWORD, **extra: str) -> Any:
        token = csrf_token(self.client)
        data = {"username": username, "password": password, "csrf_token": token, **extra}
        return self.client.post("/login", data=data)

    def logout(self) -> Any:
        token = csrf_token(self.client, "/projects/default/")
        return self.client.post("/logout", data={"csrf_token": token})


@pytest.fixture
def auth(client: FlaskClient, users: dict[str, int]) -> Auth:
    return Auth(client)


def get_user(app: Flask, username: str) -> User:
    with app.app_context():
        user = db.session.scalar(db.select(User).where(User.username_key == username.casefold()))
        assert user is not None
        db.session.expunge(user)
        return user


# --- articles -----------------------------------------------------------------------------

SEEDS = Path(__file__).resolve().parents[1] / "seeds"
SEED = SEEDS / "bloomberg-china-korea-talks.txt"
SEED_TITLE = "Top China, South Korea Diplomats Hold Rare Talks in Beijing"


def import_text(app: Flask, name: str, content: str) -> int:
    """Import one plain-text article into the default project; returns its id."""
    with app.app_context():
        project = ensure_default_project(db.session)
        draft = parse_text_article(name, content.encode("utf-8"))
        summary = store_articles(db.session, project, [draft])
        db.session.commit()
        return summary.article_ids[0]


@pytest.fixture
def seed_article(app: Flask) -> int:
    """The sample Bloomberg article from seeds/, imported; its id."""
    return import_text(app, SEED.name, SEED.read_text(encoding="utf-8"))
