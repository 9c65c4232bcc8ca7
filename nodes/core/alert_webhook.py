"""Send webhook alert: POST a JSON message per item to any URL, optionally signed."""

from __future__ import annotations

from nodes.core.alert_channels import post_json
from nodes.registry import Items, Outputs, Params, RunContext, node


@node(
    type="core.alert.webhook",
    title="Send webhook alert",
    group="Alerts",
    description="POST a JSON message to a URL (Teams, Discord, your own service), "
                "signed with X-Flowlane-Signature when a signing secret is chosen.",
    credential="webhook_signing",
    credential_required=False,
    icon="send",
    params={
        "type": "object",
        "required": ["url"],
        "properties": {
            "url": {"title": "URL", "type": "string", "minLength": 1},
            "payload": {"title": "JSON to send",
                        "description": "An object; defaults to {text, item}."},
            "text": {"title": "Message", "type": "string", "ui": {"widget": "template"}},
        },
    },
)
def run(ctx: RunContext, items: Items, params: Params) -> Outputs:
    secret = (ctx.credential or {}).get("secret")
    sent: Items = []
    for index, item in enumerate(items or [{}]):
        if ctx.cancelled():
            break
        rendered = params.render(item, index)
        payload = rendered.get("payload") or {"text": rendered.get("text", ""), "item": item}
        status = post_json(ctx.http, str(rendered["url"]), payload, secret)
        sent.append({**item, "webhook": {"sent": True, "status": status}})
    return {"main": sent}
