"""Durable per-node state (`node_state`): read and write a small JSON value by name."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from server import keys
from server.db import NodeState


def read(session: Session, workflow_id: int, node_id: str, key: str, default: Any = None) -> Any:
    row = session.scalars(select(NodeState).where(
        NodeState.workflow_id == workflow_id, NodeState.node_id == node_id,
        NodeState.key == key)).first()
    return default if row is None else row.value


def write(session: Session, workflow_id: int, node_id: str, key: str, value: Any) -> None:
    """Insert or replace; the caller commits (so a cursor moves with the work it records)."""
    row = session.scalars(select(NodeState).where(
        NodeState.workflow_id == workflow_id, NodeState.node_id == node_id,
        NodeState.key == key)).first()
    if row is None:
        session.add(NodeState(workflow_id=workflow_id, node_id=node_id, key=key, value=value))
    else:
        row.value = value


class NodeStateStore:
    """`ctx.service("state")`: durable values a node keeps between runs (a round-robin
    position, a cursor), scoped to its workflow and node."""

    def __init__(self, svc: Any, workflow_id: int, node_id: str) -> None:
        self.svc, self.workflow_id, self.node_id = svc, workflow_id, node_id

    def get(self, key: str, default: Any = None) -> Any:
        with self.svc.db.session() as session:
            return read(session, self.workflow_id, self.node_id, key, default)

    def set(self, key: str, value: Any) -> None:
        with self.svc.db.session() as session:
            write(session, self.workflow_id, self.node_id, key, value)
            session.commit()

    def update(self, key: str, change: Callable[[Any], Any], default: Any = None) -> Any:
        """Replace the value with `change(value)` and return it, one run at a time: runs
        of the same workflow on other workers wait their turn (a Redis lock)."""
        lock = self.svc.redis.lock(keys.node_state_lock(self.workflow_id, self.node_id, key),
                                   timeout=30, blocking_timeout=30)
        with lock, self.svc.db.session() as session:
            value = change(read(session, self.workflow_id, self.node_id, key, default))
            write(session, self.workflow_id, self.node_id, key, value)
            session.commit()
        return value


def _register() -> None:
    from server.runs import host_services

    host_services.register(
        "state", lambda svc, run, node_id: NodeStateStore(svc, run.workflow_id, node_id))


_register()
