"""Reading a file ahead of its import, in a thread, while the database works.

An annotation import alternates between Python (reading JSON lines into drafts, checking,
building rows) and SQLite or the PostgreSQL server (reading a batch's paragraphs, inserting
its rows), which let the GIL go. A thread that reads the next lines whenever the importer
waits on the database takes the reading off the import's path: up to a sixth of its time on
a second core (issue 13). The drafts and any error arrive in file order, so the importer sees
the same drafts and raises the same first error as when it read the file itself; a few
chunks at most are held ahead, so memory still follows the batch.
"""

from __future__ import annotations

import queue
import sys
import threading
from collections.abc import Iterable, Iterator
from contextlib import contextmanager
from typing import Any, TypeVar

T = TypeVar("T")

#: Items handed over at once (a queue hand-over costs microseconds; a draft is read in tens).
CHUNK = 50
#: Chunks read ahead at most: memory follows this, not the file.
DEPTH = 20
#: Seconds the reader may hold the GIL while the importer waits for it (Python's default is
#: 5 ms): the importer's SQLite calls let it go hundreds of times per batch, and each time
#: it must get it back at once, not after the reader's next five milliseconds.
SWITCH_INTERVAL = 0.0005

_DONE = object()


@contextmanager
def read_ahead(items: Iterable[T]) -> Iterator[Iterator[T]]:
    """`items`, produced by a thread ahead of their consumer; an exception the producer
    raises is raised to the consumer where it would have come. The thread is stopped and
    joined on leaving, whatever the consumer did (the producer may read an open file)."""
    chunks: queue.Queue[Any] = queue.Queue(DEPTH)
    stop = threading.Event()
    thread = threading.Thread(target=_produce, args=(items, chunks, stop), daemon=True)
    interval = sys.getswitchinterval()
    sys.setswitchinterval(min(interval, SWITCH_INTERVAL))
    thread.start()
    try:
        yield _consume(chunks)
    finally:
        stop.set()
        _drain(chunks)
        thread.join()
        sys.setswitchinterval(interval)


def _produce(items: Iterable[T], chunks: queue.Queue[Any], stop: threading.Event) -> None:
    chunk: list[Any] = []
    try:
        for item in items:
            chunk.append(item)
            if len(chunk) == CHUNK:
                _put(chunks, chunk, stop)
                chunk = []
                if stop.is_set():
                    return
    except BaseException as exc:  # noqa: BLE001 - handed to the consumer, which raises it
        _put(chunks, chunk, stop)  # what came before it, first
        _put(chunks, _Failure(exc), stop)
        return
    _put(chunks, chunk, stop)
    _put(chunks, _DONE, stop)


def _put(chunks: queue.Queue[Any], value: Any, stop: threading.Event) -> None:
    """Put, unless the consumer has gone (it sets `stop` and stops taking)."""
    while not stop.is_set():
        try:
            chunks.put(value, timeout=0.05)
            return
        except queue.Full:
            continue


def _consume(chunks: queue.Queue[Any]) -> Iterator[Any]:
    while (chunk := chunks.get()) is not _DONE:
        if isinstance(chunk, _Failure):
            raise chunk.error
        yield from chunk


def _drain(chunks: queue.Queue[Any]) -> None:
    """Free a producer blocked on a full queue, so that it sees `stop`."""
    try:
        while True:
            chunks.get_nowait()
    except queue.Empty:
        pass


class _Failure:
    """What the producer raised, carried to the consumer in its place in the stream."""

    def __init__(self, error: BaseException) -> None:
        self.error = error
