"""Respond to webhook: answer the request that started the run, then carry on."""

from nodes.registry import Items, Outputs, Params, RunContext, node


@node(
    type="core.respond_webhook",
    title="Respond to webhook",
    group="HTTP",
    description="Send the HTTP response for a Webhook trigger set to respond from a node.",
    icon="reply",
    params={
        "type": "object",
        "properties": {
            "status": {"title": "Status code", "type": "integer", "minimum": 100,
                       "maximum": 599, "default": 200},
            "body": {"title": "Body", "description": "Defaults to the first item."},
            "headers": {"title": "Headers", "type": "object",
                        "additionalProperties": {"type": "string"}},
        },
    },
)
def run(ctx: RunContext, items: Items, params: Params) -> Outputs:
    first = items[0] if items else {}
    rendered = params.render(first)
    body = rendered.get("body", first)
    # A whole expression keeps its type ({{ run.id }} is a number); headers are text.
    headers = {str(k): str(v) for k, v in (rendered.get("headers") or {}).items()}
    ctx.respond(int(rendered.get("status") or 200), body, headers)
    return {"main": items}
