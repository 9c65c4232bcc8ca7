"""Slack, Send Email and Convert to File (CSV), onto Flowlane's alert and file nodes.

Those nodes are declared elsewhere (core.alert.slack, core.alert.email, core.file.csv); an
n8n node maps onto one only when it is registered, its values placed by name on that node's
params schema. Until then the n8n node becomes a "Needs attention" stand-in.
"""

from __future__ import annotations

from typing import Any

from server.importers.n8n.context import MapContext, Mapped, NeedsAttention
from server.importers.n8n.fit import find_type, fit
from server.importers.n8n.mappers import maps

SLACK, EMAIL, CSV = "core.alert.slack", "core.alert.email", "core.file.csv"


def _onto(ctx: MapContext, node_type: str, title: str, values: dict[str, Any],
          aliases: dict[str, list[str]]) -> Mapped:
    spec = find_type([node_type])
    if spec is None:
        raise NeedsAttention(f"Flowlane's {title} node ({node_type}) is not available in this "
                             "version yet")
    fitted = fit(spec, values, aliases)
    if fitted.missing:
        raise NeedsAttention(f"Flowlane's {title} node needs {', '.join(fitted.missing)}, "
                             "which this node does not give")
    for name in fitted.unplaced:
        ctx.need(f"its {name} setting has no place on Flowlane's {title} node")
    return Mapped(spec.type, fitted.params)


@maps("slack")
def slack(ctx: MapContext) -> Mapped:
    if (ctx.get("resource"), ctx.get("operation")) != ("message", "post"):
        raise NeedsAttention(f"it does Slack {ctx.get('resource')} {ctx.get('operation')}; "
                             "Flowlane sends messages only")
    channel = ctx.get("channelId", ctx.get("channel", ""))
    values = {"text": ctx.param("text", ""),
              "channel": ctx.value(channel, "channel") if channel else None}
    for extra in ("blocksUi", "attachments"):
        if ctx.get(extra):
            ctx.need(f"its Slack {extra} are not carried over; the message text is")
    return _onto(ctx, SLACK, "Slack alert", values,
                 {"text": ["message", "body"], "channel": ["channel_id", "to"]})


@maps("emailSend")
def email(ctx: MapContext) -> Mapped:
    fmt = ctx.get("emailFormat", "text")
    values = {
        "to": ctx.param("toEmail", ""), "from": ctx.param("fromEmail", "") or None,
        "subject": ctx.param("subject", ""),
        "text": ctx.param("text", "") if fmt in ("text", "both") or ctx.version < 2 else None,
        "html": ctx.param("html", "") if fmt in ("html", "both") or ctx.version < 2 else None,
        "cc": ctx.option("ccEmail") and ctx.value(ctx.option("ccEmail"), "options.ccEmail"),
        "bcc": ctx.option("bccEmail") and ctx.value(ctx.option("bccEmail"), "options.bccEmail"),
    }
    if ctx.option("attachments"):
        ctx.need("its attachments (n8n binary properties) are not carried over")
    return _onto(ctx, EMAIL, "email alert", {k: v for k, v in values.items() if v},
                 {"to": ["to_email", "recipients", "to_address"], "from": ["from_email",
                  "sender"], "text": ["body", "message", "text_body"],
                  "html": ["html_body", "body_html"]})


@maps("convertToFile")
def convert_to_file(ctx: MapContext) -> Mapped:
    if ctx.get("operation", "csv") != "csv":
        raise NeedsAttention(f"it converts to {ctx.get('operation')!r}; Flowlane makes CSV "
                             "files only")
    values = {"file_name": ctx.option("fileName") and ctx.value(ctx.option("fileName"),
                                                                 "options.fileName"),
              "delimiter": ctx.option("delimiter"),
              "header_row": ctx.option("headerRow")}
    return _onto(ctx, CSV, "CSV file", {k: v for k, v in values.items() if v is not None},
                 {"file_name": ["filename", "name"], "delimiter": ["separator"],
                  "header_row": ["header", "headers", "include_header"]})
