"""One mapping module per family of n8n nodes; each registers its node types with `@maps`.

A mapper turns one n8n node (its parameters already completed with the defaults of its
typeVersion) into one Flowlane node, or raises `NeedsAttention` with the reason it cannot.
"""

from __future__ import annotations

import importlib
from collections.abc import Callable

from server.importers.n8n.context import MapContext, Mapped

Mapper = Callable[[MapContext], Mapped]

BASE = "n8n-nodes-base."
_MAPPERS: dict[str, Mapper] = {}
#: n8n node types that start a workflow (used before mapping, to name the sole trigger).
TRIGGER_TYPES: set[str] = set()
_MODULES = ("triggers", "logic", "transform", "flow", "http", "alerts", "highlevel")
_loaded = False


def maps(*short_types: str, trigger: bool = False) -> Callable[[Mapper], Mapper]:
    """Register a mapper for `n8n-nodes-base.<type>` node types."""

    def register(mapper: Mapper) -> Mapper:
        for short_type in short_types:
            _MAPPERS[BASE + short_type] = mapper
            if trigger:
                TRIGGER_TYPES.add(BASE + short_type)
        return mapper

    return register


def find(n8n_type: str) -> Mapper | None:
    _load()
    return _MAPPERS.get(n8n_type)


def is_trigger(n8n_type: str) -> bool:
    _load()
    return n8n_type in TRIGGER_TYPES


def known_types() -> list[str]:
    _load()
    return sorted(_MAPPERS)


def _load() -> None:
    global _loaded
    if not _loaded:
        for module in _MODULES:
            importlib.import_module(f"{__name__}.{module}")
        _loaded = True
