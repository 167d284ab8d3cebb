"""What `annotator serve` does before its first page: the app is built with the garbage
collector off and frozen before the workers fork (the background worker starts the same way),
and libraries that only some requests need are imported by those requests, not by the start."""

from __future__ import annotations

import subprocess
import sys

import pytest

from tests.live_server import server_env

#: Runs the console script up to the end of the start (annotator.cli.started), where a server
#: would fork its workers and a worker wait for jobs; says how the collector stood.
UNTIL_STARTED = """
import gc
from annotator import cli

finish_start = cli.started

def report_and_stop():
    during = gc.isenabled()
    finish_start()
    print(during, gc.isenabled(), gc.get_freeze_count() > 0)
    raise SystemExit(0)

cli.started = report_and_stop
cli.main()
"""

#: Libraries the start leaves to the requests that use them: JSON bodies of the API,
#: Markdown guidelines, regex boilerplate rules, and the built-in boilerplate rules
#: (some sixty regular expressions, for imports).
LEFT_TO_REQUESTS = ("jsonschema", "markdown_it", "regex", "annotator.detection")
#: And on SQLite, PostgreSQL's dialect, which brings its drivers' modules.
NOT_ON_SQLITE = ("sqlalchemy.dialects.postgresql",)

FIRST_PAGE = """
import sys
from annotator import create_app

app = create_app()
assert app.test_client().get("/login").status_code == 200
print("imported:", *(name for name in sys.argv[1:] if name in sys.modules))
"""


def python(code: str, *args: str, database_url: str) -> str:
    command = [sys.executable, "-c", code, *args]
    done = subprocess.run(
        command, env=server_env(database_url), capture_output=True, text=True, timeout=120
    )
    assert done.returncode == 0, done.stderr
    return done.stdout.strip().splitlines()[-1]


@pytest.mark.parametrize(
    "command",
    [("serve", "--port", "5999", "--no-background-worker"), ("worker",)],  # stops before binding
    ids=["serve", "worker"],
)
def test_long_running_commands_start_without_collections_then_freeze_the_start(
    migrated: str, command: tuple[str, ...]
) -> None:
    """Collections during the start walk every object imported so far, again and again;
    frozen, the start's objects are never walked again, nor copied into forked workers."""
    assert python(UNTIL_STARTED, *command, database_url=migrated) == "False True True"


def test_the_first_page_imports_none_of_what_only_some_requests_need(migrated: str) -> None:
    unwanted = LEFT_TO_REQUESTS + (NOT_ON_SQLITE if migrated.startswith("sqlite") else ())
    assert python(FIRST_PAGE, *unwanted, database_url=migrated) == "imported:"
