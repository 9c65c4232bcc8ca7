"""Table changed: starts the workflow when rows of a data table are created, updated or
deleted (from the Data page, the API, CSV imports or other workflows).

Its one item is the change (server/tables/triggers.py documents it):
{event, table: {id, name}, row, previous, changed, source}.
"""

from __future__ import annotations

from nodes.core import table_common as common
from nodes.registry import Items, Outputs, Params, RunContext, node

EVENTS = ["created", "updated", "deleted"]
SOURCES = ["api", "csv", "workflow"]


@node(
    type="core.trigger.table",
    title="Table changed",
    group="Triggers",
    description="Starts the workflow when rows of a data table are created, updated or "
                "deleted.",
    trigger="table",
    icon="table",
    params={
        "type": "object",
        "required": ["table"],
        "properties": {
            "table": common.TABLE,
            "events": {"title": "When a row is", "type": "array", "uniqueItems": True,
                       "minItems": 1, "items": {"enum": EVENTS}, "default": EVENTS},
            "columns": {"title": "Only when these columns change", "type": "array",
                        "uniqueItems": True, "items": common.column("Column"),
                        "description": "For updates; empty: any change. A workflow is never "
                                       "started by a change its own run made."},
            "sources": {"title": "On changes made by", "type": "array", "uniqueItems": True,
                        "minItems": 1, "items": {"enum": SOURCES}, "default": SOURCES,
                        "description": "api: people (the Data page, the API); csv: CSV "
                                       "imports; workflow: other workflows."},
            "ignore_workflows": {
                "title": "Not on changes made by these workflows", "type": "array",
                "uniqueItems": True, "items": {"type": "string", "minLength": 1},
                "description": "Workflow names (ignoring case). A two-way sync names the "
                               "workflow that writes the other side's changes in, so they "
                               "are not sent back."},
        },
    },
)
def run(ctx: RunContext, items: Items, params: Params) -> Outputs:
    """The change as one item (or, for a manual test run, the input given)."""
    payload = ctx.trigger_payload
    if isinstance(payload, dict):
        return {"main": [dict(payload)]}
    if isinstance(payload, list):
        return {"main": [p if isinstance(p, dict) else {"value": p} for p in payload]}
    return {"main": [{}]}
