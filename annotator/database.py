"""Database wiring: SQLite pragmas, and Alembic migrations run from inside the package."""

from __future__ import annotations

import re
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

from annotator.extensions import db

if TYPE_CHECKING:
    from alembic.config import Config

MIGRATIONS_DIR = Path(__file__).resolve().parent / "migrations"


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


def alembic_config() -> Config:
    """Alembic's configuration, pointing at the migrations shipped inside the package."""
    from alembic.config import Config

    config = Config()
    config.set_main_option("script_location", str(MIGRATIONS_DIR))
    config.attributes["engine"] = db.engine
    return config


def upgrade(revision: str = "head") -> None:
    """Bring the database to `revision` by its migrations. A database already at the head
    is left as it is without loading Alembic (a third of a second of imports)."""
    if revision == "head":
        current = current_revision()
        if current is not None and current == head_revision():
            return
    migrate(revision)


def migrate(revision: str = "head") -> None:
    """Apply the migrations themselves up to `revision`."""
    from alembic import command

    command.upgrade(alembic_config(), revision)


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


_REVISION = re.compile(r"^revision\s*=\s*['\"]([^'\"]+)['\"]", re.MULTILINE)
_DOWN = re.compile(r"^down_revision\s*=\s*(None|['\"]([^'\"]+)['\"])\s*$", re.MULTILINE)


def head_revision() -> str | None:
    """The newest migration, read from the files' revision lines; Alembic answers when they
    are not the simple chain they usually are (a merge, an unusual file)."""
    revisions, parents = set(), set()
    for path in (MIGRATIONS_DIR / "versions").glob("*.py"):
        source = path.read_text(encoding="utf-8")
        revision, down = _REVISION.search(source), _DOWN.search(source)
        if revision is None or down is None:
            return _alembic_head()
        revisions.add(revision.group(1))
        if down.group(2):
            parents.add(down.group(2))
    heads = revisions - parents
    return heads.pop() if len(heads) == 1 else _alembic_head()


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
