"""Configuration: defaults, then an optional instance config file, then ANNOTATOR_* environment.

Every setting is documented in the README's configuration table; keep the two in step.
"""

from __future__ import annotations

import os
import secrets
import tomllib
from datetime import timedelta
from pathlib import Path
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from flask import Flask

DEFAULTS: dict[str, Any] = {
    "DATABASE_URL": None,  # None: a SQLite file in the instance folder
    "SECRET_KEY": None,  # None: generated once and kept in the instance folder
    "SESSION_COOKIE_SECURE": False,  # also: Secure remember cookie, HSTS
    "REMEMBER_COOKIE_DAYS": 14,  # remember cookie and server-side session lifetime
    "SESSION_COOKIE_HTTPONLY": True,
    "SESSION_COOKIE_SAMESITE": "Lax",
    "REMEMBER_COOKIE_HTTPONLY": True,
    "REMEMBER_COOKIE_SAMESITE": "Lax",
    "RATELIMIT_STORAGE_URL": "memory://",
    "LOGIN_LIMIT_PER_PAIR": "5 per minute",  # one account from one address
    "LOGIN_LIMIT_PER_ACCOUNT": "50 per hour",  # one account from anywhere: the ceiling
    "LOGIN_LIMIT_PER_ADDRESS": "20 per minute",
    "MAX_CONTENT_LENGTH": 16 * 1024 * 1024,
    "API_MAX_BODY_BYTES": 64 * 1024,
    "PASSWORD_HASH_METHOD": "argon2id",
    "SQLITE_BUSY_TIMEOUT_MS": 5000,
    "POSTGRES_LOCK_TIMEOUT_MS": 5000,  # longest wait for a lock; 0: no limit
    # FULL: an acknowledged save is on disk (one fsync per commit). NORMAL skips that fsync:
    # still safe from a crash of the app, but a power cut can lose the last saves. Opt-in.
    "SQLITE_SYNCHRONOUS": "FULL",
    "TRUSTED_PROXIES": 0,  # reverse proxies in front that set X-Forwarded-For and -Proto
    "QUEUE_URL": None,  # None: a SQLite file in the instance folder; or redis://host:port/db
    "WORKER_THREADS": 1,  # tasks the background worker runs at once
}

CONFIG_FILE = "config.toml"
MIN_SECRET_KEY_BYTES = 32
#: Keys seen in tutorials and templates; anyone could sign a session with them.
PLACEHOLDER_KEYS = {
    "dev",
    "development",
    "changeme",
    "change-me",
    "change_me",
    "secret",
    "secretkey",
    "secret-key",
    "secret_key",
    "test",
    "testing",
    "default",
    "password",
    "key",
    "example",
    "your-secret-key",
    "your_secret_key",
    "supersecret",
    "super-secret",
    "please-change-me",
}


class ConfigError(SystemExit):
    """A setting the app refuses to start with; exits with one line on stderr, no traceback."""

    def __init__(self, message: str) -> None:
        super().__init__(f"annotator: {message}")


SECRET_KEY_FILE = "secret_key"


def load_config(app: Flask, test_config: dict[str, Any] | None) -> None:
    """Fill app.config from defaults, the instance file, the environment, then test overrides."""
    app.config.from_mapping(DEFAULTS)
    app.config.from_file(CONFIG_FILE, load=tomllib.load, text=False, silent=True)
    app.config.from_prefixed_env("ANNOTATOR")
    if test_config:
        app.config.from_mapping(test_config)
    if not app.config["SECRET_KEY"]:
        app.config["SECRET_KEY"] = _instance_secret_key(Path(app.instance_path))
    check_secret_key(app.config["SECRET_KEY"])
    app.config["REMEMBER_COOKIE_DURATION"] = timedelta(days=app.config["REMEMBER_COOKIE_DAYS"])
    app.config["REMEMBER_COOKIE_SECURE"] = app.config["SESSION_COOKIE_SECURE"]
    app.config["SQLALCHEMY_DATABASE_URI"] = database_url(
        app.config["DATABASE_URL"], Path(app.instance_path)
    )
    app.config["RATELIMIT_STORAGE_URI"] = app.config["RATELIMIT_STORAGE_URL"]
    app.config["WTF_CSRF_TIME_LIMIT"] = None  # the token lives as long as the session


def check_secret_key(key: str | bytes) -> None:
    """Refuse a known placeholder or a key too short to resist guessing."""
    raw = key.encode() if isinstance(key, str) else key
    if raw.strip().decode(errors="replace").casefold() in PLACEHOLDER_KEYS:
        raise ConfigError("ANNOTATOR_SECRET_KEY is a well-known placeholder; set a random one.")
    if len(raw) < MIN_SECRET_KEY_BYTES:
        raise ConfigError(
            f"ANNOTATOR_SECRET_KEY is {len(raw)} bytes; use at least {MIN_SECRET_KEY_BYTES} random"
            " bytes (python -c 'import secrets; print(secrets.token_hex(32))'), or unset it."
        )


def database_url(configured: str | None, instance: Path) -> str:
    """The configured database URL (a SQLite file in the instance folder when none is),
    normalised so that PostgreSQL uses psycopg 3."""
    url = configured or f"sqlite:///{instance / 'annotator.db'}"
    for prefix in ("postgres://", "postgresql://"):
        if url.startswith(prefix):
            return "postgresql+psycopg://" + url[len(prefix) :]
    return url


def _instance_secret_key(instance: Path) -> str:
    """Read the instance's secret key, creating it (mode 0600) on first use."""
    path = instance / SECRET_KEY_FILE
    if path.exists():
        return path.read_text().strip()
    instance.mkdir(parents=True, exist_ok=True)
    key = secrets.token_hex(32)
    try:
        fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    except FileExistsError:  # another worker created it first
        return path.read_text().strip()
    with os.fdopen(fd, "w") as handle:
        handle.write(key)
    return key
