"""Authentication events: one structured line each, naming the account and the address.

The logger is `annotator.auth` whatever module writes, so operators can route or filter it as
one stream; init_app makes sure it reaches stderr under gunicorn, where nothing else would.
"""

from __future__ import annotations

import json
import logging
import sys

from flask import request

log = logging.getLogger("annotator.auth")


class _Stderr(logging.StreamHandler):  # type: ignore[type-arg]
    """Writes to whatever sys.stderr is at the time, as logging's last resort does."""

    def __init__(self) -> None:
        logging.Handler.__init__(self)

    @property
    def stream(self) -> object:  # type: ignore[override]
        return sys.stderr


def init_app() -> None:
    """Send the auth events to stderr once per process, however many apps it builds."""
    log.setLevel(logging.INFO)
    if not any(isinstance(handler, _Stderr) for handler in log.handlers):
        handler = _Stderr()
        handler.setFormatter(logging.Formatter("%(asctime)s %(levelname)s %(name)s %(message)s"))
        log.addHandler(handler)


def record(event: str, account: str, **fields: object) -> None:
    """Log one event as key=value pairs; values are JSON-quoted, so a name cannot break the line."""
    pairs = {"event": event, "account": account, "address": request.remote_addr or "", **fields}
    log.info("%s", " ".join(f"{key}={json.dumps(value)}" for key, value in pairs.items()))
