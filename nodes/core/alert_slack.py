"""Send Slack alert: a message per item (or one for all items) to an incoming webhook."""

from __future__ import annotations

from nodes.core.alert_channels import send_slack
from nodes.registry import Item, Items, NodeError, Outputs, Params, RunContext, node

MESSAGE_HELP = ("A template: {{ item.name }} moved to {{ item.stage }} — "
                "{{ item.value | money }}. Files in the item are linked.")


@node(
    type="core.alert.slack",
    title="Send Slack alert",
    group="Alerts",
    description="Post a message to a Slack channel through an incoming webhook.",
    credential="slack_webhook",
    icon="slack",
    params={
        "type": "object",
        "required": ["text"],
        "properties": {
            "text": {"title": "Message", "type": "string", "minLength": 1,
                     "description": MESSAGE_HELP, "ui": {"widget": "template"}},
            "mode": {"title": "Send", "enum": ["each_item", "once"], "default": "each_item",
                     "description": "One message per item (one ping per deal), or one for "
                                    "the whole batch (a digest; `items` holds them all)."},
        },
    },
)
def run(ctx: RunContext, items: Items, params: Params) -> Outputs:
    """One message per item: an owner wants one ping per deal, not a digest."""
    credential = ctx.credential or {}
    url = str(credential.get("webhook_url") or "")
    if not url:
        raise NodeError("The Slack connection has no webhook URL.")
    targets = items if params.raw.get("mode", "each_item") == "each_item" else items[:1]
    sent: Items = []
    for index, item in enumerate(targets or [{}]):
        if ctx.cancelled():
            break
        text = str(params.render(item, index)["text"]) + _file_links(item, ctx)
        send_slack(ctx.http, url, text)
        sent.append({**item, "slack": {"sent": True, "text": text}})
    return {"main": sent}


def _file_links(item: Item, ctx: RunContext) -> str:
    """Slack webhooks cannot upload files: a report made earlier in the run is linked."""
    files = [f for f in (item.get("file"), *(item.get("files") or [])) if isinstance(f, dict)]
    return "".join(f"\n<{f.get('url')}|{f.get('name')}>" for f in files if f.get("url"))
