"""Limit: keep the first (or last) N items."""

from nodes.registry import Items, NodeError, Outputs, Params, RunContext, node


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
    value = params.value("max_items")
    try:
        limit = int(value)
    except (TypeError, ValueError):
        limit = -1
    if limit < 0 or isinstance(value, bool):
        raise NodeError(f"Max items must be a whole number of 0 or more, not {value!r}.")
    if params.value("keep") == "last":
        return {"main": items[-limit:] if limit else []}
    return {"main": items[:limit]}
