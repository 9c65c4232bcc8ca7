"""IF, Filter and Switch. Ports map by index: IF 0 = true, 1 = false; Switch outputs in order,
then the fallback; Filter's one output is the kept items."""

from __future__ import annotations

from typing import Any

from server.importers.n8n.context import MapContext, Mapped, NeedsAttention
from server.importers.n8n.mappers import maps
from server.importers.n8n.mappers.conditions import ALWAYS, from_filter, from_v1, v1_rule


def _ignore_case(ctx: MapContext) -> bool:
    return bool(ctx.option("ignoreCase", False))


@maps("if")
def if_node(ctx: MapContext) -> Mapped:
    if ctx.version < 2:
        conditions = from_v1(ctx, ctx.get("conditions"), str(ctx.get("combineOperation")))
    else:
        conditions = from_filter(ctx, ctx.get("conditions"), "conditions", _ignore_case(ctx))
    return Mapped("core.if", {"conditions": conditions}, outputs=["true", "false"])


@maps("filter")
def filter_node(ctx: MapContext) -> Mapped:
    if ctx.version < 2:
        conditions = from_v1(ctx, ctx.get("conditions"), str(ctx.get("combineConditions")))
    else:
        conditions = from_filter(ctx, ctx.get("conditions"), "conditions", _ignore_case(ctx))
    return Mapped("core.filter", {"conditions": conditions}, outputs=["main"])


@maps("switch")
def switch_node(ctx: MapContext) -> Mapped:
    if ctx.get("mode") == "expression":
        return _by_expression(ctx)
    if ctx.version < 3:
        return _rules_v1(ctx)
    return _rules_v3(ctx)


def _by_expression(ctx: MapContext) -> Mapped:
    key = "numberOutputs" if ctx.version >= 3 else "outputsAmount"
    count = ctx.get(key, 4)
    if not isinstance(count, int) or isinstance(count, bool) or not 1 <= count <= 50:
        raise NeedsAttention(f"its number of outputs ({count!r}) is not a number from 1 to 50")
    params = {"mode": "expression", "outputs": count,
              "output_index": ctx.param("output", "={{ $itemIndex }}")}
    return Mapped("core.switch", params, outputs=[str(i) for i in range(count)])


def _rules_v3(ctx: MapContext) -> Mapped:
    rules_raw = ctx.get("rules")
    values = rules_raw.get("values") if isinstance(rules_raw, dict) else None
    if not isinstance(values, list) or not values:
        raise NeedsAttention("it has no routing rules")
    ignore_case = _ignore_case(ctx)
    rules: list[dict[str, Any]] = []
    ports: list[str] = []
    for index, rule in enumerate(values):
        rule = rule if isinstance(rule, dict) else {}
        name = str(rule.get("outputKey") or "").strip() if rule.get("renameOutput") else ""
        port = name if name and name not in ports and name != "fallback" else str(index)
        if port in ports:
            port = f"{index} ({port})"
        ports.append(port)
        rules.append({"output": port,
                      "conditions": from_filter(ctx, rule.get("conditions"),
                                                f"rules.values[{index}].conditions",
                                                ignore_case)})
    all_matches = bool(ctx.option("allMatchingOutputs", False))
    fallback = ctx.option("fallbackOutput", "none")
    params: dict[str, Any] = {"mode": "rules", "rules": rules, "all_matches": all_matches,
                              "fallback": "drop"}
    outputs: list[str | None] = list(ports)
    if fallback == "extra":
        params["fallback"] = "output"
        outputs.append("fallback")
    elif isinstance(fallback, int) and not isinstance(fallback, bool) \
            and 0 <= fallback < len(ports):
        _fallback_to_rule(ctx, params, ports[fallback], all_matches)
    elif fallback not in ("none", None, ""):
        ctx.need(f"its fallback output {fallback!r} is not one Flowlane knows; unmatched items "
                 "are dropped")
    return Mapped("core.switch", params, outputs=outputs)


def _fallback_to_rule(ctx: MapContext, params: dict[str, Any], port: str,
                      all_matches: bool) -> None:
    """n8n can send unmatched items to a rule's output: a last always-true rule does that."""
    if all_matches:
        ctx.need(f"unmatched items went to output {port!r} in n8n; with 'send to all matching "
                 "outputs' Flowlane cannot do that, so they are dropped")
        return
    params["rules"].append({"output": port,
                            "conditions": {"combinator": "and", "rules": [dict(ALWAYS)]}})


def _rules_v1(ctx: MapContext) -> Mapped:
    data_type = str(ctx.get("dataType") or "number")
    left = ctx.get("value1", {"boolean": False, "number": 0}.get(data_type, ""))
    rules_raw = ctx.get("rules")
    entries = rules_raw.get("rules") if isinstance(rules_raw, dict) else None
    defaults = {"boolean": "equal", "number": "smaller", "string": "equal", "dateTime": "after"}
    rules: list[dict[str, Any]] = []
    used: set[int] = set()
    for index, entry in enumerate(entries if isinstance(entries, list) else []):
        entry = entry if isinstance(entry, dict) else {}
        output = entry.get("output", 0)
        if not isinstance(output, int) or isinstance(output, bool) or output < 0:
            raise NeedsAttention(f"rule {index + 1} routes to output {output!r}")
        used.add(output)
        condition = v1_rule(ctx, data_type, left, entry.get("operation", defaults.get(data_type)),
                            entry.get("value2", ""), f"rules.rules[{index}]")
        rules.append({"output": str(output),
                      "conditions": {"combinator": "and", "rules": [condition]}})
    if not rules:
        raise NeedsAttention("it has no routing rules")
    fallback = ctx.get("fallbackOutput", -1)
    params: dict[str, Any] = {"mode": "rules", "rules": rules, "fallback": "drop"}
    if isinstance(fallback, int) and not isinstance(fallback, bool) and fallback >= 0:
        used.add(fallback)
        _fallback_to_rule(ctx, params, str(fallback), False)
    outputs: list[str | None] = [str(i) if i in used else None for i in range(max(used) + 1)]
    return Mapped("core.switch", params, outputs=outputs)
