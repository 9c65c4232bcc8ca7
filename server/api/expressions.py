"""/api/expressions/preview: render one `{{ }}` template against sample data, for the editor.

The editor shows what an expression gives for the node's input (from the last test run or
pinned data) while the user types. The template runs in the same sandbox as in a run, so a
preview that works means the run will too, given the same data.
"""

from __future__ import annotations

import json
from collections.abc import Iterator, Mapping
from datetime import UTC, datetime
from typing import Any

from flask import Blueprint

from server.api.base import doc, json_body
from server.auth.permissions import Permission, requires
from server.engine import expressions, filters
from server.engine.executor import NodeData

bp = Blueprint("expressions", __name__, url_prefix="/api/expressions")

PREVIEW_BODY: dict[str, Any] = {
    "type": "object",
    "required": ["template"],
    "properties": {
        "template": {"type": "string", "maxLength": 20000},
        "item": {"description": "The current item (`item`)."},
        "items": {"type": "array", "description": "All the node's input items (`items`)."},
        "index": {"type": "integer", "minimum": 0},
        "nodes": {
            "type": "object",
            "description": "Earlier nodes' output items by node name (`nodes[\"Name\"].items`).",
            "additionalProperties": {"type": "array"},
        },
        "trigger": {"description": "The trigger's first item (`trigger`)."},
        "run": {"type": "object"},
    },
}


class _Nodes(Mapping[str, NodeData]):
    """`nodes["Name"]` in a preview: the same `NodeData` a run gives, from the data sent."""

    def __init__(self, data: Mapping[str, list[Any]]) -> None:
        self._data = {name: NodeData({"main": list(items)}) for name, items in data.items()}

    def __getitem__(self, name: str) -> NodeData:
        if name not in self._data:
            raise KeyError(f"node {name!r} has no data in this preview (run the workflow first)")
        return self._data[name]

    def __iter__(self) -> Iterator[str]:
        return iter(self._data)

    def __len__(self) -> int:
        return len(self._data)


@bp.post("/preview")
@requires(Permission.READ)
@doc("Render an expression against sample data: its value, or the error", tag="expressions",
     body=PREVIEW_BODY, responses={200: "Rendered (ok true) or failed (ok false, error)"})
def preview() -> dict[str, Any]:
    body = json_body(PREVIEW_BODY)
    items = body.get("items")
    if items is None:
        items = [body["item"]] if isinstance(body.get("item"), dict) else []
    item = body.get("item")
    if item is None:
        item = items[0] if items else {}
    scope = {
        "item": item,
        "items": items,
        "index": body.get("index", 0),
        "trigger": body.get("trigger") or {},
        "nodes": _Nodes(body.get("nodes") or {}),
        "run": {"id": 0, "workflow_id": 0, "workflow": "", "trigger_kind": "manual",
                "started_at": datetime.now(UTC), **(body.get("run") or {})},
        "now": lambda: datetime.now(UTC),
    }
    try:
        value = expressions.evaluate(body["template"], scope)
    except expressions.ExpressionError as err:
        return {"ok": False, "error": err.reason}
    # Anything the template returns must travel as JSON (a NodeData becomes its repr).
    return {"ok": True, "value": json.loads(json.dumps(filters.jsonable(value), default=str))}
