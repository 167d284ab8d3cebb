"""The fresh-start commands without Flask (annotator.quickstart) do what the Flask commands do:
the migrations' schema, the same rows, the same lines printed; anything else is left to Flask."""

import re
import sqlite3
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest
from flask import Flask

from annotator import create_app, quickstart, snapshot
from annotator.models import Role
from tests.test_migrations import _schema

SECRET = "test secret key, 32 bytes or longer"
TIMESTAMP = re.compile(r"\d{4}-\d\d-\d\d \d\d:\d\d:\d\d\.\d{6}")


@pytest.fixture
def instance(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """An empty instance folder that both paths read their settings from."""
    for key in [k for k in __import__("os").environ if k.startswith("ANNOTATOR_")]:
        monkeypatch.delenv(key)
    monkeypatch.setenv("ANNOTATOR_INSTANCE_PATH", str(tmp_path / "quick"))
    monkeypatch.setenv("ANNOTATOR_SECRET_KEY", SECRET)
    return tmp_path / "quick"


def quick(argv: list[str], capsys: pytest.CaptureFixture[str]) -> str:
    assert quickstart.run(argv), f"{argv} went to the Flask commands"
    return capsys.readouterr().out


def flask_app(folder: Path) -> Flask:
    """The app on another instance folder, hashing passwords as production does."""
    return create_app({"DATABASE_URL": f"sqlite:///{folder / 'annotator.db'}", "TESTING": True})


def through_flask(app: Flask, argv: list[str]) -> str:
    result = app.test_cli_runner().invoke(args=argv)
    assert result.exit_code == 0, result.output
    return result.output


def rows(path: Path, table: str) -> list[dict[str, Any]]:
    """Every row, with what differs by nature (time, salt, password) made comparable."""
    connection = sqlite3.connect(path)
    connection.row_factory = sqlite3.Row
    found = []
    for row in connection.execute(f'SELECT * FROM "{table}" ORDER BY id'):
        values = dict(row)
        for key in ("created_at",):
            assert TIMESTAMP.fullmatch(values.pop(key)), values
        if "password_hash" in values:
            values["password_hash"] = values["password_hash"].rsplit("$", 2)[0]
        found.append(values)
    connection.close()
    return found


def test_upgrade_then_create_write_what_the_flask_commands_write(
    instance: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    said = quick(["db", "upgrade"], capsys) + quick(
        ["user", "create", "Admin", "--role", "admin", "--generate"], capsys
    )
    app = flask_app(tmp_path / "flask")
    expected = through_flask(app, ["db", "upgrade"]) + through_flask(
        app, ["user", "create", "Admin", "--role", "admin", "--generate"]
    )
    assert _passwordless(said) == _passwordless(expected)
    for table in ("project", "user", "audit_log", "alembic_version"):
        fast, slow = tmp_path / "quick" / "annotator.db", tmp_path / "flask" / "annotator.db"
        if table == "alembic_version":
            assert _versions(fast) == _versions(slow) == [snapshot.head_from_files()]
        else:
            assert rows(fast, table) == rows(slow, table), table


def test_the_created_admin_logs_in_through_the_app(
    instance: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    quick(["db", "upgrade"], capsys)
    said = quick(["user", "create", "admin", "--role=admin", "--generate"], capsys)
    password = said.split("Password (shown once): ")[1].strip()
    app = flask_app(instance)
    client = app.test_client()
    page = client.get("/login").get_data(as_text=True)
    token = re.search(r'name="csrf_token"[^>]*value="([^"]+)"', page)
    assert token
    data = {"username": "admin", "password": password, "csrf_token": token.group(1)}
    response = client.post("/login", data=data)
    assert response.status_code == 302
    assert response.headers["Location"] == "/"
    assert client.get("/admin/users").status_code == 200  # logged in, as an admin


def test_ensure_admin_creates_once_then_says_how_to_log_in(
    instance: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    quick(["db", "upgrade"], capsys)
    argv = ["user", "ensure-admin", "--host", "0.0.0.0", "--port=8123"]
    first, second = quick(argv, capsys), quick(argv, capsys)
    app = flask_app(tmp_path / "flask")
    through_flask(app, ["db", "upgrade"])
    assert _passwordless(first) == _passwordless(through_flask(app, argv))
    assert second == through_flask(app, argv)
    assert "http://127.0.0.1:8123/login" in second
    fast, slow = instance / "annotator.db", tmp_path / "flask" / "annotator.db"
    assert rows(fast, "user") == rows(slow, "user")
    assert rows(fast, "audit_log") == rows(slow, "audit_log")


def test_a_taken_name_is_one_line_and_changes_nothing(
    instance: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    quick(["db", "upgrade"], capsys)
    quick(["user", "create", "anna", "--generate"], capsys)
    with pytest.raises(SystemExit) as exited:
        quickstart.run(["user", "create", "ANNA", "--generate"])
    assert exited.value.code == 1
    assert capsys.readouterr().err == "Error: A user named 'ANNA' exists already.\n"
    assert len(rows(instance / "annotator.db", "user")) == 1


def test_the_snapshot_builds_the_schema_the_migrations_build(
    instance: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    quick(["db", "upgrade"], capsys)
    migrated = tmp_path / "migrated.db"
    migrated.write_bytes(b"")
    app = flask_app(tmp_path / "flask")
    with app.app_context():
        from sqlalchemy import create_engine

        from annotator import database

        engine = create_engine(f"sqlite:///{migrated}")
        database.migrate("head", engine)
        engine.dispose()
    assert _schema(f"sqlite:///{instance / 'annotator.db'}") == _schema(f"sqlite:///{migrated}")
    assert _master(instance / "annotator.db") == _master(migrated)
    with sqlite3.connect(instance / "annotator.db") as connection:
        assert connection.execute("PRAGMA journal_mode").fetchone() == ("wal",)


@pytest.mark.parametrize(
    "argv",
    [
        ["db", "upgrade", "0003"],
        ["db", "downgrade", "base"],
        ["user", "create", "anna"],  # prompts for a password: the web forms' rule
        ["user", "create", "anna", "--generate", "--role", "boss"],
        ["user", "create", "--help"],
        ["user", "ensure-admin", "--port", "http"],
        ["user", "ensure-admin", "--verbose"],
        ["serve"],
        [],
    ],
)
def test_anything_else_goes_to_the_flask_commands(instance: Path, argv: list[str]) -> None:
    assert not quickstart.run(argv)
    assert not instance.exists() or not (instance / "annotator.db").exists()


@pytest.mark.parametrize(
    "url",
    ["postgresql://u@localhost/db", "sqlite://", "sqlite:///:memory:", "sqlite:///a.db?mode=ro"],
)
def test_other_databases_go_to_the_flask_commands(
    instance: Path, url: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("ANNOTATOR_DATABASE_URL", url)
    assert not quickstart.run(["db", "upgrade"])


def test_a_database_set_in_the_instance_file_is_the_one_used(
    instance: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    instance.mkdir()
    target = tmp_path / "elsewhere" / "data.db"
    (instance / "config.toml").write_text(f'DATABASE_URL = "sqlite:///{target}"\n')
    quick(["db", "upgrade"], capsys)
    assert _versions(target) == [snapshot.head_from_files()]
    assert create_app().config["SQLALCHEMY_DATABASE_URI"] == f"sqlite:///{target}"


def test_a_placeholder_secret_key_is_refused_as_the_app_refuses_it(
    instance: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("ANNOTATOR_SECRET_KEY", "changeme")
    with pytest.raises(SystemExit, match="well-known placeholder"):
        quickstart.run(["db", "upgrade"])


def test_the_default_instance_folder_is_flasks(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv("ANNOTATOR_INSTANCE_PATH", raising=False)
    monkeypatch.setenv("ANNOTATOR_SECRET_KEY", SECRET)
    app = create_app({"DATABASE_URL": "sqlite://"})
    assert str(quickstart.default_instance_path()) == app.instance_path


def test_the_roles_are_the_models() -> None:
    assert tuple(role.value for role in Role) == quickstart.ROLES


def test_the_console_script_starts_them_without_flask_or_sqlalchemy(instance: Path) -> None:
    """The point of it all: half a second of imports left out."""
    script = (
        "import sys; from annotator.cli import main; sys.argv = ['annotator', 'db', 'upgrade'];"
        " main(); sys.argv = ['annotator', 'user', 'create', 'a', '--generate']; main();"
        " heavy = {'flask', 'sqlalchemy', 'werkzeug', 'alembic'} & set(sys.modules);"
        " assert not heavy, heavy"
    )
    done = subprocess.run([sys.executable, "-c", script], capture_output=True, text=True)
    assert done.returncode == 0, done.stderr
    assert "Created annotator 'a'." in done.stdout


def _passwordless(said: str) -> str:
    return re.sub(r"(?i)(password(?: \(shown once\))?: )\S+", r"\1…", said)


def _versions(path: Path) -> list[str]:
    with sqlite3.connect(path) as connection:
        return [row[0] for row in connection.execute("SELECT version_num FROM alembic_version")]


def _master(path: Path) -> list[tuple[str, ...]]:
    """The schema as SQLite recorded it, in the form that ignores the order of constraints."""
    with sqlite3.connect(path) as connection:
        return snapshot.canonical(snapshot.dump(connection, "any"))
