"""n8n conditions (IF, Switch, Filter) as Flowlane condition sets.

Two n8n shapes exist: v1's `{string: [{value1, operation, value2}], number: [...], ...}` and
the typed "filter" of IF v2+, Switch v3+ and Filter v2+:
`{conditions: [{leftValue, rightValue, operator: {type, operation}}], combinator, options}`.
Flowlane's operators are n8n's, spelled in snake_case.
"""

from __future__ import annotations

import re
from typing import Any

from nodes.core.conditions import OPERATORS, UNARY
from server.importers.n8n.context import MapContext, NeedsAttention

_TYPES = {"string": "string", "number": "number", "dateTime": "date", "boolean": "boolean",
          "array": "array", "object": "object"}
_RENAMED = {"afterOrEquals": "after_or_equal", "beforeOrEquals": "before_or_equal"}
#: An always-true rule (n8n runs an empty condition list as "true").
ALWAYS = {"left": True, "type": "boolean", "operator": "true"}
NEVER = {"left": False, "type": "boolean", "operator": "true"}

_V1_OPERATIONS = {
    "boolean": {"equal": "equals", "notEqual": "not_equals"},
    "number": {"smaller": "lt", "smallerEqual": "lte", "equal": "equals",
               "notEqual": "not_equals", "larger": "gt", "largerEqual": "gte",
               "isEmpty": "empty", "isNotEmpty": "not_empty"},
    "string": {"contains": "contains", "notContains": "not_contains", "endsWith": "ends_with",
               "notEndsWith": "not_ends_with", "equal": "equals", "notEqual": "not_equals",
               "regex": "regex", "notRegex": "not_regex", "startsWith": "starts_with",
               "notStartsWith": "not_starts_with", "isEmpty": "empty",
               "isNotEmpty": "not_empty"},
    "dateTime": {"after": "after", "before": "before"},
}
_V1_DEFAULTS = {"boolean": ("equal", False), "number": ("smaller", 0), "string": ("equal", ""),
                "dateTime": ("after", "")}


def snake(name: str) -> str:
    return _RENAMED.get(name) or re.sub(r"(?<!^)([A-Z])", r"_\1", name).lower()


def from_filter(ctx: MapContext, raw: Any, where: str, ignore_case: bool = False
                ) -> dict[str, Any]:
    """A typed n8n filter (IF v2+, Switch v3+, Filter v2+) as a Flowlane condition set."""
    if not isinstance(raw, dict):
        raise NeedsAttention(f"its conditions ({where}) are not in a form n8n writes")
    options = raw.get("options") if isinstance(raw.get("options"), dict) else {}
    case_sensitive = bool(options.get("caseSensitive", True)) and not ignore_case
    combinator = str(raw.get("combinator") or "and").lower()
    if combinator not in ("and", "or"):
        raise NeedsAttention(f"the conditions are combined with {combinator!r}")
    rules = []
    for index, condition in enumerate(raw.get("conditions") or []):
        if isinstance(condition, dict):
            rules.append(_typed_rule(ctx, condition, f"{where}.conditions[{index}]",
                                     case_sensitive))
    return {"combinator": combinator, "case_sensitive": case_sensitive,
            "rules": rules or [dict(ALWAYS)]}


def _typed_rule(ctx: MapContext, condition: dict[str, Any], where: str,
                case_sensitive: bool) -> dict[str, Any]:
    operator = condition.get("operator") if isinstance(condition.get("operator"), dict) else {}
    n8n_type = str(operator.get("type") or "string")
    operation = str(operator.get("operation") or "equals")
    kind = _TYPES.get(n8n_type)
    name = snake(operation)
    if kind is None or name not in OPERATORS[kind]:
        raise NeedsAttention(f"the condition operator {n8n_type} {operation!r} has no Flowlane "
                             "equivalent")
    rule: dict[str, Any] = {"left": ctx.value(condition.get("leftValue", ""), f"{where}.left"),
                            "type": kind, "operator": name}
    if name not in UNARY:
        right = condition.get("rightValue", "")
        if name in ("regex", "not_regex"):
            right = _regex(right, case_sensitive)
        rule["right"] = ctx.value(right, f"{where}.right")
    return rule


def from_v1(ctx: MapContext, raw: Any, combine: str) -> dict[str, Any]:
    """IF v1 / Filter v1 / Switch v1-2 style conditions (grouped by data type)."""
    rules = []
    groups = raw if isinstance(raw, dict) else {}
    for n8n_type in ("boolean", "dateTime", "number", "string"):
        for index, condition in enumerate(groups.get(n8n_type) or []):
            if not isinstance(condition, dict):
                continue
            operation, default_value = _V1_DEFAULTS[n8n_type]
            rules.append(v1_rule(ctx, n8n_type, condition.get("value1", default_value),
                                 condition.get("operation", operation),
                                 condition.get("value2", default_value),
                                 f"conditions.{n8n_type}[{index}]"))
    # n8n v1 sends every item to "false" when there are no conditions at all.
    return {"combinator": "or" if combine.lower() in ("any", "or") else "and",
            "case_sensitive": True, "rules": rules or [dict(NEVER)]}


def v1_rule(ctx: MapContext, n8n_type: str, left: Any, operation: Any, right: Any,
            where: str) -> dict[str, Any]:
    name = _V1_OPERATIONS.get(n8n_type, {}).get(str(operation))
    if name is None:
        raise NeedsAttention(f"the {n8n_type} comparison {operation!r} has no Flowlane "
                             "equivalent")
    kind = _TYPES[n8n_type]
    rule: dict[str, Any] = {"left": ctx.value(left, f"{where}.value1"), "type": kind,
                            "operator": name}
    if name not in UNARY:
        if name in ("regex", "not_regex"):
            right = _regex(right, True)
        rule["right"] = ctx.value(right, f"{where}.value2")
    return rule


def _regex(value: Any, case_sensitive: bool) -> Any:
    """n8n accepts `/pattern/flags`; Python wants the pattern, with `(?i)` for the i flag."""
    if not isinstance(value, str) or value.startswith("="):
        return value
    found = re.fullmatch(r"/(.*)/([a-z]*)", value, re.S)
    if not found:
        return value
    pattern, flags = found.groups()
    if "i" in flags and case_sensitive:
        pattern = "(?i)" + pattern
    return pattern
