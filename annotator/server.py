"""Run the app under gunicorn without a separate config file.

Threaded workers (gthread): a worker's main thread keeps telling the arbiter it is alive
while its threads stream, so a long export to a slow client is never cut by the timeout,
which then only catches a worker that is stuck as a whole.
"""

from __future__ import annotations

from typing import Any

from gunicorn.app.base import BaseApplication

THREADS = 8
TIMEOUT = 120


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


def serve(host: str, port: int, workers: int, timeout: int = TIMEOUT) -> None:
    _Gunicorn(options(host, port, workers, timeout)).run()
