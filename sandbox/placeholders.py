"""Answers for the operations the sandbox does not model, built from their response schemas.

So any node generated from the spec can be tried against the sandbox: the request is checked
(auth, Version, scopes, rate limit, body) like a modelled one, and the answer has the documented
shape, filled from the spec's examples where it has them.
"""

from __future__ import annotations

import copy
from typing import Any

from sandbox.spec import JSON, Operation
from sandbox.validation import json_type

MAX_DEPTH = 8


def placeholder(operation: Operation, hints: dict[str, str]) -> Any:
    """A body for `operation`'s success response; `hints` fill same-named fields (ids)."""
    schema = operation.response_schema()
    if schema is None:
        return {}
    return synthesize(schema, hints, depth=0)


def synthesize(schema: JSON, hints: dict[str, str], *, depth: int, name: str = "") -> Any:
    if depth > MAX_DEPTH:
        return None
    if name in hints and schema.get("type", "string") == "string":
        return hints[name]
    for combinator in ("oneOf", "anyOf"):
        if schema.get(combinator):
            return synthesize(schema[combinator][0], hints, depth=depth + 1, name=name)
    if schema.get("allOf"):
        merged: JSON = {}
        for part in schema["allOf"]:
            value = synthesize(part, hints, depth=depth + 1, name=name)
            if isinstance(value, dict):
                merged.update(value)
            elif not merged:
                return value
        return merged
    declared = schema.get("type")
    if "example" in schema and _fits(schema["example"], declared):
        return copy.deepcopy(schema["example"])
    if schema.get("enum"):
        return schema["enum"][0]
    if "default" in schema and _fits(schema["default"], declared):
        return copy.deepcopy(schema["default"])
    if declared == "object" or (declared is None and "properties" in schema):
        return {
            key: synthesize(sub, hints, depth=depth + 1, name=key)
            for key, sub in (schema.get("properties") or {}).items()
            if not sub.get("deprecated") or key in schema.get("required", [])
        }
    if declared == "array":
        item = synthesize(schema.get("items") or {}, hints, depth=depth + 1, name=name)
        return [] if item is None else [item]
    return {"string": "string", "number": 0, "integer": 0, "boolean": True}.get(declared or "")


def _fits(value: Any, declared: Any) -> bool:
    if declared is None:
        return True
    kind = json_type(value)
    return kind == declared or (declared == "integer" and kind == "number")
