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
import os
import signal
import subprocess
import sys
from typing import Any

from gunicorn.app.base import BaseApplication
from gunicorn.config import AccessLogFormat
from gunicorn.glogging import Logger

from annotator.cli import started

TIMEOUT = 120
#: Seconds the stopping background worker gets before it is killed.
WORKER_STOP_SECONDS = 20
PR_SET_PDEATHSIG = 1
#: Seconds a thread may hold the GIL while another waits (Python's default is 5 ms). A save
#: holds the database's write lock across a few SQLite calls, each of which lets the GIL go;
#: at 5 ms per hand-back the lock holder waited behind its process's other threads for most
#: of the time it held the lock, and every writer of both processes waited behind it.
SWITCH_INTERVAL = 0.0005
#: How much lower the background worker's priority is than the server's.
WORKER_NICENESS = 10

log = logging.getLogger(__name__)


def default_workers(cpus: int | None = None) -> int:
    """One process per core (at least 2, so a restart never leaves nobody answering): the
    work of a request is Python, which one process runs on one core at a time."""
    return max(2, cpus if cpus is not None else os.cpu_count() or 1)


def default_threads(cpus: int | None = None) -> int:
    """Threads per worker: enough that slow clients and streamed exports, which mostly
    wait, never hold every thread; more cores, more requests in flight."""
    return max(8, 4 * (cpus if cpus is not None else os.cpu_count() or 1))


class AccessLogger(Logger):  # type: ignore[misc]
    """gunicorn's logger, whose access line's fields are computed alone when the format is
    gunicorn's default (the one `annotator serve` uses): gunicorn makes a field of every
    request header, response header and environ variable, for formats that might name
    them, and escapes each: 24 µs of CPU a request, 11 µs this way. The line is the same."""

    def atoms(self, resp: Any, req: Any, environ: dict[str, Any], request_time: Any) -> Any:
        if self.cfg.access_log_format != AccessLogFormat.default:
            return super().atoms(resp, req, environ, request_time)
        status = resp.status
        if isinstance(status, str):
            status = status.split(None, 1)[0]
        sent = getattr(resp, "sent", None)
        return {
            "h": environ.get("REMOTE_ADDR", "-"),
            "l": "-",
            "u": self._get_user(environ) or "-",
            "t": self.now(),
            "r": f"{environ['REQUEST_METHOD']} {environ['RAW_URI']} {environ['SERVER_PROTOCOL']}",
            "s": status,
            "b": sent is not None and str(sent) or "-",
            "f": environ.get("HTTP_REFERER", "-"),
            "a": environ.get("HTTP_USER_AGENT", "-"),
        }


#: Settings that older gunicorn releases (which pyproject allows) do not have: left out there.
NEWER_SETTINGS = frozenset({"control_socket_disable"})


class _Gunicorn(BaseApplication):  # type: ignore[misc]
    def __init__(self, options: dict[str, Any]) -> None:
        self.options = options
        super().__init__()

    def load_config(self) -> None:
        for key, value in self.options.items():
            if key in self.cfg.settings or key not in NEWER_SETTINGS:
                self.cfg.set(key, value)

    def load(self) -> Any:
        from annotator import create_app

        app = create_app()
        started()  # the workers fork from here: see annotator.cli.LONG_RUNNING
        return app


def options(
    host: str,
    port: int,
    workers: int | None = None,
    timeout: int = TIMEOUT,
    threads: int | None = None,
) -> dict[str, Any]:
    """gunicorn's settings for `annotator serve`; workers and threads follow the CPU count
    unless given."""
    return {
        "bind": f"{host}:{port}",
        "workers": workers or default_workers(),
        "worker_class": "gthread",
        "threads": threads or default_threads(),
        # The master imports the app once and forks ready workers: a start is one import
        # of the app, not one per worker. create_app opens no connection to inherit.
        "preload_app": True,
        "timeout": timeout,
        "accesslog": "-",
        # gunicorn 27's control socket sits at one path per user (~/.gunicorn/gunicorn.ctl),
        # shared by every server on the machine; nothing here uses it.
        "control_socket_disable": True,
        "logger_class": AccessLogger,
    }


def serve(
    host: str,
    port: int,
    workers: int | None = None,
    timeout: int = TIMEOUT,
    threads: int | None = None,
    with_worker: bool = False,
) -> None:
    """Run gunicorn until it stops; the background worker, if asked for, stops with it.

    The worker starts once gunicorn listens (its when_ready hook, in this process), not
    before: its own start (0.6 s of imports) would otherwise take a core from the server's
    and delay the first page by a third of a second."""
    children: list[subprocess.Popen[bytes]] = []
    sys.setswitchinterval(SWITCH_INTERVAL)  # the forked workers inherit it
    settings = options(host, port, workers, timeout, threads)
    if with_worker:
        settings["when_ready"] = lambda _arbiter: children.append(start_worker())
    try:
        _Gunicorn(settings).run()
    finally:
        for child in children:
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
    server killed with SIGKILL leaves no orphan worker behind. At a lower priority: its
    start (0.6 s of imports) and its model runs never take a core from a page request."""
    os.nice(WORKER_NICENESS)
    if sys.platform.startswith("linux"):
        libc = ctypes.CDLL(None, use_errno=True)
        libc.prctl(PR_SET_PDEATHSIG, signal.SIGTERM)
