"""Remove duplicates: keep the first item of each distinct value (whole item or fields)."""

import json

from nodes.core.paths import get_path
from nodes.registry import Items, Outputs, Params, RunContext, node


@node(
    type="core.dedupe",
    title="Remove duplicates",
    group="Transform",
    description="Drop items that repeat an earlier one, comparing all or some fields.",
    icon="dedupe",
    params={
        "type": "object",
        "properties": {
            "compare": {"title": "Compare", "enum": ["all_fields", "selected_fields"],
                        "default": "all_fields"},
            "fields": {"title": "Fields", "type": "array", "items": {"type": "string"}},
        },
    },
)
def run(ctx: RunContext, items: Items, params: Params) -> Outputs:
    # Settings shape the whole batch: expressions in them are read once, for the first item.
    rendered = params.render(items[0] if items else None)
    fields = rendered.get("fields") or []
    selected = rendered.get("compare") == "selected_fields" and fields
    seen: set[str] = set()
    kept: Items = []
    for item in items:
        value = [get_path(item, f) for f in fields] if selected else item
        marker = json.dumps(value, sort_keys=True, default=str)
        if marker not in seen:
            seen.add(marker)
            kept.append(item)
    return {"main": kept}
