"""`annotator worker`: the background worker that runs pipeline jobs from the queue."""

from __future__ import annotations

import atexit
import logging
from urllib.parse import urlsplit, urlunsplit

import click
from flask import current_app
from flask.cli import with_appcontext

from annotator.cli import started
from annotator.pipelines.queue import get_queue, queue_url

#: Seconds a stopping worker waits for a running job to reach its next batch and stop.
SHUTDOWN_SECONDS = 10


@click.command("worker")
@click.option("--threads", type=int, default=None, help="Jobs at once (default: WORKER_THREADS).")
@with_appcontext
def worker_command(threads: int | None) -> None:
    """Run the background worker: pipeline jobs from the queue, until Ctrl-C or SIGTERM."""
    from annotator.extensions import db
    from annotator.pipelines.consumer import GracefulConsumer
    from annotator.pipelines.runner import fail_abandoned, mark_interrupted

    started()  # see annotator.cli.LONG_RUNNING
    app = current_app._get_current_object()  # type: ignore[attr-defined]
    if not logging.getLogger().handlers:
        logging.basicConfig(level=logging.INFO, format="%(asctime)s %(name)s %(message)s")
    count = threads or int(app.config["WORKER_THREADS"])
    queue = get_queue(app)
    atexit.register(mark_interrupted, app)
    abandoned = fail_abandoned(db.session)
    if abandoned:
        click.echo(f"Marked {abandoned} job(s) of a worker that is gone as failed.", err=True)
    click.echo(f"Worker: {count} thread(s) on the queue at {redacted(queue_url(app))}", err=True)
    consumer = GracefulConsumer(
        queue, workers=count, periodic=False, shutdown_timeout=SHUTDOWN_SECONDS
    )
    consumer.run()


def redacted(url: str) -> str:
    """The URL without its password, for logs."""
    parts = urlsplit(url)
    if not parts.password:
        return url
    netloc = parts.netloc.replace(f":{parts.password}@", ":***@")
    return urlunsplit(parts._replace(netloc=netloc))
