"""Inserting one batch in a thread while the next is checked: the write-behind of imports.

A batch's inserts are a quarter of an annotation import's time, and SQLite (or the
PostgreSQL server) does that work with the GIL let go; checking the next batch, building its
rows and reading the batch after it from the file is Python that needs no database. The
importer reads and claims a batch's scopes, then starts the last batch's inserts here and
checks the new batch and reads the next meanwhile, and waits for the inserts before it
touches the database again: the connection is used by one thread at a time, and its
statements run in the order the batches came. The batch read while the last one's rows are
not inserted yet takes that batch's scopes from memory (batch.Known).
"""

from __future__ import annotations

import queue
import sys
import threading
from collections.abc import Iterator
from contextlib import contextmanager

from sqlalchemy import Connection

from annotator.annotations.writer.batch import Rows, insert_batch

#: Seconds a thread may keep the GIL while another waits for it, during an import (as
#: annotator.server sets for its workers).
SWITCH_INTERVAL = 0.0005


class WriteBehind:
    """One batch's inserts at a time, in one thread, on the transaction's connection."""

    def __init__(self, connection: Connection) -> None:
        self.connection = connection
        #: The batch to insert next; None tells the thread to stop.
        self._work: queue.Queue[Rows | None] = queue.Queue(maxsize=1)
        self._thread: threading.Thread | None = None
        self._busy = False
        self._error: BaseException | None = None

    def start(self, rows: Rows) -> None:
        """Insert `rows` while the caller goes on; the caller must wait() before its next
        statement on the connection."""
        self.wait()
        if self._thread is None:  # one per import: a thread per batch waits for its start
            self._thread = threading.Thread(target=self._run, daemon=True)
            self._thread.start()
        self._busy = True
        self._work.put(rows)

    def wait(self) -> None:
        """Until the inserts are done; what they raised is raised here."""
        if self._busy:
            self._work.join()
            self._busy = False
        if self._error is not None:
            error, self._error = self._error, None
            raise error

    def stop(self) -> None:
        """Wait for the inserts, and end the thread."""
        try:
            self.wait()
        finally:
            if self._thread is not None:
                self._work.put(None)
                self._thread.join()
                self._thread = None

    def _run(self) -> None:
        while (rows := self._work.get()) is not None:
            try:
                insert_batch(self.connection, rows)
            except BaseException as exc:  # noqa: BLE001 - raised in the importer's thread by wait()
                self._error = exc
            finally:
                self._work.task_done()


@contextmanager
def write_behind(connection: Connection) -> Iterator[WriteBehind]:
    """A WriteBehind whose inserts are over when the block is left, however it is left: an
    error of the inserts (an earlier batch's) is raised before the block's own.

    Meanwhile a thread waiting for the GIL gets it within SWITCH_INTERVAL: the inserting
    thread wants it back after every statement, and at Python's default of 5 ms it would
    insert a block of rows per 5 ms of the checking thread's work."""
    writer = WriteBehind(connection)
    interval = sys.getswitchinterval()
    sys.setswitchinterval(min(interval, SWITCH_INTERVAL))
    try:
        yield writer
    finally:
        try:
            writer.stop()
        finally:
            sys.setswitchinterval(interval)
