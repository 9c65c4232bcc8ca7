"""Answers for the operations the sandbox does not model, built from their response schemas.

So any node generated from the spec can be tried against the sandbox: the request is checked
(auth, Version, scopes, rate limit, body) like a modelled one, and the answer has the documented
shape, filled from the spec's examples where it has them.
"""

from __future__ import annotations

import copy
from typing import Any

from jsonschema import Draft4Validator

from sandbox.spec import JSON, Operation
from sandbox.validation import json_type, to_json_schema

MAX_DEPTH = 12


def placeholder(operation: Operation, hints: dict[str, str]) -> Any:
    """A body for `operation`'s success response; `hints` fill same-named fields (ids)."""
    schema = operation.response_schema()
    if schema is None:
        return {}
    return synthesize(schema, hints, depth=0)


def synthesize(schema: JSON, hints: dict[str, str], *, depth: int, name: str = "") -> Any:
    if depth > MAX_DEPTH:  # deep or recursive schemas end in the simplest value of their type
        return _EMPTY.get(str(schema.get("type")))
    if name in hints and schema.get("type", "string") == "string" and _fits(hints[name], schema):
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
    if "example" in schema and _fits(schema["example"], schema):
        return copy.deepcopy(schema["example"])
    if schema.get("enum"):
        return schema["enum"][0]
    if "default" in schema and _fits(schema["default"], schema):
        return copy.deepcopy(schema["default"])
    if declared == "object" or (declared is None and "properties" in schema):
        required = schema.get("required", [])
        value = {
            key: synthesize(sub, hints, depth=depth + 1, name=key)
            for key, sub in (schema.get("properties") or {}).items()
            if not sub.get("deprecated") or key in required
        }
        # Some DTOs require a field they never describe: any value will do.
        value.update({key: hints.get(key, "") for key in required if key not in value})
        return value
    if declared == "array":
        item = synthesize(schema.get("items") or {}, hints, depth=depth + 1, name=name)
        return [] if item is None else [item]
    return {"string": "string", "number": 0, "integer": 0, "boolean": True}.get(declared or "")


_EMPTY: dict[str, Any] = {"string": "", "number": 0, "integer": 0, "boolean": False,
                          "array": [], "object": {}}


def _fits(value: Any, schema: JSON) -> bool:
    """Whether an example from the spec is valid for its own schema (some are not)."""
    declared = schema.get("type")
    kind = json_type(value)
    if declared is not None and kind != declared and not (
        declared == "integer" and kind == "number"
    ):
        return False
    return bool(Draft4Validator(to_json_schema(schema)).is_valid(value))
