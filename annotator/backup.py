"""`annotator db backup FILE` and `annotator db restore FILE`.

SQLite: the online backup API copies the database as one read transaction sees it, the
write-ahead log included, while writers go on; the copy is a single self-contained file.
PostgreSQL: pg_dump (custom format) and pg_restore, given the configured URL.
"""

from __future__ import annotations

import shutil
import sqlite3
import subprocess
from pathlib import Path

import click
from flask import current_app
from flask.cli import with_appcontext
from sqlalchemy import make_url

from annotator.extensions import db


class BackupError(click.ClickException):
    """A backup or restore that could not be done, said in one line."""


@click.command("backup")
@click.argument("file", type=click.Path(dir_okay=False, path_type=Path))
@with_appcontext
def backup_command(file: Path) -> None:
    """Write a consistent copy of the database to FILE while the server keeps running."""
    url = _url()
    if url.startswith("sqlite"):
        sqlite_backup(_sqlite_path(url), file)
    else:
        _run(["pg_dump", "--format=custom", "--no-owner", f"--file={file}", _libpq(url)])
    click.echo(f"Backed up the database to {file}.")


@click.command("restore")
@click.argument("file", type=click.Path(exists=True, dir_okay=False, path_type=Path))
@click.confirmation_option(prompt="Replace everything in the database with the backup?")
@with_appcontext
def restore_command(file: Path) -> None:
    """Replace the database with the backup in FILE (stop the server first)."""
    url = _url()
    db.engine.dispose()
    if url.startswith("sqlite"):
        sqlite_restore(file, _sqlite_path(url))
    else:
        options = ["--clean", "--if-exists", "--no-owner", "--single-transaction"]
        _run(["pg_restore", *options, f"--dbname={_libpq(url)}", str(file)])
    click.echo(f"Restored the database from {file}.")


def sqlite_backup(source: Path, target: Path) -> None:
    """Copy source to target in one step (one read snapshot), as a file without a WAL."""
    target.unlink(missing_ok=True)
    with _open(source) as live, _open(target) as copy:
        live.backup(copy)
        copy.execute("PRAGMA journal_mode=DELETE")


def sqlite_restore(source: Path, target: Path) -> None:
    """Overwrite target's pages with source's, through SQLite, so its WAL stays coherent."""
    with _open(source) as saved, _open(target) as live:
        if not _sound(saved):
            raise BackupError(f"{source} is not a sound SQLite database; nothing was changed.")
        saved.backup(live)


def _sound(connection: sqlite3.Connection) -> bool:
    try:
        return connection.execute("PRAGMA quick_check").fetchone() == ("ok",)
    except sqlite3.DatabaseError:  # not a database at all
        return False


class _open:  # noqa: N801  (a context manager that closes, unlike sqlite3's own)
    def __init__(self, path: Path) -> None:
        self.connection = sqlite3.connect(path, timeout=30)

    def __enter__(self) -> sqlite3.Connection:
        return self.connection

    def __exit__(self, *_: object) -> None:
        self.connection.close()


def _run(command: list[str]) -> None:
    if shutil.which(command[0]) is None:
        raise BackupError(f"{command[0]} is not installed (it comes with PostgreSQL's client).")
    done = subprocess.run(command, capture_output=True, text=True, check=False)
    if done.returncode != 0:
        last = (done.stderr.strip().splitlines() or ["failed"])[-1]
        raise BackupError(f"{command[0]}: {last}")


def _url() -> str:
    url: str = current_app.config["SQLALCHEMY_DATABASE_URI"]
    return url


def _sqlite_path(url: str) -> Path:
    path = make_url(url).database
    if not path or path == ":memory:":
        raise BackupError("An in-memory SQLite database cannot be backed up.")
    return Path(path)


def _libpq(url: str) -> str:
    """The URL as libpq reads it: postgresql://, without SQLAlchemy's driver name."""
    return make_url(url).set(drivername="postgresql").render_as_string(hide_password=False)
