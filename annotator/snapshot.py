"""The SQLite schema at the newest migration, as SQL shipped in the package.

Like Rails' `db:schema:load`: an empty SQLite database gets the schema the migrations build
by running that SQL (milliseconds) instead of replaying every migration through Alembic
(half a second of imports and work). The SQL is what SQLite itself recorded after the
migrations ran (`sqlite_master`), so it is the migrations' schema, not a second definition;
tests/test_migrations.py proves it and fails when a migration lands without a new snapshot
(`annotator db snapshot` writes it). Free of Flask and SQLAlchemy: the fresh-start commands
(annotator.quickstart) use it with the standard library's sqlite3.
"""

from __future__ import annotations

import re
import sqlite3
from pathlib import Path

MIGRATIONS_DIR = Path(__file__).resolve().parent / "migrations"
SNAPSHOT = MIGRATIONS_DIR / "sqlite_schema.sql"
_HEADER = "-- The SQLite schema at revision {revision}, written by `annotator db snapshot`.\n"
_HEADER_REVISION = re.compile(r"^-- The SQLite schema at revision (\S+),")
#: Tables first, then what refers to them; each kind in the order SQLite recorded it.
_KINDS = ("table", "index", "view", "trigger")

_REVISION = re.compile(r"^revision\s*=\s*['\"]([^'\"]+)['\"]", re.MULTILINE)
_DOWN = re.compile(r"^down_revision\s*=\s*(None|['\"]([^'\"]+)['\"])\s*$", re.MULTILINE)


def head_from_files() -> str | None:
    """The newest migration, read from the files' revision lines; None when they are not the
    simple chain they usually are (a merge, an unusual file): then ask Alembic."""
    revisions, parents = set(), set()
    for path in (MIGRATIONS_DIR / "versions").glob("*.py"):
        source = path.read_text(encoding="utf-8")
        revision, down = _REVISION.search(source), _DOWN.search(source)
        if revision is None or down is None:
            return None
        revisions.add(revision.group(1))
        if down.group(2):
            parents.add(down.group(2))
    heads = revisions - parents
    return heads.pop() if len(heads) == 1 else None


def dump(connection: sqlite3.Connection, revision: str) -> str:
    """The snapshot text of a database the migrations built up to `revision`."""
    lines = [_HEADER.format(revision=revision)]
    for kind in _KINDS:
        rows = connection.execute(
            "SELECT sql FROM sqlite_master WHERE type = ? AND sql IS NOT NULL"
            " AND name NOT LIKE 'sqlite_%' ORDER BY rowid",
            (kind,),
        )
        lines += [f"{sql};\n" for (sql,) in rows]
    return "\n".join(lines)


def revision(text: str | None = None) -> str | None:
    """The revision the shipped snapshot (or `text`) was written at; None without one."""
    if text is None:
        if not SNAPSHOT.is_file():
            return None
        text = SNAPSHOT.read_text(encoding="utf-8")
    found = _HEADER_REVISION.match(text)
    return found.group(1) if found else None


def statements(text: str) -> list[str]:
    """The snapshot's statements, split where SQLite says a statement is complete."""
    found, pending = [], ""
    for line in text.splitlines(keepends=True):
        if not pending and line.startswith("--"):
            continue
        pending += line
        if sqlite3.complete_statement(pending):
            found.append(pending.strip())
            pending = ""
    return [statement for statement in found if statement != ";"]


def canonical(text: str) -> list[tuple[str, ...]]:
    """The snapshot's statements with the lines of each in sorted order: Alembic's batch
    mode recreates a table's constraints in no fixed order, so two runs of the same
    migrations differ in text but not in schema."""
    return sorted(
        tuple(sorted(line.strip().rstrip(",") for line in statement.splitlines()))
        for statement in statements(text)
    ) + [(revision(text) or "",)]


def is_empty(connection: sqlite3.Connection) -> bool:
    """Whether the database has no table, index or anything else yet."""
    return connection.execute("SELECT count(*) FROM sqlite_master").fetchone()[0] == 0


def load(connection: sqlite3.Connection) -> str | None:
    """Build the schema in an empty database and stamp it with the snapshot's revision, in one
    transaction; returns that revision, or None (nothing done) if the database is not empty.

    The connection must be in autocommit mode (isolation_level None): the transaction is
    begun here, IMMEDIATE, so two commands starting at once cannot both find it empty."""
    text = SNAPSHOT.read_text(encoding="utf-8")
    stamp = revision(text)
    connection.execute("BEGIN IMMEDIATE")
    try:
        if stamp is None or not is_empty(connection):
            connection.execute("ROLLBACK")
            return None
        for statement in statements(text):
            connection.execute(statement)
        connection.execute("INSERT INTO alembic_version (version_num) VALUES (?)", (stamp,))
    except BaseException:
        connection.execute("ROLLBACK")
        raise
    connection.execute("COMMIT")
    return stamp
