"""Needs attention: a stand-in for a node an import could not carry over.

An n8n node Flowlane cannot run (Code, a community node, an unsupported option) becomes this
node, so the graph keeps its shape and its ports; its params keep the original node's settings.
Running it fails on purpose, with a message saying what it stood for: a silent pass-through
would let a half-imported workflow look as if it worked.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from nodes.registry import Items, NodeError, Outputs, Params, RunContext, node

MAX_PORTS = 50


def output_ports(params: Mapping[str, Any]) -> list[str]:
    """The original node's outputs, by name; one "main" output when none are listed."""
    names: list[str] = []
    rows = params.get("ports")
    for index, row in enumerate(rows if isinstance(rows, list) else []):
        name = row.get("name") if isinstance(row, dict) else None
        name = str(name) if name not in (None, "") else str(index)
        if name not in names:
            names.append(name)
    return names[:MAX_PORTS] or ["main"]


@node(
    type="core.needs_attention",
    title="Needs attention",
    group="Flow",
    description="Stands in for an imported node Flowlane cannot run; replace it before "
    "running the workflow.",
    icon="alert",
    dynamic_outputs=output_ports,
    outputs_from={"param": "ports", "key": "name", "default": "index", "extra": []},
    outputs=("main",),
    params={
        "type": "object",
        "properties": {
            "original_type": {"title": "Original node type", "type": "string"},
            "reason": {"title": "Why it needs attention", "type": "string"},
            "ports": {
                "title": "Outputs",
                "type": "array",
                "maxItems": MAX_PORTS,
                "items": {
                    "type": "object",
                    "required": ["name"],
                    "properties": {"name": {"type": "string", "minLength": 1}},
                },
            },
            "original": {
                "title": "Original node",
                "type": "object",
                "description": "The node as it was before the import, kept for reference.",
            },
        },
    },
)
def run(ctx: RunContext, items: Items, params: Params) -> Outputs:
    """Fail with a sentence that says what this node was and what to do about it."""
    original_type = str(params.raw.get("original_type") or "an unknown node type")
    reason = str(params.raw.get("reason") or "Flowlane has no equivalent for it")
    raise NodeError(
        f"{ctx.node_name} needs attention: it was imported as {original_type}, which Flowlane "
        f"cannot run ({reason.rstrip('.')}). Replace it with Flowlane nodes that do the same "
        "(its original settings are kept in its params under 'original'), or remove it.",
        {"original_type": original_type, "reason": reason},
    )
