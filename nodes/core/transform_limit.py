"""Limit: keep the first (or last) N items."""

from nodes.registry import Items, Outputs, Params, RunContext, node


@node(
    type="core.limit",
    title="Limit",
    group="Transform",
    description="Keep only the first or last N items.",
    icon="limit",
    params={
        "type": "object",
        "required": ["max_items"],
        "properties": {
            "max_items": {"title": "Max items", "type": "integer", "minimum": 0, "default": 10},
            "keep": {"title": "Keep", "enum": ["first", "last"], "default": "first"},
        },
    },
)
def run(ctx: RunContext, items: Items, params: Params) -> Outputs:
    limit = int(params.value("max_items"))
    if params.raw.get("keep") == "last":
        return {"main": items[-limit:] if limit else []}
    return {"main": items[:limit]}
