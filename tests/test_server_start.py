"""What `annotator serve` does before its first page: the app is built with the garbage
collector off and frozen before the workers fork, and libraries that only some requests need
are imported by those requests, not by the start."""

from __future__ import annotations

import subprocess
import sys

from tests.live_server import free_port, server_env

#: Runs the console script with gunicorn's master stopped once it has loaded the app.
SERVE_UNTIL_LOADED = """
import gc
from annotator import cli, server

def load_and_report(self):
    collecting_while_starting = gc.isenabled()
    self.wsgi()  # what gunicorn's master does before it forks the workers (preload_app)
    print(collecting_while_starting, gc.isenabled(), gc.get_freeze_count() > 0)

server._Gunicorn.run = load_and_report
cli.main()
"""

#: Libraries the start leaves to the requests that use them: JSON bodies of the API,
#: Markdown guidelines, regex boilerplate rules.
LEFT_TO_REQUESTS = ("jsonschema", "markdown_it", "regex")

FIRST_PAGE = f"""
import sys
from annotator import create_app

app = create_app()
assert app.test_client().get("/login").status_code == 200
print("imported:", *(name for name in {LEFT_TO_REQUESTS!r} if name in sys.modules))
"""


def python(code: str, *args: str, database_url: str) -> str:
    command = [sys.executable, "-c", code, *args]
    done = subprocess.run(
        command, env=server_env(database_url), capture_output=True, text=True, timeout=120
    )
    assert done.returncode == 0, done.stderr
    return done.stdout.strip().splitlines()[-1]


def test_serve_builds_the_app_without_collections_then_freezes_it(migrated: str) -> None:
    """Collections during the start walk every object imported so far, again and again;
    frozen, the start's objects are never walked again, nor copied into the workers."""
    args = ("serve", "--port", str(free_port()), "--no-background-worker")
    assert python(SERVE_UNTIL_LOADED, *args, database_url=migrated) == "False True True"


def test_the_first_page_imports_none_of_what_only_some_requests_need(migrated: str) -> None:
    assert python(FIRST_PAGE, database_url=migrated) == "imported:"
