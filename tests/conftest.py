"""Fixtures on real parts: the database (SQLite file, or PostgreSQL when DATABASE_URL is
set), Redis (embedded, or REDIS_URL), the Flask app, and real worker processes.

Every test starts with empty tables and an empty Redis database.
"""

from __future__ import annotations

import logging
import os
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
import redis as redis_lib
from sqlalchemy import create_engine, text

from server.config import Config
from server.db import Base, migrate
from server.redis_server import EmbeddedRedis
from tests.helpers import WorkerProcess, wait_for_run


@pytest.fixture(scope="session")
def data_dir(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return tmp_path_factory.mktemp("flowlane-data")


@pytest.fixture(scope="session")
def redis_url(data_dir: Path) -> Iterator[str]:
    url = os.environ.get("REDIS_URL", "")
    if url:
        yield url
        return
    with EmbeddedRedis(data_dir / "redis") as server:
        yield server.url
        # Apps' Socket.IO listeners outlive the tests; they need not shout when Redis goes.
        for name in ("socketio", "socketio.server", "socketio.client_manager", "engineio"):
            logging.getLogger(name).setLevel(logging.CRITICAL)


@pytest.fixture(scope="session")
def database_url(data_dir: Path) -> str:
    url = os.environ.get("DATABASE_URL", "")
    config = Config(data_dir=data_dir, database_url=url)
    if url:
        engine = create_engine(config.database)
        with engine.begin() as connection:
            connection.execute(text("DROP SCHEMA public CASCADE"))
            connection.execute(text("CREATE SCHEMA public"))
        engine.dispose()
    migrate.upgrade(config.database)
    return config.database


@pytest.fixture(scope="session")
def base_config(data_dir: Path, database_url: str, redis_url: str) -> Config:
    return Config(
        data_dir=data_dir,
        database_url=database_url,
        redis_url=redis_url,
        heartbeat_timeout=3,
        sweep_interval=1,
        webhook_response_timeout=10,
        testing=True,
    )


@pytest.fixture
def config(base_config: Config) -> Config:
    return base_config


def _clean(database_url: str, redis_url: str) -> None:
    engine = create_engine(database_url)
    with engine.begin() as connection:
        for table in reversed(Base.metadata.sorted_tables):
            if table.name == "workflows":
                connection.execute(text("UPDATE workflows SET current_version_id = NULL, "
                                        "active_version_id = NULL"))
            connection.execute(table.delete())
    engine.dispose()
    redis_lib.Redis.from_url(redis_url).flushdb()


@pytest.fixture
def app(config: Config, database_url: str, redis_url: str) -> Iterator[Any]:
    from server.app import create_app

    _clean(database_url, redis_url)
    application = create_app(config, redis_url)
    yield application
    application.extensions["flowlane"].close()


@pytest.fixture
def svc(app: Any) -> Any:
    """The app's services: database, Redis, queue, vault, events."""
    return app.extensions["flowlane"]


def make_user(app: Any, role: str, email: str | None = None,
              password: str = "correct horse battery") -> dict[str, Any]:
    """A user with an API token; returns what a test needs to act as them."""
    from server.auth import tokens, users

    svc = app.extensions["flowlane"]
    with svc.db.session() as session:
        user, _ = users.create(session, email or f"{role}-{os.urandom(3).hex()}@example.com",
                               role, password)
        _token, plain = tokens.issue(session, user, "tests")
        session.commit()
        return {"id": user.id, "email": user.email, "password": password, "token": plain,
                "role": role}


def client_with_token(app: Any, token: str) -> Any:
    client = app.test_client()
    client.environ_base["HTTP_AUTHORIZATION"] = f"Bearer {token}"
    return client


@pytest.fixture
def owner(app: Any) -> dict[str, Any]:
    return make_user(app, "owner", "owner@example.com")


@pytest.fixture
def api(app: Any, owner: dict[str, Any]) -> Any:
    """A client of the REST API, signed in as an owner (with an API token)."""
    return client_with_token(app, owner["token"])


@pytest.fixture
def client_as(app: Any) -> Any:
    """`client_as("viewer")`: a client signed in as a new user with that role."""
    return lambda role: client_with_token(app, make_user(app, role)["token"])


@pytest.fixture
def anonymous(app: Any) -> Any:
    """A client that has not signed in."""
    return app.test_client()


@pytest.fixture
def worker(app: Any, config: Config) -> Iterator[WorkerProcess]:
    """One real worker process executing runs from the queue."""
    process = WorkerProcess(config).start()
    yield process
    process.stop()


@pytest.fixture
def start_worker(app: Any, config: Config) -> Iterator[Any]:
    """Start more worker processes; all are stopped after the test."""
    started: list[WorkerProcess] = []

    def start() -> WorkerProcess:
        process = WorkerProcess(config).start()
        started.append(process)
        return process

    yield start
    for process in started:
        process.stop()


@pytest.fixture
def run_until_done(svc: Any) -> Any:
    return lambda run_id, timeout=30: wait_for_run(svc, run_id, timeout)


@pytest.fixture
def receiver() -> Iterator[Any]:
    """A real HTTP endpoint that records what nodes send it."""
    from tests.helpers import Receiver

    server = Receiver()
    yield server
    server.stop()


@pytest.fixture
def live_server(app: Any) -> Iterator[str]:
    """The app served over real HTTP (threads, like `flowlane web`); yields its base URL."""
    import threading

    from werkzeug.serving import make_server

    server = make_server("127.0.0.1", 0, app, threaded=True)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{server.server_port}"
    server.shutdown()
