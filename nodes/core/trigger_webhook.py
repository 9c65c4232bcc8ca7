"""Webhook trigger: an HTTP request to /webhook/<path> starts the workflow."""

from nodes.registry import Items, Outputs, Params, RunContext, node

METHODS = ["GET", "POST", "PUT", "PATCH", "DELETE"]


@node(
    type="core.trigger.webhook",
    title="Webhook",
    group="Triggers",
    description="Starts the workflow when an HTTP request arrives at its URL.",
    trigger="webhook",
    icon="webhook",
    credential="webhook_secret",
    params={
        "type": "object",
        "required": ["path"],
        "properties": {
            "path": {
                "title": "Path",
                "description": "The URL is <server>/webhook/<path>. Keep it hard to guess.",
                "type": "string",
                "pattern": "^[A-Za-z0-9_\\-./]{1,200}$",
            },
            "method": {"title": "HTTP method", "enum": METHODS, "default": "POST"},
            "respond": {
                "title": "Respond",
                "description": "Answer at once with the run id (202), or when a "
                "'Respond to webhook' node runs.",
                "enum": ["immediately", "respond_node"],
                "default": "immediately",
            },
        },
    },
    credential_required=False,
)
def run(ctx: RunContext, items: Items, params: Params) -> Outputs:
    """One item: the request's body, query, headers and method."""
    payload = ctx.trigger_payload or {}
    return {"main": [dict(payload)] if isinstance(payload, dict) else [{"body": payload}]}
