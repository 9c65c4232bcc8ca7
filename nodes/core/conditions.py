"""Typed conditions shared by IF, Switch and Filter (n8n's operators, in plain names).

A condition set is `{"combinator": "and"|"or", "case_sensitive": bool, "rules": [rule]}` and a
rule is `{"left": value, "type": "string", "operator": "contains", "right": value}`, both sides
already rendered for the item. Values are converted to the rule's type; one that cannot be is
an error naming the rule, not a silent false.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Mapping
from functools import lru_cache
from typing import Any

from nodes.registry import Item, NodeError, Params
from server.engine import filters
from server.engine.expressions import ExpressionError
from server.engine.filters import to_datetime

TYPES = ("string", "number", "date", "boolean", "array", "object")

_COMMON = ("exists", "not_exists", "empty", "not_empty")
OPERATORS: dict[str, tuple[str, ...]] = {
    "string": (*_COMMON, "equals", "not_equals", "contains", "not_contains", "starts_with",
               "not_starts_with", "ends_with", "not_ends_with", "regex", "not_regex"),
    "number": (*_COMMON, "equals", "not_equals", "gt", "lt", "gte", "lte"),
    "date": (*_COMMON, "equals", "not_equals", "after", "before", "after_or_equal",
             "before_or_equal"),
    "boolean": (*_COMMON, "true", "false", "equals", "not_equals"),
    "array": (*_COMMON, "contains", "not_contains", "length_equals", "length_not_equals",
              "length_gt", "length_lt", "length_gte", "length_lte"),
    "object": _COMMON,
}
#: Operators that take no right-hand value.
UNARY = {*_COMMON, "true", "false"}

RULE_SCHEMA: dict[str, Any] = {
    "type": "object",
    "required": ["operator"],
    "properties": {
        "left": {"title": "Value", "description": "Usually an expression: {{ item.status }}"},
        "type": {"enum": list(TYPES), "default": "string", "title": "Type"},
        "operator": {
            "enum": sorted({op for ops in OPERATORS.values() for op in ops}),
            "title": "Operator",
        },
        "right": {"title": "Compare with"},
    },
}

CONDITIONS_SCHEMA: dict[str, Any] = {
    "type": "object",
    "title": "Conditions",
    "properties": {
        "combinator": {"enum": ["and", "or"], "default": "and", "title": "Match"},
        "case_sensitive": {"type": "boolean", "default": True, "title": "Case sensitive"},
        "rules": {"type": "array", "items": RULE_SCHEMA, "title": "Rules", "minItems": 1},
    },
    "required": ["rules"],
}


def render_for(params: Params, item: Item, index: int) -> dict[str, Any]:
    """The params of IF, Switch or Filter rendered for `item`.

    `{{ item.phone }}` fails when the item has no phone, yet "does phone exist?" is exactly
    what an exists/empty rule asks: for those rules a missing field is no value. Other rules
    keep the error, which names the missing field. The first attempt renders everything at
    once (the fast path); only an item with a missing field pays for rule-by-rule rendering.
    """
    try:
        return params.render(item, index)
    except ExpressionError as err:
        if not err.undefined:
            raise
    rendered: dict[str, Any] = _render_lenient(dict(params.raw), params, item, index)
    return rendered


def _render_lenient(value: Any, params: Params, item: Item, index: int) -> Any:
    if isinstance(value, list):
        return [_render_lenient(child, params, item, index) for child in value]
    if not isinstance(value, dict):
        return params.evaluate(value, item, index)
    rendered = {key: _render_lenient(child, params, item, index)
                for key, child in value.items() if not (key == "left" and "operator" in value)}
    if "left" in rendered or "left" not in value:
        return rendered
    try:
        rendered["left"] = params.evaluate(value["left"], item, index)
    except ExpressionError as err:
        if not (err.undefined and rendered.get("operator") in _COMMON):
            raise
        rendered["left"] = None
    return rendered


def matches(conditions: Mapping[str, Any], where: str = "Condition", tz: str = "UTC") -> bool:
    """True when the rendered condition set holds for its item; dates without a zone are
    read in `tz` (the workflow's timezone)."""
    rules = conditions.get("rules") or []
    case_sensitive = conditions.get("case_sensitive", True)
    results = (
        evaluate_rule(rule, case_sensitive, f"{where} {index + 1}", tz)
        for index, rule in enumerate(rules)
    )
    if conditions.get("combinator", "and") == "or":
        return any(results)
    return all(results)


def evaluate_rule(rule: Mapping[str, Any], case_sensitive: bool = True, where: str = "",
                  tz: str = "UTC") -> bool:
    kind = rule.get("type") or "string"
    operator = rule.get("operator") or "equals"
    if kind not in OPERATORS or operator not in OPERATORS[kind]:
        raise NodeError(f"{where}: {kind} values have no operator {operator!r}.")
    left = rule.get("left")
    if operator in _COMMON:
        return _common(operator, left)
    right = rule.get("right")
    try:
        if kind == "date":
            return _date(operator, left, right, tz)
        return _COMPARE[kind](operator, left, right, case_sensitive)
    except (ValueError, TypeError) as err:
        raise NodeError(f"{where}: {err}") from None


def _common(operator: str, value: Any) -> bool:
    exists = value is not None
    empty = value is None or value == "" or (isinstance(value, list | dict) and not value)
    return {"exists": exists, "not_exists": not exists, "empty": empty,
            "not_empty": not empty}[operator]


def _negated(operator: str) -> tuple[str, bool]:
    if operator.startswith("not_"):
        return operator[4:], True
    return operator, False


def _string(operator: str, left: Any, right: Any, case_sensitive: bool) -> bool:
    text = "" if left is None else str(left)
    other = "" if right is None else str(right)
    base, negate = _negated(operator)
    if base == "regex":
        flags = 0 if case_sensitive else re.IGNORECASE
        result = _regex(other, flags).search(text) is not None
    else:
        if not case_sensitive:
            text, other = text.casefold(), other.casefold()
        result = {
            "equals": text == other,
            "contains": other in text,
            "starts_with": text.startswith(other),
            "ends_with": text.endswith(other),
        }[base]
    return result != negate


@lru_cache(maxsize=512)
def _regex(pattern: str, flags: int) -> re.Pattern[str]:
    try:
        return re.compile(pattern, flags)
    except re.error as err:
        raise ValueError(f"{pattern!r} is not a valid regular expression ({err})") from None


def to_number(value: Any) -> float:
    """Numbers as Map fields and filters read them: "$1,200.50" is 1200.5; NaN is not one."""
    return float(filters.to_number(value))


def _number(operator: str, left: Any, right: Any, _case: bool) -> bool:
    a, b = to_number(left), to_number(right)
    return {"equals": a == b, "not_equals": a != b, "gt": a > b, "lt": a < b, "gte": a >= b,
            "lte": a <= b}[operator]


def _date(operator: str, left: Any, right: Any, tz: str) -> bool:
    a, b = to_datetime(left, tz=tz), to_datetime(right, tz=tz)
    return {"equals": a == b, "not_equals": a != b, "after": a > b, "before": a < b,
            "after_or_equal": a >= b, "before_or_equal": a <= b}[operator]


def to_boolean(value: Any) -> bool:
    if isinstance(value, bool):
        return value
    if isinstance(value, int | float):
        return value != 0
    if isinstance(value, str) and value.strip().lower() in ("true", "false", "yes", "no", "1", "0"):
        return value.strip().lower() in ("true", "yes", "1")
    raise ValueError(f"{value!r} is not true or false")


def _boolean(operator: str, left: Any, right: Any, _case: bool) -> bool:
    value = to_boolean(left)
    if operator == "true":
        return value
    if operator == "false":
        return not value
    same = value == to_boolean(right)
    return same if operator == "equals" else not same


def _array(operator: str, left: Any, right: Any, case_sensitive: bool) -> bool:
    if not isinstance(left, list):
        raise ValueError(f"{left!r} is not a list")
    base, negate = _negated(operator)
    if base == "contains":
        if not case_sensitive and isinstance(right, str):
            found = any(isinstance(v, str) and v.casefold() == right.casefold() for v in left)
        else:
            found = right in left
        return found != negate
    size, wanted = len(left), to_number(right)
    return {"length_equals": size == wanted, "length_not_equals": size != wanted,
            "length_gt": size > wanted, "length_lt": size < wanted,
            "length_gte": size >= wanted, "length_lte": size <= wanted}[operator]


_COMPARE: dict[str, Callable[[str, Any, Any, bool], bool]] = {
    "string": _string,
    "number": _number,
    "boolean": _boolean,
    "array": _array,
}
