"""Slack, Send Email and Convert to File (CSV), onto Flowlane's alert and file nodes.

Those nodes are declared by the alerts and reports package (core.alert.slack,
core.alert.email, core.file.csv); an n8n node maps onto one only when it is registered,
otherwise it becomes a "Needs attention" stand-in.
"""

from __future__ import annotations

from typing import Any

from nodes import registry
from server.importers.n8n.context import MapContext, Mapped, NeedsAttention
from server.importers.n8n.mappers import maps

SLACK, EMAIL, CSV = "core.alert.slack", "core.alert.email", "core.file.csv"


def _require(node_type: str, title: str) -> None:
    if registry.get(node_type) is None:
        raise NeedsAttention(f"Flowlane's {title} node ({node_type}) is not available in this "
                             "version")


def _credential(ctx: MapContext, *n8n_types: str) -> str | None:
    for n8n_type in n8n_types:
        entry = ctx.node.credentials.get(n8n_type)
        if isinstance(entry, dict) and entry.get("name"):
            return str(entry["name"])[:200]
    return None


@maps("slack")
def slack(ctx: MapContext) -> Mapped:
    _require(SLACK, "Slack alert")
    if (ctx.get("resource"), ctx.get("operation")) != ("message", "post"):
        raise NeedsAttention(f"it does Slack {ctx.get('resource')} {ctx.get('operation')!r}; "
                             "Flowlane sends messages only")
    text = ctx.param("text", "")
    if not text:
        raise NeedsAttention("its message has no text (blocks or attachments only)")
    channel = ctx.get("channelId", ctx.get("channel"))
    if isinstance(channel, dict):
        channel = channel.get("cachedResultName") or channel.get("value")
    ctx.need("Flowlane posts through a Slack incoming webhook, which writes to the channel it "
             f"was made for{f' (n8n posted to {channel})' if channel else ''}: create one and "
             "connect it")
    for extra in ("blocksUi", "attachments"):
        if ctx.get(extra):
            ctx.need(f"its Slack {extra} are not carried over; the message text is")
    return Mapped(SLACK, {"text": text, "mode": "each_item"},
                  credential=_credential(ctx, "slackApi", "slackOAuth2Api"))


@maps("emailSend")
def email(ctx: MapContext) -> Mapped:
    _require(EMAIL, "Send email")
    params: dict[str, Any] = {"to": ctx.param("toEmail", ""), "subject": ctx.param("subject", "")}
    fmt = ctx.get("emailFormat", "text")
    html, text = ctx.param("html", ""), ctx.param("text", "")
    if ctx.version < 2:
        fmt = "html" if html else "text"
    if fmt == "both":
        ctx.need("it sent both an HTML and a text version; Flowlane sends the HTML one")
    params["body"] = html if fmt in ("html", "both") else text
    params["html"] = fmt in ("html", "both")
    for name in ("cc", "bcc"):
        value = ctx.option(f"{name}Email")
        if value:
            params[name] = ctx.value(value, f"options.{name}Email")
    if ctx.get("fromEmail"):
        ctx.need("the sender comes from the email connection in Flowlane; n8n sent from "
                 f"{ctx.get('fromEmail')!r}")
    # n8n attaches the binary properties it names; Flowlane attaches the items' files.
    params["attach_files"] = bool(ctx.option("attachments"))
    if not params["to"] or not params["subject"]:
        raise NeedsAttention("it has no recipient or no subject")
    return Mapped(EMAIL, params, credential=_credential(ctx, "smtp"))


@maps("convertToFile")
def convert_to_file(ctx: MapContext) -> Mapped:
    _require(CSV, "CSV file")
    if ctx.get("operation", "csv") != "csv":
        raise NeedsAttention(f"it converts to {ctx.get('operation')!r}; Flowlane makes CSV "
                             "files")
    params: dict[str, Any] = {}
    name = ctx.option("fileName")
    if name:
        params["filename"] = ctx.value(name, "options.fileName")
    delimiter = ctx.option("delimiter", ",")
    if delimiter in (",", ";", "\t", "|"):
        params["delimiter"] = delimiter
    else:
        ctx.need(f"its separator {delimiter!r} is not one Flowlane writes; a comma is used")
    if ctx.option("headerRow", True) is False:
        ctx.need("Flowlane's CSV always starts with a header row")
    ctx.need("the file is the item's 'file' field in Flowlane, not n8n's binary "
             f"{ctx.get('binaryPropertyName', 'data')!r}: check the steps that use it")
    return Mapped(CSV, params)
