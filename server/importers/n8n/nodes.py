"""One n8n node -> one Flowlane document node (or a "Needs attention" stand-in), with the node
settings n8n keeps beside the parameters: disabled, retries, on-error, notes."""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Any

from nodes import registry
from server.engine.schema import FORMAT
from server.engine.validate import validate
from server.importers.n8n import mappers
from server.importers.n8n.context import MapContext, Mapped, NeedsAttention
from server.importers.n8n.expressions import Scope
from server.importers.n8n.placeholder import placeholder, reason_for
from server.importers.n8n.reader import N8nNode
from server.importers.n8n.report import ImportReport, NodeEntry

#: n8n credential types -> (Flowlane connection kind, or hints to find one in the registry).
_CREDENTIAL_KINDS: dict[str, tuple[str, ...]] = {
    "httpBasicAuth": ("http_basic",), "httpHeaderAuth": ("http_header",),
    "httpBearerAuth": ("http_bearer",), "highLevelOAuth2Api": ("ghl_oauth", "ghl"),
    "highLevelApi": ("ghl_pit", "ghl"), "slackApi": ("slack",),
    "slackOAuth2Api": ("slack",), "smtp": ("smtp", "email"),
}


@dataclass
class Converted:
    node: N8nNode
    id: str
    mapped: Mapped
    document: dict[str, Any]
    placeholder: bool = False


def slug(name: str) -> str:
    text = re.sub(r"[^A-Za-z0-9_.\-]+", "_", name.strip().lower()).strip("_.-")
    return text[:80] or "node"


def convert_node(node: N8nNode, node_id: str, name: str, scope: Scope,
                 report: ImportReport, outputs_used: int) -> Converted:
    mark = report.checkpoint()
    mapper = mappers.find(node.type)
    reason = None if mapper is not None else reason_for(node)
    mapped: Mapped | None = None
    if mapper is not None:
        try:
            mapped = mapper(MapContext(node, report, scope))
        except NeedsAttention as err:
            reason = str(err)
        except (TypeError, ValueError, AttributeError, KeyError, IndexError, RecursionError) \
                as err:  # odd input must make a stand-in, never a server error
            reason = f"its settings could not be read ({type(err).__name__})"
        if mapped is not None and registry.get(mapped.type) is None:
            reason, mapped = f"Flowlane's {mapped.type} node is not available", None
        elif mapped is not None and (problem := params_problem(mapped, name)):
            reason, mapped = f"its settings do not fit Flowlane's {mapped.type} node: "\
                f"{problem}", None
    entry = NodeEntry(name, node.type, node.version, node_id)
    if mapped is None:
        report.rollback(mark)
        reason = (reason or "it could not be carried over").rstrip(".")
        report.need(f"It became a 'Needs attention' node: {reason}.", name, "unsupported_node")
        mapped = placeholder(node, reason, outputs_used)
        entry.status = "needs_attention"
    entry.flowlane_type = mapped.type
    report.nodes.append(entry)
    document = _document_node(node, node_id, name, mapped, report)
    _credentials(node, name, report)
    return Converted(node, node_id, mapped, document, entry.status == "needs_attention")


def params_problem(mapped: Mapped, name: str) -> str | None:
    """What Flowlane's validation says about these params, if anything (one sentence)."""
    document = {"format": FORMAT, "name": "check", "nodes": [
        {"id": "node", "type": mapped.type, "name": name, "params": mapped.params}]}
    for problem in validate(document).errors:
        if problem.pointer.startswith("/nodes/0/params"):
            return problem.message.removeprefix(f"{name}: ")
    return None


def _document_node(node: N8nNode, node_id: str, name: str, mapped: Mapped,
                   report: ImportReport) -> dict[str, Any]:
    raw = node.raw
    document: dict[str, Any] = {"id": node_id, "type": mapped.type, "name": name,
                                "position": node.position, "params": mapped.params}
    spec = registry.get(mapped.type)
    if mapped.credential and spec is not None and spec.credential:
        document["credential"] = mapped.credential
    if raw.get("retryOnFail") is True:
        tries = raw.get("maxTries", 3)
        wait_ms = raw.get("waitBetweenTries", 1000)
        document["retry"] = {
            "max_attempts": _clamp(tries, 3, 1, 10),
            "backoff_s": _clamp(wait_ms, 1000, 0, 3_600_000) / 1000,
        }
    on_error = raw.get("onError")
    if on_error == "continueErrorOutput":
        document["on_error"] = "error_output"
    elif on_error == "continueRegularOutput" or raw.get("continueOnFail") is True:
        document["on_error"] = "continue"
    if node.disabled:
        document["disabled"] = True
    if node.notes:
        document["notes"] = node.notes[:10000]
    if raw.get("alwaysOutputData") is True:
        report.need("'Always output data' is not carried over: a step that outputs nothing "
                    "stops its branch", name)
    if raw.get("executeOnce") is True:
        report.need("'Execute once' is not carried over: the step runs for every item", name)
    return document


def _clamp(value: Any, default: float, low: float, high: float) -> float:
    if not isinstance(value, int | float) or isinstance(value, bool):
        value = default
    return max(low, min(high, value))


def _credentials(node: N8nNode, name: str, report: ImportReport) -> None:
    from server.importers.n8n.fit import credential_kind

    for n8n_type, entry in node.credentials.items():
        if not isinstance(entry, dict):
            continue
        label = entry.get("name") or entry.get("id") or n8n_type
        hints = _CREDENTIAL_KINDS.get(str(n8n_type))
        kind = None
        if hints:
            kind = hints[0] if registry.get_credential_kind(hints[0]) else credential_kind(*hints)
        if node.short_type == "webhook" and n8n_type == "httpHeaderAuth":
            kind = "webhook_secret"
        report.credential(str(label)[:200], str(n8n_type), kind, name)


def output_port(converted: Converted, index: int) -> str | None:
    """The Flowlane port for an n8n output index (n8n's error output comes last)."""
    outputs = converted.mapped.outputs
    if index < len(outputs):
        return outputs[index]
    if index == len(outputs) and converted.document.get("on_error") == "error_output":
        return "error"
    return None


def input_port(converted: Converted, index: int) -> str | None:
    inputs = converted.mapped.inputs
    if converted.placeholder:
        return inputs[0]
    return inputs[index] if index < len(inputs) else None
