"""Run the app under gunicorn without a separate config file."""

from __future__ import annotations

from typing import Any

from gunicorn.app.base import BaseApplication


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


def serve(host: str, port: int, workers: int) -> None:
    _Gunicorn(
        {"bind": f"{host}:{port}", "workers": workers, "accesslog": "-", "timeout": 120}
    ).run()
