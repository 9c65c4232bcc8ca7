"""Loop over items: run the steps wired to "loop" once per batch, then continue at "done".

The executor drives the repetition (see server/engine/executor.py): this declaration gives the
ports and the batch size; `run` is what happens when the loop has no body.
"""

from nodes.registry import Items, Outputs, Params, RunContext, node


@node(
    type="core.loop",
    title="Loop over items",
    group="Flow",
    description="Process items in batches: the 'loop' branch runs once per batch; wire its "
    "end back here. 'done' gets every item that came back.",
    outputs=("loop", "done"),
    icon="loop",
    params={
        "type": "object",
        "properties": {
            "batch_size": {"title": "Batch size", "type": "integer", "minimum": 1,
                           "maximum": 10000, "default": 10},
        },
    },
)
def run(ctx: RunContext, items: Items, params: Params) -> Outputs:
    return {"loop": [], "done": items}
