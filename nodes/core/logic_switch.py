"""Switch: route each item to the output of the first (or every) rule it matches."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from nodes.core.conditions import CONDITIONS_SCHEMA, matches, render_for
from nodes.registry import Items, NodeError, Outputs, Params, RunContext, node

FALLBACK = "fallback"


def output_ports(params: Mapping[str, Any]) -> list[str]:
    """Rule outputs in order (named, or numbered from 0), then the fallback output."""
    if params.get("mode") == "expression":
        count = params.get("outputs", 2)
        names = [str(i) for i in range(count if isinstance(count, int) else 2)]
    else:
        names = []
        for index, rule in enumerate(params.get("rules") or []):
            name = rule.get("output") if isinstance(rule, dict) else None
            name = str(name) if name not in (None, "") else str(index)
            if name not in names:
                names.append(name)
    return [*names, FALLBACK]


@node(
    type="core.switch",
    title="Switch",
    group="Logic",
    description="Route items to different outputs by rules, with a fallback output.",
    dynamic_outputs=output_ports,
    outputs_from={"param": "rules", "key": "output", "default": "index", "extra": [FALLBACK],
                  "expression_mode": {"param": "outputs"}},
    outputs=(FALLBACK,),
    icon="switch",
    params={
        "type": "object",
        "properties": {
            "mode": {"title": "Mode", "enum": ["rules", "expression"], "default": "rules"},
            "rules": {
                "title": "Routing rules",
                "type": "array",
                "items": {
                    "type": "object",
                    "required": ["conditions"],
                    "properties": {
                        "output": {"title": "Output name", "type": "string"},
                        "conditions": CONDITIONS_SCHEMA,
                    },
                },
            },
            "all_matches": {
                "title": "Send to all matching outputs",
                "type": "boolean",
                "default": False,
            },
            "fallback": {
                "title": "When no rule matches",
                "enum": ["drop", "output"],
                "default": "output",
                "description": "Send the item to the 'fallback' output, or drop it.",
            },
            "outputs": {"title": "Number of outputs (expression mode)", "type": "integer",
                        "minimum": 1, "maximum": 50, "default": 2},
            "output_index": {
                "title": "Output index (expression mode)",
                "description": "An expression giving the output number, from 0.",
            },
        },
    },
)
def run(ctx: RunContext, items: Items, params: Params) -> Outputs:
    ports = output_ports(params.raw)
    outputs: Outputs = {port: [] for port in ports}
    expression_mode = params.raw.get("mode") == "expression"
    for index, item in enumerate(items):
        rendered = render_for(params, item, index)
        targets = (_by_expression(rendered, ports) if expression_mode
                   else _by_rules(rendered, ctx.timezone))
        if not targets and rendered.get("fallback", "output") == "output":
            targets = [FALLBACK]
        for target in targets:
            outputs[target].append(item)
    return outputs


def _by_rules(rendered: Mapping[str, Any], tz: str) -> list[str]:
    targets: list[str] = []
    for index, rule in enumerate(rendered.get("rules") or []):
        if matches(rule["conditions"], f"Rule {index + 1}, condition", tz):
            name = rule.get("output")
            name = str(name) if name not in (None, "") else str(index)
            if name not in targets:
                targets.append(name)
            if not rendered.get("all_matches"):
                break
    return targets


def _by_expression(rendered: Mapping[str, Any], ports: list[str]) -> list[str]:
    value = rendered.get("output_index")
    try:
        index = int(value)
    except (TypeError, ValueError):
        raise NodeError(f"The output index {value!r} is not a number.") from None
    if not 0 <= index < len(ports) - 1:
        raise NodeError(f"The output index {index} is out of range (0 to {len(ports) - 2}).")
    return [ports[index]]
