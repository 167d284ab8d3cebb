"""The task queue between the web process and the background worker: huey.

Storage is a SQLite file in the instance folder unless ANNOTATOR_QUEUE_URL names another:
`redis://host:port/db` in production (several web workers and machines share it), or
`sqlite:///path`. The queue is built on first use, so creating the app opens nothing.
Messages carry only a job id; the job's state lives in the database (pipelines/jobs.py).
"""

from __future__ import annotations

import threading
from pathlib import Path
from typing import TYPE_CHECKING, Any

from flask import Flask

from annotator.config import ConfigError

if TYPE_CHECKING:
    from huey import Huey

#: Names the queue inside its storage (Redis keys, SQLite rows).
QUEUE_NAME = "annotator"
QUEUE_FILE = "queue.sqlite3"
REDIS_SCHEMES = ("redis://", "rediss://", "unix://")
SQLITE_SCHEME = "sqlite:///"
_EXTENSION = "annotator.queue"
#: Seconds before an unreachable Redis is an error: a request that queues a job must not
#: hang on it. Reads wait longer than the worker's blocking poll (1 s).
REDIS_CONNECT_TIMEOUT = 5
REDIS_READ_TIMEOUT = 30
_lock = threading.Lock()


def init_app(app: Flask) -> None:
    """Refuse a queue URL the worker could not use, at start-up rather than at first job."""
    queue_url(app)


def queue_url(app: Flask) -> str:
    """The configured queue URL, or the instance folder's SQLite file."""
    url = app.config.get("QUEUE_URL") or f"{SQLITE_SCHEME}{Path(app.instance_path) / QUEUE_FILE}"
    if not str(url).startswith((*REDIS_SCHEMES, SQLITE_SCHEME)):
        raise ConfigError(
            f"ANNOTATOR_QUEUE_URL must start with redis://, rediss://, unix:// or sqlite:///,"
            f" not {url!r}."
        )
    return str(url)


def build_queue(url: str) -> Huey:
    """A huey instance on the storage the URL names; no connection is made until it is used.

    huey is imported here, not at the top: it imports redis and psycopg (0.15 s), which a
    command that queues nothing (`db upgrade`, `user ensure-admin`) should not pay for."""
    from huey import RedisHuey, SqliteHuey
    from redis import ConnectionPool

    if url.startswith(REDIS_SCHEMES):
        pool = ConnectionPool.from_url(
            url, socket_connect_timeout=REDIS_CONNECT_TIMEOUT, socket_timeout=REDIS_READ_TIMEOUT
        )
        return RedisHuey(QUEUE_NAME, connection_pool=pool, results=False)
    filename = url[len(SQLITE_SCHEME) :]
    Path(filename).parent.mkdir(parents=True, exist_ok=True)
    return SqliteHuey(QUEUE_NAME, filename=filename, results=False)


def get_queue(app: Flask) -> Huey:
    """The app's queue with its tasks registered, built once per process."""
    with _lock:
        queue: Huey | None = app.extensions.get(_EXTENSION)
        if queue is None:
            queue = build_queue(queue_url(app))
            _register_tasks(queue, app)
            app.extensions[_EXTENSION] = queue
        return queue


def _register_tasks(queue: Huey, app: Flask) -> None:
    """Tasks run inside the app they were registered with, so the worker sees its config."""

    def run_pipeline_job(job_id: int) -> None:
        from annotator.pipelines.runner import run_job_in_app

        run_job_in_app(app, job_id)

    app.extensions[_EXTENSION + ".tasks"] = {"run_pipeline_job": queue.task()(run_pipeline_job)}


def enqueue_job(app: Flask, job_id: int) -> None:
    """Put a pipeline job on the queue; raises if the storage cannot be reached."""
    get_queue(app)
    task: Any = app.extensions[_EXTENSION + ".tasks"]["run_pipeline_job"]
    task(job_id)
