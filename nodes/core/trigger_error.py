"""Error trigger: the workflow named as another's error workflow starts here when that fails."""

from nodes.core.trigger_manual import as_items
from nodes.registry import Items, Outputs, Params, RunContext, node


@node(
    type="core.trigger.error",
    title="When a workflow fails",
    group="Triggers",
    description="Starts this workflow with the failed run's details (workflow, run, error, "
    "node) when a workflow that names it as error workflow fails.",
    trigger="error",
    icon="alert",
)
def run(ctx: RunContext, items: Items, params: Params) -> Outputs:
    return {"main": as_items(ctx.trigger_payload)}
