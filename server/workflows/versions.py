"""Workflow versions are immutable, so a process may keep what it derived from one (the
parsed graph, compiled params) for as long as it likes: a small cache, keyed by version id."""

from __future__ import annotations

from collections import OrderedDict
from threading import Lock
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from server.db import WorkflowVersion
from server.engine.graph import Graph

_SIZE = 256
_graphs: OrderedDict[int, Graph] = OrderedDict()
_lock = Lock()


def graph(session: Session, version_id: int) -> Graph:
    """The version's graph, loaded once per process."""
    with _lock:
        found = _graphs.get(version_id)
        if found is not None:
            _graphs.move_to_end(version_id)
            return found
    document: dict[str, Any] = session.scalar(
        select(WorkflowVersion.document).where(WorkflowVersion.id == version_id))
    if document is None:
        raise LookupError(f"workflow version {version_id} does not exist")
    built = Graph(document)
    with _lock:
        _graphs[version_id] = built
        while len(_graphs) > _SIZE:
            _graphs.popitem(last=False)
    return built
