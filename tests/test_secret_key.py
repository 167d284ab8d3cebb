"""The secret key: a known placeholder or a key under 32 bytes stops the app from starting."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

from annotator import create_app
from annotator.config import ConfigError
from tests.conftest import make_config

ROOT = Path(__file__).resolve().parents[1]


@pytest.mark.parametrize("key", ["dev", "changeme", "secret", "test", " Secret-Key "])
def test_a_placeholder_secret_key_is_refused(migrated: str, key: str) -> None:
    with pytest.raises(ConfigError, match="well-known placeholder"):
        create_app(make_config(migrated, SECRET_KEY=key))


def test_a_secret_key_under_32_bytes_is_refused(migrated: str) -> None:
    with pytest.raises(ConfigError, match="is 31 bytes; use at least 32"):
        create_app(make_config(migrated, SECRET_KEY="k" * 31))
    assert create_app(make_config(migrated, SECRET_KEY="k" * 32)).secret_key == "k" * 32


def test_the_command_says_so_in_one_line(tmp_path: Path) -> None:
    env = {
        **os.environ,
        "ANNOTATOR_SECRET_KEY": "dev",
        "ANNOTATOR_INSTANCE_PATH": str(tmp_path),
        "PYTHONPATH": str(ROOT),
    }
    args = [sys.executable, "-c", "from annotator.cli import main; main()", "serve"]
    done = subprocess.run(args, env=env, capture_output=True, text=True, timeout=60)
    assert done.returncode == 1
    assert done.stderr.strip().splitlines() == [
        "annotator: ANNOTATOR_SECRET_KEY is a well-known placeholder; set a random one."
    ]
