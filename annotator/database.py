"""Database wiring: the app's engine (annotator.engines), and Alembic migrations run from
inside the package."""

from __future__ import annotations

import sqlite3
import tempfile
from contextlib import closing
from pathlib import Path
from typing import TYPE_CHECKING, Any

from flask import Flask
from sqlalchemy import Engine, inspect, text

from annotator import snapshot
from annotator.engines import engine_options, prepare
from annotator.extensions import db

if TYPE_CHECKING:
    from alembic.config import Config

MIGRATIONS_DIR = snapshot.MIGRATIONS_DIR


def init_app(app: Flask) -> None:
    """Bind the SQLAlchemy extension to an engine set up as annotator.engines says."""
    uri: str = app.config["SQLALCHEMY_DATABASE_URI"]
    app.config.setdefault("SQLALCHEMY_ENGINE_OPTIONS", engine_options(uri, app.config))
    db.init_app(app)
    with app.app_context():
        prepare(db.engine, app.config)


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
