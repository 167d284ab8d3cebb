"""Configuration: instance secret key, ANNOTATOR_* environment, instance config file."""

import os
import stat
from pathlib import Path

import pytest

from annotator import create_app


@pytest.fixture
def instance(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    monkeypatch.setenv("ANNOTATOR_INSTANCE_PATH", str(tmp_path))
    return tmp_path


def test_secret_key_is_generated_once_with_private_permissions(instance: Path) -> None:
    first = create_app({"DATABASE_URL": "sqlite://"})
    key_file = instance / "secret_key"
    assert stat.S_IMODE(os.stat(key_file).st_mode) == 0o600
    assert first.config["SECRET_KEY"] == key_file.read_text()
    assert len(first.config["SECRET_KEY"]) == 64
    assert create_app({"DATABASE_URL": "sqlite://"}).config["SECRET_KEY"] == first.secret_key


def test_default_database_is_sqlite_in_the_instance_folder(instance: Path) -> None:
    app = create_app()
    assert app.config["SQLALCHEMY_DATABASE_URI"] == f"sqlite:///{instance / 'annotator.db'}"


def test_environment_overrides_with_the_annotator_prefix(
    instance: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("ANNOTATOR_DATABASE_URL", "postgres://u@db.example/annotator")
    monkeypatch.setenv("ANNOTATOR_SECRET_KEY", "from-env, a key of 32 bytes or more")
    monkeypatch.setenv("ANNOTATOR_SESSION_COOKIE_SECURE", "true")
    app = create_app()
    assert app.config["SQLALCHEMY_DATABASE_URI"] == "postgresql+psycopg://u@db.example/annotator"
    assert app.secret_key == "from-env, a key of 32 bytes or more"
    assert app.config["SESSION_COOKIE_SECURE"] is True
    assert not (instance / "secret_key").exists()


def test_instance_config_file_is_read_and_environment_wins(
    instance: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    (instance / "config.toml").write_text(
        'SECRET_KEY = "from-file, a key of 32 bytes or more"\n'
        'LOGIN_LIMIT_PER_ACCOUNT = "3 per minute"\n'
    )
    monkeypatch.setenv("ANNOTATOR_LOGIN_LIMIT_PER_ACCOUNT", "4 per minute")
    app = create_app()
    assert app.secret_key == "from-file, a key of 32 bytes or more"
    assert app.config["LOGIN_LIMIT_PER_ACCOUNT"] == "4 per minute"
