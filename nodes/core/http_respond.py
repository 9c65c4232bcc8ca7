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
    ctx.respond(int(rendered.get("status") or 200), body, rendered.get("headers") or {})
    return {"main": items}
