"""The "Needs attention" stand-in for an n8n node Flowlane cannot run, and why it cannot."""

from __future__ import annotations

from server.importers.n8n.context import Mapped, keep_verbatim
from server.importers.n8n.expressions.template import fence
from server.importers.n8n.reader import N8nNode

NEEDS_ATTENTION = "core.needs_attention"
_CODE = {"code", "function", "functionItem", "pythonFunction", "executeCommand", "ssh"}
_LEGACY_TRIGGERS = {"cron": "Cron", "interval": "Interval"}


def reason_for(node: N8nNode) -> str:
    """Why an n8n node type without a mapping cannot be carried over, for a person."""
    package, _, short = node.type.rpartition(".")
    if package != "n8n-nodes-base":
        if package.startswith("@n8n/n8n-nodes-langchain"):
            return "it is one of n8n's AI (LangChain) nodes, which Flowlane does not have"
        return f"it is a community node (package {package or node.type!r}) Flowlane cannot run"
    if short in _CODE:
        return ("it runs code (n8n's " + short + " node), which Flowlane does not do; rebuild it "
                "with Map fields, Filter, Aggregate or an HTTP request")
    if short in _LEGACY_TRIGGERS:
        return (f"n8n's old {_LEGACY_TRIGGERS[short]} trigger is not carried over; add a "
                "Schedule trigger instead")
    return f"Flowlane has no equivalent of n8n's {short} node"


def is_trigger_like(node: N8nNode) -> bool:
    """Unsupported triggers get a manual trigger in front, so the workflow can still start."""
    short = node.short_type.lower()
    return short.endswith("trigger") or short in ("cron", "interval", "start", "webhook")


def placeholder(node: N8nNode, reason: str, outputs: int) -> Mapped:
    count = max(1, min(outputs, 50))
    ports = ["main", *(f"output{index + 1}" for index in range(1, count))]
    params = {
        "original_type": node.type,
        "reason": fence(reason, only_active=True),
        "ports": [{"name": port} for port in ports],
        "original": keep_verbatim(node.raw),
    }
    return Mapped(NEEDS_ATTENTION, params, outputs=list(ports), inputs=["main"])
