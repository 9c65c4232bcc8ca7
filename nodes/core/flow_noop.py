"""No-op: passes items through unchanged (a place to pin data or to tidy wiring)."""

from nodes.registry import Items, Outputs, Params, RunContext, node


@node(
    type="core.noop",
    title="No operation",
    group="Flow",
    description="Pass items through unchanged.",
    icon="arrow-right",
)
def run(ctx: RunContext, items: Items, params: Params) -> Outputs:
    return {"main": items}
