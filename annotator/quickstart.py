"""The fresh-start commands without Flask or SQLAlchemy: `db upgrade`, `user create ...
--generate` and `user ensure-admin` on a SQLite database.

Importing Flask, SQLAlchemy and the models takes half a second; these commands need none of
them on a fresh SQLite instance: the schema comes from the migrations' snapshot
(annotator.snapshot), and a user is one row and one audit row. They write exactly what the
Flask commands write (tests/test_quickstart.py compares the rows) and print the same lines.
Anything else, or anything unusual (another database, other options, a configuration this
module cannot read as load_config does), goes through the Flask commands: run() says False.
"""

from __future__ import annotations

import json
import os
import sqlite3
import sys
import tomllib
from collections.abc import Iterator
from contextlib import closing, contextmanager
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from annotator import snapshot
from annotator.config import CONFIG_FILE, DEFAULTS, _instance_secret_key, check_secret_key
from annotator.usernames import AccountError, generate_password, normalise_username, username_key

#: The values of annotator.models.Role (a test keeps them equal).
ROLES = ("admin", "reviewer", "annotator")
PREFIX = "ANNOTATOR_"


class Unsure(Exception):
    """A case for the Flask commands: this module would have to guess."""


def run(argv: list[str]) -> bool:
    """Run argv if it is a fresh-start command this module answers; False if not (nothing
    was done, nothing printed)."""
    try:
        command = _command(argv)
        if command is None:
            return False
        command(_settings())
    except Unsure:
        return False
    except AccountError as exc:
        print(f"Error: {exc}", file=sys.stderr)
        raise SystemExit(1) from None
    return True


def server_url(host: str, port: int) -> str:
    """The address a browser opens for a server bound to host:port."""
    shown = "127.0.0.1" if host in ("0.0.0.0", "") else f"[{host}]" if ":" in host else host
    return f"http://{shown}:{port}"


# --- arguments ---------------------------------------------------------------------------


def _command(argv: list[str]) -> Any:
    """The function for argv, or None; options are read as click reads them, or not at all."""
    if argv in (["db", "upgrade"], ["db", "upgrade", "head"]):
        return _upgrade
    if argv[:2] == ["user", "create"]:
        return _create_command(argv[2:])
    if argv[:2] == ["user", "ensure-admin"]:
        return _ensure_admin_command(argv[2:])
    return None


def command_options(
    args: list[str], flags: set[str], valued: set[str]
) -> tuple[list[str], dict[str, str]]:
    """Positional arguments and options (--name value, --name=value, flags); Unsure if
    anything else is there (--help, an unknown option, a repeated one)."""
    positional: list[str] = []
    found: dict[str, str] = {}
    items = iter(args)
    for item in items:
        name, equals, value = item.partition("=")
        if name in valued:
            value = value if equals else next(items, "")
            if not value or value.startswith("-"):
                raise Unsure
        elif item in flags:
            value = ""
        elif item.startswith("-"):
            raise Unsure
        else:
            positional.append(item)
            continue
        if name in found:
            raise Unsure
        found[name] = value
    return positional, found


def _create_command(args: list[str]) -> Any:
    """`user create NAME [--role ROLE] --generate`; a prompted password needs the Flask path."""
    positional, options = command_options(args, {"--generate"}, {"--role"})
    role = options.get("--role", "annotator")
    if len(positional) != 1 or "--generate" not in options or role not in ROLES:
        raise Unsure
    return lambda settings: _create(settings, positional[0], role)


def _ensure_admin_command(args: list[str]) -> Any:
    """`user ensure-admin [--username U] [--host H] [--port P]`."""
    positional, options = command_options(args, set(), {"--username", "--host", "--port"})
    port = options.get("--port", "5000")
    if positional or not port.isdigit():
        raise Unsure
    username = options.get("--username", "admin")
    url = f"{server_url(options.get('--host', '127.0.0.1'), int(port))}/login"
    return lambda settings: _ensure_admin(settings, username, url)


# --- configuration -----------------------------------------------------------------------


def default_instance_path() -> Path:
    """Flask's instance folder for this package when ANNOTATOR_INSTANCE_PATH is unset
    (flask.sansio.scaffold.find_package): beside the checkout, or under the installation
    prefix (a test compares it with the app's)."""
    package_path = Path(__file__).resolve().parent.parent
    prefix = Path(os.path.abspath(sys.prefix))
    if package_path.is_relative_to(prefix):
        return prefix / "var" / "annotator-instance"
    if package_path.name.lower() == "site-packages":
        parent = package_path.parent
        if parent.name.lower() == "lib":
            return parent.parent / "var" / "annotator-instance"
        if parent.parent.name.lower() == "lib":
            return parent.parent.parent / "var" / "annotator-instance"
        return parent / "var" / "annotator-instance"
    return package_path / "instance"


def _settings() -> dict[str, Any]:
    """read_settings(), and the SQLite file this module writes to (Unsure for another
    database)."""
    found = read_settings()
    found["DATABASE_PATH"] = _sqlite_path(found["DATABASE_URL"], found["INSTANCE_PATH"])
    return found


def read_settings() -> dict[str, Any]:
    """The settings load_config would give: defaults, the instance file, ANNOTATOR_* (each
    value read as JSON, else as text), the secret key checked or created; and the instance
    folder as INSTANCE_PATH."""
    instance = os.environ.get("ANNOTATOR_INSTANCE_PATH") or str(default_instance_path())
    if not os.path.isabs(instance):
        raise Unsure  # Flask refuses it: let it say so
    found = dict(DEFAULTS)
    try:
        with open(Path(instance) / CONFIG_FILE, "rb") as handle:
            found.update((k, v) for k, v in tomllib.load(handle).items() if k.isupper())
    except FileNotFoundError:
        pass
    except (OSError, tomllib.TOMLDecodeError):
        raise Unsure from None
    for key in sorted(os.environ):
        if key.startswith(PREFIX):
            if "__" in key:
                raise Unsure
            found[key.removeprefix(PREFIX)] = _env_value(os.environ[key])
    if not found["SECRET_KEY"]:
        found["SECRET_KEY"] = _instance_secret_key(Path(instance))
    check_secret_key(found["SECRET_KEY"])
    found["INSTANCE_PATH"] = Path(instance)
    return found


def _env_value(raw: str) -> Any:
    try:
        return json.loads(raw)
    except ValueError:
        return raw


def _sqlite_path(url: Any, instance: Path) -> Path:
    """The SQLite file of the configured database; Unsure for any other database, or a URL
    that SQLAlchemy might read otherwise (query options, escapes, memory)."""
    if not url:
        return instance / "annotator.db"
    if not isinstance(url, str) or not url.startswith("sqlite:///"):
        raise Unsure
    path = url.removeprefix("sqlite:///")
    if not path or path == ":memory:" or any(c in path for c in "?%#"):
        raise Unsure
    return Path(path)


def _connect(settings: dict[str, Any]) -> sqlite3.Connection:
    """A connection set up as annotator.database sets up SQLite's (WAL, foreign keys, busy
    timeout), in autocommit mode: each command begins its own transaction."""
    path: Path = settings["DATABASE_PATH"]
    path.parent.mkdir(parents=True, exist_ok=True)
    busy = int(settings["SQLITE_BUSY_TIMEOUT_MS"])
    connection = sqlite3.connect(path, timeout=busy / 1000, isolation_level=None)
    connection.execute("PRAGMA journal_mode=WAL")
    connection.execute("PRAGMA foreign_keys=ON")
    connection.execute(f"PRAGMA busy_timeout={busy}")
    return connection


# --- commands ----------------------------------------------------------------------------


def _upgrade(settings: dict[str, Any]) -> None:
    """`db upgrade`: the snapshot on an empty database, nothing at the head; then the
    default project. Any other revision needs Alembic."""
    head = snapshot.head_from_files()
    if head is None or snapshot.revision() != head:
        raise Unsure
    with closing(_connect(settings)) as connection:
        if snapshot.is_empty(connection):
            snapshot.load(connection)
        if _revision(connection) != head:
            raise Unsure
        slug = _ensure_default_project(connection)
    print(f"Database at {head}; default project: {slug}")


def _revision(connection: sqlite3.Connection) -> str | None:
    """The database's migration revision; None without one (or with several)."""
    if not connection.execute(
        "SELECT 1 FROM sqlite_master WHERE type = 'table' AND name = 'alembic_version'"
    ).fetchone():
        return None
    rows = connection.execute("SELECT version_num FROM alembic_version").fetchall()
    return str(rows[0][0]) if len(rows) == 1 else None


def _ensure_default_project(connection: sqlite3.Connection) -> str:
    """annotator.projects.ensure_default_project: the default project unless any exists."""
    from annotator.schema import DEFAULT_PROJECT, DEFAULT_SCHEMA, DEFAULT_SETTINGS

    with _immediate(connection):
        first = connection.execute("SELECT slug FROM project ORDER BY id LIMIT 1").fetchone()
        if first is None:
            row = {
                **DEFAULT_PROJECT,
                "label_schema": json.dumps(DEFAULT_SCHEMA),
                "settings": json.dumps(DEFAULT_SETTINGS),
                "created_at": _now(),
            }
            _insert(connection, "project", row)
    return str(first[0]) if first else str(DEFAULT_PROJECT["slug"])


def _at_head(settings: dict[str, Any]) -> sqlite3.Connection:
    """A connection to a database at the newest migration; Unsure otherwise, so the Flask
    command says what is wrong."""
    head = snapshot.head_from_files()
    if settings["PASSWORD_HASH_METHOD"] != "argon2id" or head is None:
        raise Unsure
    if not settings["DATABASE_PATH"].is_file():
        raise Unsure
    connection = _connect(settings)
    if _revision(connection) != head:
        connection.close()
        raise Unsure
    return connection


def _create(settings: dict[str, Any], username: str, role: str) -> None:
    """`user create NAME --role ROLE --generate`."""
    name = normalise_username(username)
    password = generate_password()
    with closing(_at_head(settings)) as connection:
        _add_user(connection, name, password, role)
    print(f"Created {role} {name!r}.")
    print(f"Password (shown once): {password}")


def _ensure_admin(settings: dict[str, Any], username: str, url: str) -> None:
    """`user ensure-admin`: an admin with a generated password unless the user exists."""
    with closing(_at_head(settings)) as connection:
        existing = _find_user(connection, username)
        if existing is not None:
            print(f"Log in at {url} as {existing!r} (password printed when created;")
            print(f"  to set a new one: annotator user set-password {existing} --generate)")
            return
        password = generate_password()
        _add_user(connection, normalise_username(username), password, "admin")
    print(f"Created admin {username!r}. Log in at {url}")
    print(f"  username: {username}\n  password: {password}   (shown once)")


def _find_user(connection: sqlite3.Connection, username: str) -> str | None:
    row = connection.execute(
        'SELECT username FROM "user" WHERE username_key = ?', (username_key(username),)
    ).fetchone()
    return str(row[0]) if row else None


def _add_user(connection: sqlite3.Connection, name: str, password: str, role: str) -> None:
    """The rows accounts.create_user and audit.record write: the user, its audit entry."""
    from annotator.hashing import hash_password  # argon2: 0.02 s to import

    password_hash = hash_password(password, "argon2id")  # before the lock: it takes a while
    with _immediate(connection):
        if _find_user(connection, name) is not None:
            raise AccountError(f"A user named {name!r} exists already.")
        user = {
            "username": name,
            "username_key": username_key(name),
            "password_hash": password_hash,
            "role": role,
            "active": 1,
            "must_change_password": 0,
            "session_epoch": 0,
            "created_at": _now(),
        }
        user_id = _insert(connection, "user", user)
        state = {"username": name, "role": role, "active": True, "must_change_password": False}
        audit = {
            "action": "user.create",
            "target_type": "user",
            "target_id": str(user_id),
            "before": "null",
            "after": json.dumps(state),
            "created_at": _now(),
        }
        _insert(connection, "audit_log", audit)


@contextmanager
def _immediate(connection: sqlite3.Connection) -> Iterator[None]:
    """A write transaction taken at once (BEGIN IMMEDIATE): what it reads cannot change before
    it writes. Committed at the end of the block, rolled back if the block raises."""
    connection.execute("BEGIN IMMEDIATE")
    try:
        yield
    except BaseException:
        connection.execute("ROLLBACK")
        raise
    connection.execute("COMMIT")


def _insert(connection: sqlite3.Connection, table: str, row: dict[str, Any]) -> int:
    columns = ", ".join(f'"{name}"' for name in row)
    marks = ", ".join("?" for _ in row)
    cursor = connection.execute(
        f'INSERT INTO "{table}" ({columns}) VALUES ({marks})', tuple(row.values())
    )
    return int(cursor.lastrowid or 0)


def _now() -> str:
    """annotator.models.utcnow as SQLAlchemy stores a datetime in SQLite."""
    return datetime.now(UTC).strftime("%Y-%m-%d %H:%M:%S.%f")
