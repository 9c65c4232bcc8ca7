"""SQLite writers queue on a lock file: many at once all land, a rollback or a killed
process frees the lock, and one that waits too long gets SQLite's own error."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import threading
from pathlib import Path

import pytest
from sqlalchemy import create_engine, text
from sqlalchemy.exc import OperationalError

from server.db import Database, sqlite_writes


def _database(tmp_path: Path) -> Database:
    database = Database(f"sqlite:///{tmp_path / 'writes.db'}")
    with database.engine.begin() as connection:
        connection.execute(text("CREATE TABLE marks (n INTEGER)"))
    return database


def _count(database: Database) -> int:
    with database.engine.connect() as connection:
        return connection.execute(text("SELECT count(*) FROM marks")).scalar_one()


def test_writers_in_many_threads_all_land(tmp_path):
    database = _database(tmp_path)
    errors: list[BaseException] = []

    def write(start: int) -> None:
        try:
            for n in range(start, start + 50):
                with database.engine.begin() as connection:
                    connection.execute(text("INSERT INTO marks VALUES (:n)"), {"n": n})
        except BaseException as err:  # collected, then asserted empty
            errors.append(err)

    threads = [threading.Thread(target=write, args=(i * 100,)) for i in range(6)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert errors == []
    assert _count(database) == 300


def test_a_rollback_frees_the_lock(tmp_path):
    database = _database(tmp_path)
    with database.engine.connect() as connection:
        connection.execute(text("INSERT INTO marks VALUES (1)"))
        connection.rollback()
    finished = threading.Event()

    def other_writer() -> None:
        with database.engine.begin() as connection:
            connection.execute(text("INSERT INTO marks VALUES (2)"))
        finished.set()

    threading.Thread(target=other_writer).start()
    assert finished.wait(5)
    assert _count(database) == 1


def test_a_writer_that_waits_too_long_gets_database_is_locked(tmp_path):
    path = tmp_path / "short.db"
    engine = create_engine(f"sqlite:///{path}", connect_args={"check_same_thread": False})
    sqlite_writes.install(engine, str(path), timeout=0.3)
    with engine.begin() as connection:
        connection.execute(text("CREATE TABLE marks (n INTEGER)"))
    holder = engine.connect()
    holder.execute(text("INSERT INTO marks VALUES (1)"))  # holds the lock, uncommitted
    outcome: list[BaseException | None] = []

    def late_writer() -> None:
        try:
            with engine.begin() as connection:
                connection.execute(text("INSERT INTO marks VALUES (2)"))
            outcome.append(None)
        except OperationalError as err:
            outcome.append(err)

    thread = threading.Thread(target=late_writer)
    thread.start()
    thread.join(10)
    assert outcome and "database is locked" in str(outcome[0])
    holder.commit()
    holder.close()
    late_writer()  # the lock is free again
    assert outcome[-1] is None
    engine.dispose()


HOLD_AND_HANG = """
import sys, time
from sqlalchemy import text
from server.db import Database
database = Database(sys.argv[1])
connection = database.engine.connect()
connection.execute(text("INSERT INTO marks VALUES (7)"))
print("holding", flush=True)
time.sleep(60)
"""


@pytest.mark.skipif(not hasattr(signal, "SIGKILL"), reason="needs kill -9")
def test_a_process_killed_while_writing_frees_the_lock(tmp_path):
    database = _database(tmp_path)
    root = Path(__file__).resolve().parent.parent
    child = subprocess.Popen([sys.executable, "-c", HOLD_AND_HANG, database.url],
                             stdout=subprocess.PIPE, text=True, cwd=root,
                             env={**os.environ, "PYTHONPATH": str(root)})
    try:
        assert child.stdout is not None and child.stdout.readline().strip() == "holding"
        os.kill(child.pid, signal.SIGKILL)
        child.wait(10)
        # Were the lock still held, this would end in "database is locked".
        with database.engine.begin() as connection:
            connection.execute(text("INSERT INTO marks VALUES (8)"))
    finally:
        child.kill()
    assert _count(database) == 1  # the killed writer's row never committed
