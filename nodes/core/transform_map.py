"""Map fields: build each output item from expressions (the field-mapping transform).

Per item: start from all, none or some of its fields; rename and remove fields; then set
each target path from its expression, converted to the chosen type.
"""

from __future__ import annotations

import json
from typing import Any

from nodes.core.conditions import to_boolean
from nodes.core.paths import get_path, has_path, with_path, without_path
from nodes.registry import Item, Items, NodeError, Outputs, Params, RunContext, node
from server.engine.filters import to_datetime, to_number

TYPES = ["auto", "string", "number", "boolean", "date", "json"]


def coerce(value: Any, kind: str, target: str, tz: str = "UTC") -> Any:
    """`value` as `kind`; an error names the field and the value when it cannot be.

    An empty value (None or "") stays None for numbers, booleans and dates: a blank form
    field is "no answer", not zero or false. Dates without a zone are read in `tz`.
    """
    try:
        if kind == "string":
            return _text(value)
        if kind in ("number", "boolean", "date") and value in (None, ""):
            return None
        if kind == "number":
            return to_number(value)
        if kind == "boolean":
            return to_boolean(value)
        if kind == "date":
            return to_datetime(value, tz=tz).isoformat()
        if kind == "json":
            return json.loads(value) if isinstance(value, str) else value
    except (ValueError, TypeError) as err:
        raise NodeError(f"Field {target!r}: {value!r} cannot be a {kind} ({err}).") from None
    return value


def _text(value: Any) -> str:
    """Text as JSON writes it: true, not Python's True; objects and lists as JSON."""
    if isinstance(value, str):
        return value
    if value is None:
        return ""
    if isinstance(value, bool | dict | list):
        return json.dumps(value)
    return str(value)


@node(
    type="core.map",
    title="Map fields",
    group="Transform",
    description="Set, rename and remove fields: target ← expression, with type conversion.",
    icon="map",
    params={
        "type": "object",
        "properties": {
            "fields": {
                "title": "Fields to set",
                "type": "array",
                "items": {
                    "type": "object",
                    "required": ["target"],
                    "properties": {
                        "target": {"title": "Target field", "type": "string", "minLength": 1,
                                   "description": "A dotted path: contact.email"},
                        "value": {"title": "Value", "description": "Usually an expression."},
                        "type": {"title": "Convert to", "enum": TYPES, "default": "auto"},
                    },
                },
            },
            "keep": {
                "title": "Other fields",
                "enum": ["all", "none", "selected"],
                "default": "all",
                "description": "Keep the item's other fields, drop them, or keep those listed.",
            },
            "keep_fields": {"title": "Fields to keep", "type": "array",
                            "items": {"type": "string"}},
            "rename": {
                "title": "Rename fields",
                "type": "array",
                "items": {
                    "type": "object",
                    "required": ["from", "to"],
                    "properties": {"from": {"type": "string"}, "to": {"type": "string"}},
                },
            },
            "remove": {"title": "Remove fields", "type": "array", "items": {"type": "string"}},
        },
    },
    ui={"form": "field-mapping"},
)
def run(ctx: RunContext, items: Items, params: Params) -> Outputs:
    return {"main": [map_item(item, params.render(item, index), ctx.timezone)
                     for index, item in enumerate(items)]}


def map_item(item: Item, rendered: dict[str, Any], tz: str = "UTC") -> Item:
    keep = rendered.get("keep", "all")
    if keep == "none":
        result: Item = {}
    elif keep == "selected":
        result = {}
        for path in rendered.get("keep_fields") or []:
            if has_path(item, path):
                result = with_path(result, path, get_path(item, path))
    else:
        result = item
    for rename in rendered.get("rename") or []:
        # A renamed field is wanted even when the other fields are not kept: read it from
        # the input item when it is not in the result (yet).
        source = result if has_path(result, rename["from"]) else item
        if has_path(source, rename["from"]):
            value = get_path(source, rename["from"])
            result = with_path(without_path(result, rename["from"]), rename["to"], value)
    for path in rendered.get("remove") or []:
        result = without_path(result, path)
    for field in rendered.get("fields") or []:
        target = field["target"]
        value = coerce(field.get("value"), field.get("type", "auto"), target, tz)
        result = with_path(result, target, value)
    return result if result is not item else dict(item)
