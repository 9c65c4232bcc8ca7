"""Fitting values to a Flowlane node type's params schema, read from the registry.

The HighLevel mapper knows the *meaning* of each n8n value ("the pipeline id") by its API
spelling; the HighLevel nodes are generated from the official spec, and their param names
follow the spec's spelling (`pipeline_id` in a query, `pipelineId` in a body). `fit` places
each value on the property whose name matches once case and separators are ignored, or one
of a few aliases, looking one level into nested objects too. What finds no place is
returned, so the report can say so.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from typing import Any

from nodes import registry
from nodes.registry import NodeSpec


def normal(name: str) -> str:
    """`pipeline_stage_id`, `pipelineStageId` and `PipelineStageID` compare equal."""
    return re.sub(r"[^a-z0-9]", "", name.lower())


@dataclass
class Fitted:
    params: dict[str, Any] = field(default_factory=dict)
    unplaced: list[str] = field(default_factory=list)
    missing: list[str] = field(default_factory=list)


def fit(spec: NodeSpec, values: dict[str, Any], aliases: dict[str, list[str]] | None = None
        ) -> Fitted:
    """Place `values` (API name -> value) on `spec`'s params; report what did not fit."""
    aliases = aliases or {}
    slots = _slots(spec.params)
    result = Fitted()
    for name, value in values.items():
        if value is None:
            continue
        slot = next((slots[normal(candidate)] for candidate in [name, *aliases.get(name, [])]
                     if normal(candidate) in slots), None)
        if slot is None:
            result.unplaced.append(name)
            continue
        _put(result.params, slot, value)
    for required in spec.params.get("required", []):
        prop = spec.params.get("properties", {}).get(required, {})
        if required not in result.params and "default" not in prop:
            result.missing.append(required)
    return result


def _slots(schema: dict[str, Any]) -> dict[str, tuple[str, ...]]:
    """Every property a value can go to: top-level, or one level down in an object."""
    slots: dict[str, tuple[str, ...]] = {}
    properties = schema.get("properties") if isinstance(schema, dict) else None
    for name, prop in (properties or {}).items():
        nested = prop.get("properties") if isinstance(prop, dict) else None
        if isinstance(nested, dict) and nested:
            for child in nested:
                slots.setdefault(normal(child), (name, child))
    for name in properties or {}:
        slots[normal(name)] = (name,)  # a top-level name wins over a nested one
    return slots


def _put(params: dict[str, Any], slot: tuple[str, ...], value: Any) -> None:
    target = params
    for part in slot[:-1]:
        target = target.setdefault(part, {})
    target[slot[-1]] = value


def find_type(candidates: list[str], operation_id: str | None = None,
              method_path: tuple[str, str] | None = None) -> NodeSpec | None:
    """The first registered type among `candidates`, else one declaring this operation."""
    for candidate in candidates:
        spec = registry.get(candidate)
        if spec is not None:
            return spec
    if operation_id is None and method_path is None:
        return None
    for spec in registry.all_specs():
        meta = spec.meta or {}
        declared = meta.get("operation_id") or meta.get("operationId")
        if operation_id and isinstance(declared, str) and declared.lower() == operation_id.lower():
            return spec
        if method_path and str(meta.get("method", "")).upper() == method_path[0] and \
                str(meta.get("path", "")).rstrip("/") == method_path[1].rstrip("/"):
            return spec
    return None


def credential_kind(*hints: str) -> str | None:
    """A registered connection kind whose id contains one of `hints` (e.g. "slack")."""
    for kind in registry.credential_kinds():
        if any(hint in kind.id.lower() for hint in hints):
            return kind.id
    return None
