"""Live progress over Socket.IO: rooms `run:<id>`, `workflow:<id>` and `runs`.

Workers publish through Redis (a write-only Socket.IO manager); every web server listens on
the same channel and forwards to the browsers in the room. The browser never polls.
"""

from __future__ import annotations

import re
import threading
from typing import Any

import socketio
from flask import Flask
from flask_socketio import SocketIO, join_room, leave_room

from server import keys
from server.auth.guard import authenticate
from server.errors import Unauthorized

ROOM = re.compile(r"^(run:\d+|workflow:\d+|runs)$")


def run_room(run_id: int) -> str:
    return f"run:{run_id}"


def workflow_room(workflow_id: int) -> str:
    return f"workflow:{workflow_id}"


ALL_RUNS_ROOM = "runs"


def init_app(app: Flask, redis_url: str) -> SocketIO:
    """The app's Socket.IO server, listening on the Redis channel workers publish to."""
    sio = SocketIO(
        app,
        message_queue=redis_url,
        channel=keys.SOCKETIO_CHANNEL,
        async_mode="threading",
        cors_allowed_origins=[],
    )

    @sio.on("connect")
    def connect(auth: Any = None) -> bool:
        """Only signed-in people (a session cookie, or an API token in `auth`) get events."""
        from server.api.base import close_session, db, services

        try:
            user, _how = authenticate(db(), services().redis,
                                      auth if isinstance(auth, dict) else None)
        except Unauthorized:
            return False
        finally:
            close_session()
        if user is None or user.must_change_password:
            return False
        join_room("notifications")  # see server/notifications.py
        join_room(f"user:{user.id}")
        return True

    @sio.on("subscribe")
    def subscribe(data: Any) -> dict[str, Any]:
        room = data.get("room") if isinstance(data, dict) else None
        if not isinstance(room, str) or not ROOM.match(room):
            return {"ok": False, "error": "room must be run:<id>, workflow:<id> or runs"}
        join_room(room)
        return {"ok": True, "room": room}

    @sio.on("unsubscribe")
    def unsubscribe(data: Any) -> dict[str, Any]:
        room = data.get("room") if isinstance(data, dict) else None
        if isinstance(room, str) and ROOM.match(room):
            leave_room(room)
        return {"ok": True}

    return sio


class _BatchingRedisManager(socketio.RedisManager):  # type: ignore[misc]
    """Socket.IO's Redis manager, able to publish several messages in one round trip."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self._local = threading.local()  # each thread collects its own batch

    @property
    def batch(self) -> list[Any] | None:
        return getattr(self._local, "batch", None)

    @batch.setter
    def batch(self, value: list[Any] | None) -> None:
        self._local.batch = value

    def _publish(self, data: Any) -> Any:
        if self.batch is not None:
            self.batch.append(data)
            return None
        return super()._publish(data)

    def publish_batch(self, messages: list[Any], pipeline: Any = None) -> None:
        """Publish in one round trip; into `pipeline` when given (its owner executes it)."""
        if pipeline is None:
            if not self.connected:
                self._redis_connect()
            with self.redis.pipeline(transaction=False) as own:
                self.publish_batch(messages, own)
                own.execute()
            return
        for message in messages:
            pipeline.publish(self.channel, self.json.dumps(message))


class Events:
    """Publishes run and step events from any process (workers, the scheduler, the web)."""

    def __init__(self, redis_url: str) -> None:
        self._manager = _BatchingRedisManager(
            redis_url, channel=keys.SOCKETIO_CHANNEL, write_only=True
        )

    def emit_many(self, events: list[tuple[str, dict[str, Any], tuple[str, ...]]],
                  pipeline: Any = None) -> None:
        """Publish several (event, data, rooms) in one Redis round trip, or add them to
        `pipeline` (a Redis pipeline on the same server) for its owner to execute."""
        self._manager.batch = []
        try:
            for event, data, rooms in events:
                self._manager.emit(event, data, room=list(rooms), namespace="/")
            messages = self._manager.batch
        finally:
            self._manager.batch = None
        self._manager.publish_batch(messages, pipeline)

    def emit(self, event: str, data: dict[str, Any], *rooms: str) -> None:
        """One message for all the rooms: a browser in two of them gets it once."""
        self._manager.emit(event, data, room=list(rooms), namespace="/")

    def run_event(self, event: str, data: dict[str, Any], run_id: int, workflow_id: int,
                  pipeline: Any = None) -> None:
        rooms = (run_room(run_id), workflow_room(workflow_id), ALL_RUNS_ROOM)
        self.emit_many([(event, data, rooms)], pipeline)

    def step_event(self, event: str, data: dict[str, Any], run_id: int) -> None:
        self.emit(event, data, run_room(run_id))
