"""In-app notification: the bell in Flowlane's header, and a toast for everyone online."""

from __future__ import annotations

from nodes.registry import Items, Outputs, Params, RunContext, node


@node(
    type="core.alert.notify",
    title="Notify in the app",
    group="Alerts",
    description="Show a notification in Flowlane (the bell, and a live toast).",
    icon="bell",
    params={
        "type": "object",
        "required": ["title"],
        "properties": {
            "title": {"title": "Title", "type": "string", "minLength": 1},
            "body": {"title": "Message", "type": "string", "ui": {"widget": "template"}},
            "level": {"title": "Kind", "enum": ["info", "success", "warning", "error"],
                      "default": "info"},
            "link": {"title": "Link", "type": "string",
                     "description": "Where clicking it leads (defaults to this run)."},
            "mode": {"title": "Send", "enum": ["each_item", "once"], "default": "once"},
        },
    },
)
def run(ctx: RunContext, items: Items, params: Params) -> Outputs:
    service = ctx.service("notifications")
    targets = items[:1] if params.raw.get("mode", "once") == "once" else items
    sent: Items = []
    for index, item in enumerate(targets or [{}]):
        rendered = params.render(item, index)
        notification = service.send(str(rendered["title"]), str(rendered.get("body") or ""),
                                    str(rendered.get("level") or "info"),
                                    rendered.get("link") or None)
        sent.append({**item, "notification": notification})
    return {"main": sent}
