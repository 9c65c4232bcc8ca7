"""Search rows: the rows of a data table that match filters, sorted, up to a limit."""

from __future__ import annotations

from nodes.core import table_common as common
from nodes.registry import Items, Outputs, Params, RunContext, node

OPERATORS = ["eq", "ne", "gt", "gte", "lt", "lte", "in", "contains", "not_contains",
             "starts_with", "ends_with", "is_empty", "is_not_empty"]


@node(
    type="core.table.search",
    title="Search rows",
    group="Data",
    description="Find rows by column filters, sorted, up to a limit; outputs each row.",
    icon="table",
    params={
        "type": "object",
        "required": ["table"],
        "properties": {
            "table": common.TABLE,
            "filters": {
                "title": "Filters", "type": "array",
                "items": {"type": "object", "required": ["column", "op"], "properties": {
                    "column": common.column("Column", fields=True),
                    "op": {"title": "Operator", "enum": OPERATORS, "default": "eq",
                           "description": "Text compares exactly for eq; contains, "
                                          "starts_with and ends_with ignore case. in takes "
                                          "a list."},
                    "value": {"title": "Value"},
                }},
            },
            "match": {"title": "Rows must match", "enum": ["all", "any"], "default": "all"},
            "sort": {
                "title": "Sort by", "type": "array",
                "items": {"type": "object", "required": ["column"], "properties": {
                    "column": common.column("Column", fields=True),
                    "order": {"title": "Order", "enum": ["asc", "desc"], "default": "asc"},
                }},
            },
            "limit": {"title": "At most", "type": "integer", "minimum": 1, "maximum": 10000,
                      "default": 100},
            "once": {"title": "Search once", "type": "boolean", "default": False,
                     "description": "On: one search with the first item's values. Off: one "
                                    "search per item."},
        },
    },
)
def run(ctx: RunContext, items: Items, params: Params) -> Outputs:
    """Empty values sort last; rows with equal sort values keep their id order."""
    tables = ctx.service("tables")
    targets = items[:1] if params.raw.get("once") else items
    rows: Items = []
    for index, item in enumerate(targets):
        rendered = params.render(item, index)
        rows += tables.search(rendered["table"], filters=rendered.get("filters") or [],
                              sort=rendered.get("sort") or [], limit=rendered.get("limit", 100),
                              match=rendered.get("match", "all"))
    return {"main": rows}
