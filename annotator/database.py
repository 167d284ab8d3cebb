"""Database wiring: SQLite pragmas, and Alembic migrations run from inside the package."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from alembic import command
from alembic.config import Config
from flask import Flask
from sqlalchemy import Engine, event, make_url
from sqlalchemy.engine.interfaces import DBAPIConnection
from sqlalchemy.exc import DBAPIError, SQLAlchemyError
from sqlalchemy.pool import ConnectionPoolEntry

from annotator.extensions import db

MIGRATIONS_DIR = Path(__file__).resolve().parent / "migrations"


def init_app(app: Flask) -> None:
    """Bind the SQLAlchemy extension; SQLite gets WAL, foreign keys and a busy timeout."""
    uri: str = app.config["SQLALCHEMY_DATABASE_URI"]
    if uri.startswith("sqlite"):
        _ensure_sqlite_folder(uri)
        app.config.setdefault("SQLALCHEMY_ENGINE_OPTIONS", {})
    else:
        app.config.setdefault("SQLALCHEMY_ENGINE_OPTIONS", {"pool_pre_ping": True})
    db.init_app(app)
    if uri.startswith("sqlite"):
        with app.app_context():
            _install_sqlite_pragmas(db.engine, app.config["SQLITE_BUSY_TIMEOUT_MS"])


def _ensure_sqlite_folder(uri: str) -> None:
    """A SQLite file's folder (usually the instance folder) must exist before connecting."""
    path = make_url(uri).database
    if path and path != ":memory:":
        Path(path).parent.mkdir(parents=True, exist_ok=True)


def _install_sqlite_pragmas(engine: Engine, busy_timeout_ms: int) -> None:
    @event.listens_for(engine, "connect")
    def _on_connect(dbapi_connection: DBAPIConnection, _record: ConnectionPoolEntry) -> None:
        cursor = dbapi_connection.cursor()
        cursor.execute("PRAGMA journal_mode=WAL")
        cursor.execute("PRAGMA foreign_keys=ON")
        cursor.execute(f"PRAGMA busy_timeout={int(busy_timeout_ms)}")
        cursor.close()


def alembic_config() -> Config:
    """Alembic's configuration, pointing at the migrations shipped inside the package."""
    config = Config()
    config.set_main_option("script_location", str(MIGRATIONS_DIR))
    config.attributes["engine"] = db.engine
    return config


def upgrade(revision: str = "head") -> None:
    command.upgrade(alembic_config(), revision)


def downgrade(revision: str) -> None:
    command.downgrade(alembic_config(), revision)


def new_revision(message: str, autogenerate: bool = True) -> Any:
    return command.revision(alembic_config(), message=message, autogenerate=autogenerate)


def current_revision() -> str | None:
    from alembic.runtime.migration import MigrationContext

    with db.engine.connect() as connection:
        return MigrationContext.configure(connection).get_current_revision()


def head_revision() -> str | None:
    from alembic.script import ScriptDirectory

    return ScriptDirectory.from_config(alembic_config()).get_current_head()


def is_current() -> bool:
    """Whether the database holds the newest schema (`annotator db upgrade` has run)."""
    return current_revision() == head_revision()


def problem(error: SQLAlchemyError, url: str) -> str:
    """One line saying why the database cannot be used, naming it without its password."""
    where = make_url(url).render_as_string(hide_password=True)
    reason = str(error.orig if isinstance(error, DBAPIError) else error).strip()
    if _missing_table(reason):
        return f"the database {where} has no schema yet: run `annotator db upgrade`."
    first = reason.splitlines()[0] if reason else type(error).__name__
    return f"cannot use the database {where}: {first}"


def _missing_table(reason: str) -> bool:
    return "no such table" in reason or ("relation" in reason and "does not exist" in reason)
