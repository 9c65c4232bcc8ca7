"""Aggregate: many items into one (or one per group): lists, counts, sums, averages."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from nodes.core.paths import get_path
from nodes.registry import Item, Items, NodeError, Outputs, Params, RunContext, node
from server.engine.filters import to_number

OPERATIONS: dict[str, Callable[[list[Any]], Any]] = {
    "list": list,
    "count": lambda values: sum(1 for v in values if v is not None),
    "count_unique": lambda values: len({repr(v) for v in values if v is not None}),
    "sum": lambda values: sum(to_number(v) for v in values if v not in (None, "")),
    "avg": lambda values: _average([to_number(v) for v in values if v not in (None, "")]),
    "min": lambda values: min(_comparable(values), default=None),
    "max": lambda values: max(_comparable(values), default=None),
    "first": lambda values: values[0] if values else None,
    "last": lambda values: values[-1] if values else None,
    "concat": lambda values: ", ".join(str(v) for v in values if v not in (None, "")),
}


def _comparable(values: list[Any]) -> list[Any]:
    """The values present, as numbers when all of them are numbers or numeric text (amounts
    often arrive as text, and "9" < "10" must hold), else as they are."""
    present = [v for v in values if v not in (None, "")]
    try:
        return [to_number(v) for v in present]
    except ValueError:
        return present


def _average(numbers: list[float | int]) -> float | None:
    return sum(numbers) / len(numbers) if numbers else None


@node(
    type="core.aggregate",
    title="Aggregate",
    group="Transform",
    description="Combine items into one (or one per group): all items, lists, counts, sums.",
    icon="aggregate",
    params={
        "type": "object",
        "properties": {
            "mode": {"title": "Mode", "enum": ["all_items", "fields"], "default": "fields"},
            "destination": {"title": "Field for all items", "type": "string",
                            "default": "items"},
            "group_by": {"title": "Group by field", "type": "string",
                         "description": "One output item per distinct value (optional)."},
            "fields": {
                "title": "Fields",
                "type": "array",
                "items": {
                    "type": "object",
                    "required": ["field"],
                    "properties": {
                        "field": {"title": "Field", "type": "string", "minLength": 1},
                        "operation": {"title": "Operation", "enum": list(OPERATIONS),
                                      "default": "list"},
                        "as": {"title": "Output name", "type": "string"},
                    },
                },
            },
        },
    },
)
def run(ctx: RunContext, items: Items, params: Params) -> Outputs:
    # Settings shape the whole batch: expressions in them are read once, for the first item.
    rendered = params.render(items[0] if items else None)
    group_by = rendered.get("group_by") or ""
    groups: dict[str, Items] = {}
    keys: dict[str, Any] = {}
    for item in items:
        key = get_path(item, group_by) if group_by else None
        groups.setdefault(repr(key), []).append(item)
        keys[repr(key)] = key
    results = []
    for marker, members in groups.items():
        summary: Item = {group_by.split(".")[-1]: keys[marker]} if group_by else {}
        summary.update(_aggregate(members, rendered))
        results.append(summary)
    return {"main": results}


def _aggregate(items: Items, settings: dict[str, Any]) -> Item:
    if settings.get("mode") == "all_items":
        return {settings.get("destination") or "items": items}
    summary: Item = {}
    for spec in settings.get("fields") or []:
        field, operation = spec["field"], spec.get("operation", "list")
        values = [get_path(item, field) for item in items]
        if operation == "list":
            values = [v for v in values if v is not None]
        try:
            summary[spec.get("as") or _default_name(field, operation)] = OPERATIONS[operation](
                values)
        except (ValueError, TypeError) as err:
            raise NodeError(f"Cannot {operation} {field!r}: {err}.") from None
    return summary


def _default_name(field: str, operation: str) -> str:
    name = field.split(".")[-1]
    return name if operation == "list" else f"{operation}_{name}"
