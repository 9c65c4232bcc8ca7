"""Sub-workflow trigger: the entry point when another workflow executes this one."""

from nodes.core.trigger_manual import as_items
from nodes.registry import Items, Outputs, Params, RunContext, node


@node(
    type="core.trigger.subworkflow",
    title="When called by another workflow",
    group="Triggers",
    description="Starts the workflow with the items an 'Execute sub-workflow' node sends.",
    trigger="subworkflow",
    icon="enter",
)
def run(ctx: RunContext, items: Items, params: Params) -> Outputs:
    return {"main": as_items(ctx.trigger_payload)}
