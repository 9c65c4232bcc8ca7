"""Services a worker offers to nodes through `ctx.service(name)`.

A server module that backs a family of nodes (data tables, files, notifications, ...)
registers a factory here under a name; the node asks for it by that name. The executor and
the node never import the server module, so nodes stay testable in memory.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from nodes.registry import NodeError
from server.engine.executor import RunInfo
from server.services import Services

Factory = Callable[[Services, RunInfo, str], Any]

_factories: dict[str, Factory] = {}
_loaded = False
#: Modules that register factories on import (imported on first use, avoiding cycles).
PROVIDERS = ["server.state", "server.notifications", "server.files", "server.tables.service",
             "server.dashboards"]


def register(name: str, factory: Factory) -> None:
    _factories[name] = factory


def provide(svc: Services, name: str, run: RunInfo, node_id: str) -> Any:
    global _loaded
    if not _loaded:
        import importlib

        for module in PROVIDERS:
            importlib.import_module(module)
        _loaded = True
    factory = _factories.get(name)
    if factory is None:
        raise NodeError(f"This Flowlane has no {name!r} service for nodes.")
    return factory(svc, run, node_id)
