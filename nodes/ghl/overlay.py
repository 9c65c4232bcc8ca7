"""overlay.toml, parsed: the curated nodes' titles, forms and behaviour, keyed by operationId."""

from __future__ import annotations

import functools
import tomllib
from dataclasses import dataclass, field
from typing import Any

from nodes.ghl.settings import HERE

#: Param keys an overlay may set on a param's schema (the rest are behaviour).
SCHEMA_KEYS = ("title", "description", "enum", "default", "type", "minimum", "maximum")
#: Params no request carries: they steer the node (return all, max items).
CONTROL = "control"


@dataclass(frozen=True)
class Curated:
    operation_id: str
    app: str | None
    type: str
    title: str
    description: str = ""
    output: dict[str, Any] = field(default_factory=dict)
    paginate: dict[str, Any] | None = None
    hide: frozenset[str] = frozenset()
    defaults: dict[str, Any] = field(default_factory=dict)
    custom_fields: str | None = None
    params: dict[str, dict[str, Any]] = field(default_factory=dict)
    aliases: tuple[str, ...] = ()
    idempotent: bool | None = None
    epoch_ms: tuple[str, ...] = ()


@functools.cache
def entries() -> dict[str, Curated]:
    """Every overlay entry by operationId (or "app/operationId" where `app` is given)."""
    with (HERE / "overlay.toml").open("rb") as handle:
        raw = tomllib.load(handle)
    found: dict[str, Curated] = {}
    for operation_id, entry in raw.items():
        app = entry.get("app")
        found[f"{app}/{operation_id}" if app else operation_id] = Curated(
            operation_id=operation_id, app=app, type=entry["type"], title=entry["title"],
            description=entry.get("description", ""), output=dict(entry.get("output", {})),
            paginate=entry.get("paginate"), hide=frozenset(entry.get("hide", [])),
            defaults=dict(entry.get("defaults", {})), custom_fields=entry.get("custom_fields"),
            params={name: dict(value) for name, value in entry.get("params", {}).items()},
            aliases=tuple(entry.get("aliases", [])), idempotent=entry.get("idempotent"),
            epoch_ms=tuple(entry.get("epoch_ms", [])))
    return found


def for_operation(app: str, operation_id: str) -> Curated | None:
    table = entries()
    return table.get(f"{app}/{operation_id}") or table.get(operation_id)
