"""Split out: turn a list inside each item into one item per entry."""

from nodes.core.paths import get_path, without_path
from nodes.registry import Items, NodeError, Outputs, Params, RunContext, node


@node(
    type="core.split_out",
    title="Split out",
    group="Transform",
    description="Make one item per entry of a list field (e.g. each line of an order).",
    icon="split-out",
    params={
        "type": "object",
        "required": ["field"],
        "properties": {
            "field": {"title": "List field", "type": "string", "minLength": 1},
            "include": {"title": "Also keep", "enum": ["nothing", "other_fields"],
                        "default": "nothing"},
            "destination": {"title": "Put each entry in", "type": "string",
                            "description": "Field name for entries that are not objects; "
                            "defaults to the list field's name."},
        },
    },
)
def run(ctx: RunContext, items: Items, params: Params) -> Outputs:
    # Settings shape the whole batch: expressions in them are read once, for the first item.
    rendered = params.render(items[0] if items else None)
    field = str(rendered["field"])
    destination = rendered.get("destination") or field.split(".")[-1]
    keep_others = rendered.get("include") == "other_fields"
    result: Items = []
    for position, item in enumerate(items, 1):
        entries = get_path(item, field)
        if entries is None:
            continue
        if not isinstance(entries, list):
            raise NodeError(f"{field!r} is not a list in item {position}.")
        base = without_path(item, field) if keep_others else {}
        for entry in entries:
            part = entry if isinstance(entry, dict) else {destination: entry}
            result.append({**base, **part})
    return {"main": result}
