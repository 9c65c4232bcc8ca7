"""Execute sub-workflow: run another workflow with these items and use what it returns."""

from nodes.registry import Items, NodeError, Outputs, Params, RunContext, node


@node(
    type="core.execute_workflow",
    title="Execute sub-workflow",
    group="Flow",
    description="Run another workflow with these items; its last step's items come back.",
    icon="subflow",
    params={
        "type": "object",
        "required": ["workflow"],
        "properties": {
            "workflow": {"title": "Workflow", "type": ["integer", "string"],
                         "description": "The workflow's id or name."},
            "mode": {"title": "Run", "enum": ["once", "each_item"], "default": "once",
                     "description": "Once with all items, or once per item."},
            "wait": {"title": "Wait for it to finish", "type": "boolean", "default": True},
        },
    },
    ui={"options": {"workflow": "workflows"}},
)
def run(ctx: RunContext, items: Items, params: Params) -> Outputs:
    rendered = params.render(items[0] if items else None)
    reference = rendered.get("workflow")
    if reference in (None, ""):
        raise NodeError("Choose the workflow to execute.")
    wait = bool(rendered.get("wait", True))
    if rendered.get("mode") == "each_item":
        results: Items = []
        for item in items:
            results.extend(ctx.run_workflow(reference, [item], wait))
        return {"main": results}
    return {"main": ctx.run_workflow(reference, items, wait)}
