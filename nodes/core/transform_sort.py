"""Sort items by one or more fields; numbers and dates compare as such."""

from __future__ import annotations

from functools import cmp_to_key
from typing import Any

from nodes.core.paths import get_path
from nodes.registry import Item, Items, Outputs, Params, RunContext, node


@node(
    type="core.sort",
    title="Sort",
    group="Transform",
    description="Order items by fields, ascending or descending.",
    icon="sort",
    params={
        "type": "object",
        "required": ["fields"],
        "properties": {
            "fields": {
                "title": "Sort by",
                "type": "array",
                "minItems": 1,
                "items": {
                    "type": "object",
                    "required": ["field"],
                    "properties": {
                        "field": {"title": "Field", "type": "string", "minLength": 1},
                        "order": {"title": "Order", "enum": ["asc", "desc"], "default": "asc"},
                    },
                },
            }
        },
    },
)
def run(ctx: RunContext, items: Items, params: Params) -> Outputs:
    fields = [(f["field"], f.get("order", "asc") == "desc") for f in params.raw["fields"]]

    def compare(a: Item, b: Item) -> int:
        for field, descending in fields:
            result = _compare(get_path(a, field), get_path(b, field))
            if result:
                return -result if descending else result
        return 0

    return {"main": sorted(items, key=cmp_to_key(compare))}


def _compare(a: Any, b: Any) -> int:
    """Missing values sort last; numbers numerically; anything else as text."""
    if a is None or b is None:
        return (a is None) - (b is None)
    if isinstance(a, int | float) and isinstance(b, int | float):
        return (a > b) - (a < b)
    left, right = str(a).casefold(), str(b).casefold()
    return (left > right) - (left < right)
