"""Filter: keep the items that meet the conditions, drop the rest."""

from nodes.core.conditions import CONDITIONS_SCHEMA, matches, render_for
from nodes.registry import Items, Outputs, Params, RunContext, node


@node(
    type="core.filter",
    title="Filter",
    group="Logic",
    description="Keep only the items that meet the conditions.",
    outputs=("main", "discarded"),
    icon="filter",
    params={
        "type": "object",
        "required": ["conditions"],
        "properties": {"conditions": CONDITIONS_SCHEMA},
    },
)
def run(ctx: RunContext, items: Items, params: Params) -> Outputs:
    outputs: Outputs = {"main": [], "discarded": []}
    for index, item in enumerate(items):
        keep = matches(render_for(params, item, index)["conditions"], tz=ctx.timezone)
        outputs["main" if keep else "discarded"].append(item)
    return outputs
