"""Manual trigger: "Test workflow", "Run now" and `flowlane run` start here."""

from nodes.registry import Items, Outputs, Params, RunContext, node


def as_items(payload: object) -> Items:
    """Trigger data as items: a list of objects stays a list, an object is one item."""
    if payload is None:
        return [{}]
    if isinstance(payload, list):
        return [entry if isinstance(entry, dict) else {"value": entry} for entry in payload]
    if isinstance(payload, dict):
        return [payload]
    return [{"value": payload}]


@node(
    type="core.trigger.manual",
    title="Manual trigger",
    group="Triggers",
    description="Starts the workflow when you click Run, or from the API and the CLI.",
    trigger="manual",
    icon="play",
    params={
        "type": "object",
        "properties": {
            "sample": {
                "title": "Sample data",
                "description": "Items to start with when the run is given no input.",
                "type": ["array", "object", "null"],
            }
        },
    },
)
def run(ctx: RunContext, items: Items, params: Params) -> Outputs:
    payload = ctx.trigger_payload
    if payload is None:
        payload = params.raw.get("sample")
    return {"main": as_items(payload)}
