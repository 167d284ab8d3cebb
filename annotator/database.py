"""Database wiring: SQLite pragmas, and Alembic migrations run from inside the package."""

from __future__ import annotations

import sqlite3
import tempfile
from contextlib import closing
from pathlib import Path
from typing import TYPE_CHECKING, Any

from flask import Flask
from sqlalchemy import (
    Engine,
    event,
    inspect,
    make_url,
    text,
)
from sqlalchemy.engine.interfaces import DBAPIConnection
from sqlalchemy.exc import DBAPIError, SQLAlchemyError
from sqlalchemy.pool import ConnectionPoolEntry

from annotator import snapshot
from annotator.extensions import db

if TYPE_CHECKING:
    from alembic.config import Config

MIGRATIONS_DIR = snapshot.MIGRATIONS_DIR


def init_app(app: Flask) -> None:
    """Bind the SQLAlchemy extension; SQLite gets WAL, foreign keys and a busy timeout."""
    uri: str = app.config["SQLALCHEMY_DATABASE_URI"]
    if uri.startswith("sqlite"):
        _ensure_sqlite_folder(uri)
        app.config.setdefault("SQLALCHEMY_ENGINE_OPTIONS", _sqlite_options(app))
    else:
        app.config.setdefault("SQLALCHEMY_ENGINE_OPTIONS", {"pool_pre_ping": True})
    db.init_app(app)
    if uri.startswith("sqlite"):
        with app.app_context():
            _install_sqlite_pragmas(
                db.engine,
                app.config["SQLITE_BUSY_TIMEOUT_MS"],
                _synchronous(app.config["SQLITE_SYNCHRONOUS"]),
            )


def _sqlite_options(app: Flask) -> dict[str, Any]:
    """Connections whose writers queue for the write lock (sqlite_writes) rather than poll."""
    from annotator.sqlite_writes import QueuedWriterConnection

    timeout = app.config["SQLITE_BUSY_TIMEOUT_MS"] / 1000
    return {"connect_args": {"factory": QueuedWriterConnection, "timeout": timeout}}


def _ensure_sqlite_folder(uri: str) -> None:
    """A SQLite file's folder (usually the instance folder) must exist before connecting."""
    path = make_url(uri).database
    if path and path != ":memory:":
        Path(path).parent.mkdir(parents=True, exist_ok=True)


#: SQLite's synchronous settings that keep the database intact after a crash in WAL mode.
SYNCHRONOUS = ("EXTRA", "FULL", "NORMAL")


def _synchronous(value: object) -> str:
    setting = str(value).upper()
    if setting not in SYNCHRONOUS:
        raise ValueError(f"SQLITE_SYNCHRONOUS must be one of {', '.join(SYNCHRONOUS)}")
    return setting


def _install_sqlite_pragmas(engine: Engine, busy_timeout_ms: int, synchronous: str) -> None:
    @event.listens_for(engine, "connect")
    def _on_connect(dbapi_connection: DBAPIConnection, _record: ConnectionPoolEntry) -> None:
        cursor = dbapi_connection.cursor()
        cursor.execute("PRAGMA journal_mode=WAL")
        cursor.execute("PRAGMA foreign_keys=ON")
        cursor.execute(f"PRAGMA busy_timeout={int(busy_timeout_ms)}")
        cursor.execute(f"PRAGMA synchronous={synchronous}")
        cursor.close()


def alembic_config(engine: Engine | None = None) -> Config:
    """Alembic's configuration, pointing at the migrations shipped inside the package."""
    from alembic.config import Config

    config = Config()
    config.set_main_option("script_location", str(MIGRATIONS_DIR))
    config.attributes["engine"] = engine if engine is not None else db.engine
    return config


def upgrade(revision: str = "head") -> None:
    """Bring the database to `revision` by its migrations. A database already at the head
    is left as it is without loading Alembic (a third of a second of imports); an empty
    SQLite database gets the migrations' schema from the shipped snapshot."""
    if revision == "head":
        current = current_revision()
        if current is not None and current == head_revision():
            return
        if current is None and _load_snapshot():
            return
    migrate(revision)


def _load_snapshot() -> bool:
    """On an empty SQLite database, build the schema from a snapshot that is at the head."""
    if db.engine.dialect.name != "sqlite" or snapshot.revision() != head_revision():
        return False
    raw = db.engine.raw_connection()
    try:
        driver = raw.driver_connection
        assert isinstance(driver, sqlite3.Connection)
        autocommit, driver.isolation_level = driver.isolation_level, None
        try:
            return snapshot.load(driver) is not None
        finally:
            driver.isolation_level = autocommit
    finally:
        raw.close()


def migrate(revision: str = "head", engine: Engine | None = None) -> None:
    """Apply the migrations themselves up to `revision`."""
    from alembic import command

    command.upgrade(alembic_config(engine), revision)


def snapshot_text() -> str:
    """The SQLite schema snapshot as the migrations build it now, from a scratch database."""
    from sqlalchemy import create_engine

    head = head_revision()
    with tempfile.TemporaryDirectory(prefix="annotator-snapshot-") as folder:
        path = Path(folder) / "migrated.db"
        engine = create_engine(f"sqlite:///{path}")
        try:
            migrate("head", engine)
        finally:
            engine.dispose()
        with closing(sqlite3.connect(path)) as connection:
            return snapshot.dump(connection, head or "")


def downgrade(revision: str) -> None:
    from alembic import command

    command.downgrade(alembic_config(), revision)


def new_revision(message: str, autogenerate: bool = True) -> Any:
    from alembic import command

    return command.revision(alembic_config(), message=message, autogenerate=autogenerate)


def current_revision() -> str | None:
    """The revision the database is at; None for an empty database."""
    with db.engine.connect() as connection:
        if not inspect(connection).has_table("alembic_version"):
            return None
        rows = list(connection.execute(text("SELECT version_num FROM alembic_version")))
    if len(rows) > 1:
        raise RuntimeError("the database is at several migration heads; merge them")
    return str(rows[0][0]) if rows else None


def head_revision() -> str | None:
    """The newest migration, read from the files' revision lines; Alembic answers when they
    are not the simple chain they usually are (a merge, an unusual file)."""
    return snapshot.head_from_files() or _alembic_head()


def _alembic_head() -> str | None:
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
