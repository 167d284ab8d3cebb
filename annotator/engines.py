"""The database engine as every entrance sets it up, with or without Flask: SQLite gets WAL,
foreign keys, a busy timeout, the configured synchronous setting and writers that queue for
the lock (annotator.sqlite_writes); PostgreSQL a pre-ping and a lock timeout. Both wait a
bounded time for a lock that other work holds, then fail with an error is_contention tells
apart (the app answers it 503, annotator.errors). annotator.database binds it to the app
(Flask-SQLAlchemy builds the engine from engine_options); annotator.standalone builds it
with create_engine here."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from sqlalchemy import Engine, event, make_url
from sqlalchemy.engine.interfaces import DBAPIConnection
from sqlalchemy.exc import DBAPIError, SQLAlchemyError
from sqlalchemy.pool import ConnectionPoolEntry

#: SQLite's synchronous settings that keep the database intact after a crash in WAL mode.
SYNCHRONOUS = ("EXTRA", "FULL", "NORMAL")
#: SQLite's primary result codes for a lock another connection holds (SQLITE_BUSY, SQLITE_LOCKED).
SQLITE_CONTENTION = {5, 6}
#: PostgreSQL's SQLSTATEs for a transaction that lost a wait for a lock: deadlock_detected,
#: serialization_failure, lock_not_available (lock_timeout ran out).
POSTGRES_CONTENTION = {"40P01", "40001", "55P03"}


def create_engine(uri: str, settings: dict[str, Any]) -> Engine:
    """An engine for the configured database, set up as the app's (settings: the app's
    configuration keys SQLITE_BUSY_TIMEOUT_MS and SQLITE_SYNCHRONOUS)."""
    from sqlalchemy import create_engine as sqlalchemy_engine

    engine = sqlalchemy_engine(uri, **engine_options(uri, settings))
    prepare(engine, settings)
    return engine


def engine_options(uri: str, settings: dict[str, Any]) -> dict[str, Any]:
    """create_engine's options: SQLite connections whose writers queue for the write lock
    (sqlite_writes) rather than poll; PostgreSQL connections checked before use."""
    if not uri.startswith("sqlite"):
        return {"pool_pre_ping": True}
    from annotator.sqlite_writes import QueuedWriterConnection

    ensure_sqlite_folder(uri)
    timeout = settings["SQLITE_BUSY_TIMEOUT_MS"] / 1000
    return {"connect_args": {"factory": QueuedWriterConnection, "timeout": timeout}}


def prepare(engine: Engine, settings: dict[str, Any]) -> None:
    """The settings every connection gets as it opens: SQLite's pragmas; on PostgreSQL the
    lock timeout. Each database then waits a bounded time for a lock other work holds
    (SQLITE_BUSY_TIMEOUT_MS, POSTGRES_LOCK_TIMEOUT_MS; 0: as long as it takes there), so a
    request behind an import is answered, not left hanging. On PostgreSQL, the models'
    partial indexes also get PostgreSQL's form of their condition (annotator.models)."""
    if engine.dialect.name == "sqlite":
        install_sqlite_pragmas(
            engine,
            settings["SQLITE_BUSY_TIMEOUT_MS"],
            synchronous(settings["SQLITE_SYNCHRONOUS"]),
        )
    elif engine.dialect.name == "postgresql":
        from annotator.models import with_postgresql_predicates

        install_lock_timeout(engine, int(settings["POSTGRES_LOCK_TIMEOUT_MS"]))
        with_postgresql_predicates()


def upsert_insert(dialect: str) -> Any:
    """The dialect's INSERT, which can say ON CONFLICT (both databases spell it alike). The
    dialect is imported when first asked for: the PostgreSQL dialect with its drivers'
    modules costs 0.03 s of the start of a process that never talks to PostgreSQL."""
    if dialect == "postgresql":
        from sqlalchemy.dialects import postgresql

        return postgresql.insert
    from sqlalchemy.dialects import sqlite

    return sqlite.insert


def ensure_sqlite_folder(uri: str) -> None:
    """A SQLite file's folder (usually the instance folder) must exist before connecting."""
    path = make_url(uri).database
    if path and path != ":memory:":
        Path(path).parent.mkdir(parents=True, exist_ok=True)


def synchronous(value: object) -> str:
    setting = str(value).upper()
    if setting not in SYNCHRONOUS:
        raise ValueError(f"SQLITE_SYNCHRONOUS must be one of {', '.join(SYNCHRONOUS)}")
    return setting


def install_sqlite_pragmas(engine: Engine, busy_timeout_ms: int, synchronous: str) -> None:
    @event.listens_for(engine, "connect")
    def _on_connect(dbapi_connection: DBAPIConnection, _record: ConnectionPoolEntry) -> None:
        cursor = dbapi_connection.cursor()
        cursor.execute("PRAGMA journal_mode=WAL")
        cursor.execute("PRAGMA foreign_keys=ON")
        cursor.execute(f"PRAGMA busy_timeout={int(busy_timeout_ms)}")
        cursor.execute(f"PRAGMA synchronous={synchronous}")
        cursor.close()


def is_contention(error: BaseException) -> bool:
    """Whether a database error says only that a lock other work held was not had in time
    (busy, lock timeout, deadlock, serialization failure): nothing was changed, and the
    same work may well succeed when tried again."""
    orig = error.orig if isinstance(error, DBAPIError) else error
    sqlstate = getattr(orig, "sqlstate", None)
    if sqlstate is not None:
        return sqlstate in POSTGRES_CONTENTION
    code = getattr(orig, "sqlite_errorcode", None)
    return code is not None and (code & 0xFF) in SQLITE_CONTENTION  # extended codes too


def install_lock_timeout(engine: Engine, timeout_ms: int) -> None:
    """A session setting rather than a startup option, which PgBouncer refuses by default."""

    @event.listens_for(engine, "connect")
    def _on_connect(dbapi_connection: DBAPIConnection, _record: ConnectionPoolEntry) -> None:
        cursor = dbapi_connection.cursor()
        cursor.execute(f"SET lock_timeout = {int(timeout_ms)}")
        cursor.close()
        dbapi_connection.commit()


def problem(error: SQLAlchemyError, url: str) -> str:
    """One line saying why the database cannot be used, naming it without its password."""
    where = make_url(url).render_as_string(hide_password=True)
    reason = str(error.orig if isinstance(error, DBAPIError) else error).strip()
    if _missing_table(reason):
        return f"the database {where} has no schema yet: run `annotator db upgrade`."
    first = reason.splitlines()[0] if reason else type(error).__name__
    if is_contention(error):
        return f"the database {where} was busy with other work ({first}): try again."
    return f"cannot use the database {where}: {first}"


def _missing_table(reason: str) -> bool:
    return "no such table" in reason or ("relation" in reason and "does not exist" in reason)
