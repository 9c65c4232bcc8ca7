"""Stop with error: fail the run on purpose, with a message (and the error workflow runs)."""

from nodes.registry import Items, NodeError, Outputs, Params, RunContext, node


@node(
    type="core.stop",
    title="Stop with error",
    group="Flow",
    description="Fail the run with your message, e.g. when data is invalid.",
    icon="stop",
    outputs=(),
    params={
        "type": "object",
        "required": ["message"],
        "properties": {"message": {"title": "Error message", "type": "string", "minLength": 1}},
    },
)
def run(ctx: RunContext, items: Items, params: Params) -> Outputs:
    message = params.value("message", items[0] if items else None)
    raise NodeError(str(message))
