"""Durable per-node state (`node_state`): read and write a small JSON value by name."""

from __future__ import annotations

from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

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
