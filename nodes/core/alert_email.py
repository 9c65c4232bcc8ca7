"""Send email: a message per item (or one for all), through an SMTP connection, with the
item's files (CSV and PDF reports) attached."""

from __future__ import annotations

from typing import Any

from nodes.core.alert_channels import addresses, send_email
from nodes.registry import Item, Items, NodeError, Outputs, Params, RunContext, node


@node(
    type="core.alert.email",
    title="Send email",
    group="Alerts",
    description="Email a message per item (or one summary) with files attached.",
    credential="smtp",
    icon="mail",
    params={
        "type": "object",
        "required": ["to", "subject", "body"],
        "properties": {
            "to": {"title": "To", "type": "string", "minLength": 1,
                   "description": "Addresses separated by commas; may be an expression."},
            "cc": {"title": "Cc", "type": "string"},
            "bcc": {"title": "Bcc", "type": "string"},
            "subject": {"title": "Subject", "type": "string", "minLength": 1},
            "body": {"title": "Message", "type": "string", "ui": {"widget": "template"}},
            "html": {"title": "The message is HTML", "type": "boolean", "default": False},
            "attach_files": {"title": "Attach the item's files", "type": "boolean",
                             "default": True},
            "mode": {"title": "Send", "enum": ["each_item", "once"], "default": "each_item"},
        },
    },
)
def run(ctx: RunContext, items: Items, params: Params) -> Outputs:
    smtp = ctx.credential or {}
    once = params.raw.get("mode") == "once"
    targets = items[:1] if once else items
    sent: Items = []
    for index, item in enumerate(targets or [{}]):
        if ctx.cancelled():
            break
        rendered = params.render(item, index)
        files = _attachments(ctx, items if once else [item]) if rendered.get(
            "attach_files", True) else []
        message_id = send_email(
            smtp, addresses(rendered["to"]), str(rendered["subject"]),
            str(rendered.get("body") or ""), bool(rendered.get("html")),
            addresses(rendered.get("cc")), addresses(rendered.get("bcc")), files)
        sent.append({**item, "email": {"sent": True, "to": addresses(rendered["to"]),
                                       "message_id": message_id,
                                       "attachments": [name for name, _m, _c in files]}})
    return {"main": sent}


def _attachments(ctx: RunContext, items: Items) -> list[tuple[str, str, bytes]]:
    found: list[tuple[str, str, bytes]] = []
    seen: set[Any] = set()
    for item in items:
        for file in _files_of(item):
            artifact_id = file.get("artifact_id")
            if artifact_id is None or artifact_id in seen:
                continue
            seen.add(artifact_id)
            try:
                found.append(ctx.service("files").read(artifact_id))
            except LookupError:
                raise NodeError(f"The file {file.get('name')!r} no longer exists.") from None
    return found


def _files_of(item: Item) -> list[dict[str, Any]]:
    return [f for f in (item.get("file"), *(item.get("files") or [])) if isinstance(f, dict)]
