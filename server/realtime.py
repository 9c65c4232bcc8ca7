"""Live progress over Socket.IO: rooms `run:<id>`, `workflow:<id>` and `runs`.

Workers publish through Redis (a write-only Socket.IO manager); every web server listens on
the same channel and forwards to the browsers in the room. The browser never polls.
"""

from __future__ import annotations

import re
from typing import Any

import socketio
from flask import Flask
from flask_socketio import SocketIO, join_room, leave_room

from server import keys

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


class Events:
    """Publishes run and step events from any process (workers, the scheduler, the web)."""

    def __init__(self, redis_url: str) -> None:
        self._manager = socketio.RedisManager(
            redis_url, channel=keys.SOCKETIO_CHANNEL, write_only=True
        )

    def emit(self, event: str, data: dict[str, Any], *rooms: str) -> None:
        for room in rooms:
            self._manager.emit(event, data, room=room, namespace="/")

    def run_event(self, event: str, data: dict[str, Any], run_id: int, workflow_id: int) -> None:
        self.emit(event, data, run_room(run_id), workflow_room(workflow_id), ALL_RUNS_ROOM)

    def step_event(self, event: str, data: dict[str, Any], run_id: int) -> None:
        self.emit(event, data, run_room(run_id))
