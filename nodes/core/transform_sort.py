"""Sort items by one or more fields; numbers and dates compare as such, missing values last."""

from __future__ import annotations

import re
from datetime import datetime
from functools import cmp_to_key
from typing import Any

from nodes.core.paths import get_path
from nodes.registry import Item, Items, Outputs, Params, RunContext, node
from server.engine.filters import to_datetime, to_number


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
    # Settings shape the whole batch: expressions in them are read once, for the first item.
    rendered = params.render(items[0] if items else None)
    fields = [(f["field"], f.get("order", "asc") == "desc") for f in rendered["fields"]]
    # Each value is read and converted once per item, not once per comparison.
    views = {id(item): [_view(get_path(item, field)) for field, _ in fields] for item in items}

    def compare(a: Item, b: Item) -> int:
        for (_, descending), left, right in zip(fields, views[id(a)], views[id(b)],
                                                strict=True):
            if left is None or right is None:  # missing values last, whatever the order
                result = (left is None) - (right is None)
            else:
                result = _compare(left, right)
                result = -result if descending else result
            if result:
                return result
        return 0

    return {"main": sorted(items, key=cmp_to_key(compare))}


_ISO_DATE = re.compile(r"^\d{4}-\d{2}-\d{2}")

#: A value to sort by: (number, moment, text), each None when the value is not one.
View = tuple[float | None, datetime | None, str]


def _view(value: Any) -> View | None:
    if value is None or value == "":
        return None
    try:
        number: float | None = float(to_number(value))
    except ValueError:
        number = None
    moment = None
    if number is None and isinstance(value, str) and _ISO_DATE.match(value):
        try:
            moment = to_datetime(value)
        except ValueError:
            moment = None
    return number, moment, str(value).casefold()


def _compare(a: View, b: View) -> int:
    """Numbers (numeric text too) numerically, ISO dates as moments, anything else as text."""
    for left, right in zip(a, b, strict=True):
        if left is not None and right is not None:
            return (left > right) - (left < right)  # type: ignore[operator]
    return 0
