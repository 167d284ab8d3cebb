"""Run the app under gunicorn without a separate config file.

Threaded workers (gthread): a worker's main thread keeps telling the arbiter it is alive
while its threads stream, so a long export to a slow client is never cut by the timeout,
which then only catches a worker that is stuck as a whole.
"""

from __future__ import annotations

import os
from typing import Any

from gunicorn.app.base import BaseApplication

TIMEOUT = 120


def default_workers(cpus: int | None = None) -> int:
    """One process per core (at least 2, so a restart never leaves nobody answering): the
    work of a request is Python, which one process runs on one core at a time."""
    return max(2, cpus if cpus is not None else os.cpu_count() or 1)


def default_threads(cpus: int | None = None) -> int:
    """Threads per worker: enough that slow clients and streamed exports, which mostly
    wait, never hold every thread; more cores, more requests in flight."""
    return max(8, 4 * (cpus if cpus is not None else os.cpu_count() or 1))


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
    }


def serve(
    host: str,
    port: int,
    workers: int | None = None,
    timeout: int = TIMEOUT,
    threads: int | None = None,
) -> None:
    _Gunicorn(options(host, port, workers, timeout, threads)).run()
