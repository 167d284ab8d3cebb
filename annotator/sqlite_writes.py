"""SQLite writers queue instead of polling: one writer at a time per database, woken at once.

SQLite lets one connection write at a time; the others get SQLITE_BUSY and its busy handler
sleeps 1, 2, 5, 10, 15 … ms before trying again, so under 8 concurrent saves most of the
time goes to sleeping past a lock that was released long before. Here a connection about to
write first takes a lock: a threading lock shared by the process's connections to that file,
then an flock on a file beside the database shared by the processes (gunicorn's workers, the
CLI). A waiting writer wakes within a fraction of a millisecond of the release. The lock is
held until the transaction ends (commit, rollback, close).

It only orders writers: SQLite's own lock stays what makes a write safe. A writer that waits
longer than the busy timeout goes on without the lock and meets SQLite's busy handling as
before, so a long import makes saves fail after the timeout as it always did, never hang.
"""

from __future__ import annotations

import fcntl
import os
import sqlite3
import threading
import time
from dataclasses import dataclass, field
from typing import Any

#: Statements that open a write transaction (Python's sqlite3 begins one before DML).
WRITE_VERBS = ("INSERT", "UPDATE", "DELETE", "REPLACE", "CREATE", "DROP", "ALTER", "BEGIN")
#: Longest pause between two attempts at another process's lock.
MAX_POLL_SECONDS = 0.0005


@dataclass
class _FileLock:
    """The process's side of one database's write lock (its flock fd is opened per process:
    an fd inherited across fork would share one lock with the parent)."""

    path: str
    threads: threading.Lock = field(default_factory=threading.Lock)
    pid: int = -1
    fd: int = -1

    def acquire(self, timeout: float) -> bool:
        deadline = time.monotonic() + timeout
        if not self.threads.acquire(timeout=timeout):
            return False
        if self._acquire_file(deadline):
            return True
        self.threads.release()
        return False

    def release(self) -> None:
        fcntl.flock(self.fd, fcntl.LOCK_UN)
        self.threads.release()

    def _acquire_file(self, deadline: float) -> bool:
        """Try the flock, pausing at most MAX_POLL_SECONDS between tries, until deadline."""
        if self.pid != os.getpid():
            self.fd = os.open(self.path, os.O_RDWR | os.O_CREAT | os.O_CLOEXEC, 0o600)
            self.pid = os.getpid()
        pause = 0.00005
        while True:
            try:
                fcntl.flock(self.fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
                return True
            except BlockingIOError:
                if time.monotonic() >= deadline:
                    return False
                time.sleep(pause)
                pause = min(pause * 2, MAX_POLL_SECONDS)


_locks: dict[str, _FileLock] = {}
_registry = threading.Lock()


def _lock_for(database: str) -> _FileLock:
    path = os.path.abspath(database) + "-writer.lock"
    with _registry:
        return _locks.setdefault(path, _FileLock(path))


def _is_write(sql: str) -> bool:
    return sql.lstrip()[:7].upper().startswith(WRITE_VERBS)


class QueuedWriterConnection(sqlite3.Connection):
    """A sqlite3 connection (pass as `factory`) whose writes take the database's write lock
    first and give it back when the transaction ends."""

    def __init__(self, database: Any, *args: Any, **kwargs: Any) -> None:
        super().__init__(database, *args, **kwargs)
        name = os.fspath(database)
        on_disk = name not in ("", ":memory:") and not name.startswith("file:")
        self._write_lock = _lock_for(name) if on_disk else None
        self._lock_timeout = float(kwargs.get("timeout", args[0] if args else 5.0))
        self._holding = False

    def cursor(self, factory: Any = None) -> sqlite3.Cursor:  # type: ignore[override]
        return super().cursor(factory or _QueuedCursor)

    def execute(self, sql: str, *args: Any) -> sqlite3.Cursor:  # type: ignore[override]
        return self.cursor().execute(sql, *args)

    def commit(self) -> None:
        try:
            super().commit()
        finally:
            self._release()

    def rollback(self) -> None:
        try:
            super().rollback()
        finally:
            self._release()

    def close(self) -> None:
        try:
            super().close()
        finally:
            self._release()

    def _before(self, sql: str) -> None:
        if self._write_lock is not None and not self._holding and _is_write(sql):
            self._holding = self._write_lock.acquire(self._lock_timeout)

    def _after(self) -> None:
        """A write that ended its own transaction (autocommit, DDL) gives the lock back."""
        if self._holding and not self.in_transaction:
            self._release()

    def _release(self) -> None:
        if self._holding:
            self._holding = False
            assert self._write_lock is not None
            self._write_lock.release()


class _QueuedCursor(sqlite3.Cursor):
    connection: QueuedWriterConnection

    def execute(self, sql: str, *args: Any) -> _QueuedCursor:  # type: ignore[override]
        self.connection._before(sql)
        try:
            super().execute(sql, *args)
        finally:
            self.connection._after()
        return self

    def executemany(self, sql: str, *args: Any) -> _QueuedCursor:  # type: ignore[override]
        self.connection._before(sql)
        try:
            super().executemany(sql, *args)
        finally:
            self.connection._after()
        return self
