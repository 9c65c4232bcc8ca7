"""IF: each item goes to "true" or "false" by its conditions."""

from nodes.core.conditions import CONDITIONS_SCHEMA, matches, render_for
from nodes.registry import Items, Outputs, Params, RunContext, node


@node(
    type="core.if",
    title="IF",
    group="Logic",
    description="Send each item to 'true' or 'false' depending on conditions.",
    outputs=("true", "false"),
    icon="split",
    params={
        "type": "object",
        "required": ["conditions"],
        "properties": {"conditions": CONDITIONS_SCHEMA},
    },
)
def run(ctx: RunContext, items: Items, params: Params) -> Outputs:
    outputs: Outputs = {"true": [], "false": []}
    for index, item in enumerate(items):
        rendered = render_for(params, item, index)
        holds = matches(rendered["conditions"], tz=ctx.timezone)
        outputs["true" if holds else "false"].append(item)
    return outputs
