"""Run the app under gunicorn without a separate config file.

Threaded workers (gthread): a worker's main thread keeps telling the arbiter it is alive
while its threads stream, so a long export to a slow client is never cut by the timeout,
which then only catches a worker that is stuck as a whole.

The background worker (`annotator worker`) runs beside it as a child process that stops
with the server: on Ctrl-C, on SIGTERM, and (Linux) even when the server is killed outright.
"""

from __future__ import annotations

import ctypes
import logging
import signal
import subprocess
import sys
from typing import Any

from gunicorn.app.base import BaseApplication

THREADS = 8
TIMEOUT = 120
#: Seconds the stopping background worker gets before it is killed.
WORKER_STOP_SECONDS = 20
PR_SET_PDEATHSIG = 1

log = logging.getLogger(__name__)


class _Gunicorn(BaseApplication):  # type: ignore[misc]
    def __init__(self, options: dict[str, Any]) -> None:
        self.options = options
        super().__init__()

    def load_config(self) -> None:
        for key, value in self.options.items():
            self.cfg.set(key, value)

    def load(self) -> Any:
        from annotator import create_app

        return create_app()


def options(host: str, port: int, workers: int, timeout: int = TIMEOUT) -> dict[str, Any]:
    """gunicorn's settings for `annotator serve`."""
    return {
        "bind": f"{host}:{port}",
        "workers": workers,
        "worker_class": "gthread",
        "threads": THREADS,
        "timeout": timeout,
        "accesslog": "-",
    }


def serve(
    host: str, port: int, workers: int, timeout: int = TIMEOUT, with_worker: bool = False
) -> None:
    """Run gunicorn until it stops; the background worker, if asked for, stops with it."""
    child = start_worker() if with_worker else None
    try:
        _Gunicorn(options(host, port, workers, timeout)).run()
    finally:
        if child is not None:
            stop_worker(child)


def worker_command() -> list[str]:
    """`annotator worker`, run by this interpreter (so the same virtualenv and config)."""
    return [sys.executable, "-c", "from annotator.cli import main; main()", "worker"]


def start_worker() -> subprocess.Popen[bytes]:
    """The background worker as a child that the kernel stops if this process dies."""
    child = subprocess.Popen(worker_command(), preexec_fn=_die_with_parent)
    log.info("background worker started (pid %s)", child.pid)
    return child


def stop_worker(child: subprocess.Popen[bytes]) -> None:
    """SIGTERM, a grace period to mark a running job interrupted, then SIGKILL."""
    if child.poll() is None:
        child.send_signal(signal.SIGTERM)
    try:
        child.wait(timeout=WORKER_STOP_SECONDS)
    except subprocess.TimeoutExpired:
        child.kill()
        child.wait()


def _die_with_parent() -> None:
    """In the child, before exec: SIGTERM when the parent dies (Linux prctl), so even a
    server killed with SIGKILL leaves no orphan worker behind."""
    if sys.platform.startswith("linux"):
        libc = ctypes.CDLL(None, use_errno=True)
        libc.prctl(PR_SET_PDEATHSIG, signal.SIGTERM)
