"""One writer at a time on a SQLite file, taking turns closely instead of sleeping long.

SQLite lets one connection write at a time. A connection that finds the file locked sleeps
and retries (1, 2, 5, 10 ... 100 ms), so under a burst of writes from several processes
(web, workers, scheduler) most of the time goes to those sleeps: the lock is free again
long before the sleeper looks. Here a writer first takes an exclusive `flock` on a file next
to the database (and a thread lock, since `flock` is per process), from its first INSERT,
UPDATE or DELETE until its commit or rollback. Threads of one process queue on the thread
lock; another process's writer tries the file lock every POLL_SECONDS (a blocking `flock`
could not give up at the busy timeout), and SQLite's own lock is always free when it gets
there. Readers never wait (WAL).

A process that dies holding the lock loses it with its file descriptor. A writer that
cannot get the lock within the busy timeout gets SQLite's own error, "database is locked".
"""

from __future__ import annotations

import fcntl
import os
import sqlite3
import threading
import time
from typing import Any

from sqlalchemy import Engine, event

#: Statements that make pysqlite open a write transaction.
WRITES = ("INSERT", "UPDATE", "DELETE", "REPLACE")
#: How long a writer waits between looks when another process holds the lock.
POLL_SECONDS = 0.00005


class WriteLock:
    """The lock for one database file, shared by the threads of this process."""

    def __init__(self, path: str, timeout: float) -> None:
        self.path = path
        self.timeout = timeout
        self._fd: int | None = None  # opened on first use, and again after close()
        self._threads = threading.Lock()
        self._holder: Any = None  # the DBAPI connection in a write transaction

    def acquire(self, connection: Any) -> None:
        if self._holder is connection:
            return
        deadline = time.monotonic() + self.timeout
        if not self._threads.acquire(timeout=self.timeout):
            raise sqlite3.OperationalError("database is locked")
        try:
            self._lock_file(deadline)
        except BaseException:
            self._threads.release()
            raise
        self._holder = connection

    def _lock_file(self, deadline: float) -> None:
        if self._fd is None:
            self._fd = os.open(self.path, os.O_RDWR | os.O_CREAT, 0o600)
        while True:
            try:
                fcntl.flock(self._fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
                return
            except BlockingIOError:
                if time.monotonic() > deadline:
                    raise sqlite3.OperationalError("database is locked") from None
                time.sleep(POLL_SECONDS)

    def release(self, connection: Any) -> None:
        if self._holder is not connection:
            return
        self._holder = None
        if self._fd is not None:
            fcntl.flock(self._fd, fcntl.LOCK_UN)
        self._threads.release()

    def close(self) -> None:
        """Let go of the lock file (a transaction still writing keeps its lock)."""
        if self._fd is not None and self._holder is None:
            os.close(self._fd)
            self._fd = None


def _dbapi(connection: Any) -> Any:
    """The raw sqlite3 connection, whether given it or SQLAlchemy's pool wrapper."""
    return getattr(connection, "dbapi_connection", connection)


def install(engine: Engine, database_path: str, timeout: float) -> WriteLock:
    """Make `engine`'s write transactions take the lock (a file next to the database)."""
    lock = WriteLock(database_path + ".write-lock", timeout)

    @event.listens_for(engine, "before_cursor_execute")
    def before_write(connection: Any, _cursor: Any, statement: str, *_args: Any) -> None:
        if statement.lstrip()[:7].upper().startswith(WRITES):
            lock.acquire(_dbapi(connection.connection))

    @event.listens_for(engine.pool, "close")
    def on_close(dbapi_connection: Any, _record: Any) -> None:
        lock.release(dbapi_connection)

    @event.listens_for(engine.pool, "invalidate")
    def on_invalidate(dbapi_connection: Any, _record: Any, _exception: Any) -> None:
        lock.release(dbapi_connection)

    # The transaction ends in the dialect's commit and rollback (the pool's reset on
    # return included); SQLAlchemy's own commit events fire before the commit happens.
    dialect = engine.dialect
    commit, rollback = dialect.do_commit, dialect.do_rollback

    def do_commit(dbapi_connection: Any) -> None:
        try:
            commit(dbapi_connection)
        finally:
            lock.release(_dbapi(dbapi_connection))

    def do_rollback(dbapi_connection: Any) -> None:
        try:
            rollback(dbapi_connection)
        finally:
            lock.release(_dbapi(dbapi_connection))

    dialect.do_commit = do_commit  # type: ignore[method-assign]
    dialect.do_rollback = do_rollback  # type: ignore[method-assign]
    return lock
