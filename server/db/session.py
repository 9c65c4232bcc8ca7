"""Owns the SQLAlchemy engine and hands out sessions; nothing else touches the engine.

SQLite is tuned for several processes (web, workers, scheduler) sharing one file: WAL journal,
a generous busy timeout, foreign keys on, and writers queued on a lock file
(server/db/sqlite_writes.py).
"""

from __future__ import annotations

import json
from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any

from sqlalchemy import Engine, create_engine, event
from sqlalchemy.orm import Session, sessionmaker

from server.db import sqlite_writes

#: How long a SQLite writer waits for another to finish before "database is locked".
BUSY_TIMEOUT_S = 30


class Database:
    def __init__(self, url: str, **engine_options: Any) -> None:
        self.url = url
        self.is_sqlite = url.startswith("sqlite")
        self._write_lock: sqlite_writes.WriteLock | None = None
        if self.is_sqlite:
            engine_options.setdefault("connect_args", {"timeout": BUSY_TIMEOUT_S,
                                                       "check_same_thread": False})
        else:
            engine_options.setdefault("pool_pre_ping", True)
            engine_options.setdefault("pool_size", 10)
            engine_options.setdefault("max_overflow", 20)
        # Items are JSON already; `default=str` keeps an odd value (a date a node forgot to
        # format) from failing the write of a whole step.
        engine_options.setdefault("json_serializer", _dumps)
        self.engine: Engine = create_engine(url, **engine_options)
        if self.is_sqlite:
            event.listen(self.engine, "connect", _tune_sqlite)
            path = self.engine.url.database
            if path and path != ":memory:" and not path.startswith("file:"):
                self._write_lock = sqlite_writes.install(self.engine, path, BUSY_TIMEOUT_S)
        self._sessions = sessionmaker(self.engine, expire_on_commit=False)

    def session(self) -> Session:
        return self._sessions()

    @contextmanager
    def transaction(self) -> Iterator[Session]:
        """A session that commits when the block ends and rolls back when it raises."""
        with self._sessions() as session, session.begin():
            yield session

    def dispose(self) -> None:
        self.engine.dispose()
        if self._write_lock is not None:
            self._write_lock.close()


def _tune_sqlite(connection: Any, _record: Any) -> None:
    cursor = connection.cursor()
    cursor.execute("PRAGMA journal_mode=WAL")
    cursor.execute("PRAGMA synchronous=NORMAL")
    cursor.execute("PRAGMA foreign_keys=ON")
    cursor.execute(f"PRAGMA busy_timeout={BUSY_TIMEOUT_S * 1000}")
    cursor.close()


def _dumps(value: Any) -> str:
    return json.dumps(value, default=str, ensure_ascii=False)
