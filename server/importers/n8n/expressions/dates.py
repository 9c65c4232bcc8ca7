"""Luxon dates in n8n expressions ($now, $today, DateTime...) as Flowlane's date filters.

Flowlane passes dates around as ISO strings (or datetimes from `now()`); `parse_date`,
`format_date` and `date_add` accept both, so a Luxon chain becomes a filter chain.
"""

from __future__ import annotations

import re
from typing import TYPE_CHECKING

from server.importers.n8n.expressions.lexer import Unsupported
from server.importers.n8n.expressions.parser import Literal, Node, ObjectLiteral
from server.importers.n8n.expressions.values import (
    Value,
    filtered,
    literal,
    pipe,
    string_literal_of,
    wrap,
)

if TYPE_CHECKING:
    from server.importers.n8n.expressions.emit import Emitter

#: Luxon format tokens and their strftime codes, longest first.
_TOKENS = [
    ("yyyy", "%Y"), ("yy", "%y"), ("MMMM", "%B"), ("MMM", "%b"), ("MM", "%m"), ("M", "%-m"),
    ("dd", "%d"), ("d", "%-d"), ("HH", "%H"), ("H", "%-H"), ("hh", "%I"), ("h", "%-I"),
    ("mm", "%M"), ("m", "%-M"), ("ss", "%S"), ("s", "%-S"), ("a", "%p"), ("EEEE", "%A"),
    ("EEE", "%a"), ("cccc", "%A"), ("ccc", "%a"), ("ZZ", "%z"), ("Z", "%z"), ("z", "%Z"),
    ("ooo", "%j"), ("WW", "%V"), ("kkkk", "%G"),
]
_UNITS = {"year": "years", "month": "months", "week": "weeks", "day": "days", "hour": "hours",
          "minute": "minutes", "second": "seconds"}
_PARTS = {"year": "%Y", "month": "%m", "day": "%d", "hour": "%H", "minute": "%M",
          "second": "%S", "weekday": "%u", "ordinal": "%j", "weekNumber": "%V"}


def strftime(luxon: str) -> str:
    """A Luxon format string as strftime codes; `Unsupported` for tokens with no code."""
    out: list[str] = []
    index = 0
    while index < len(luxon):
        char = luxon[index]
        if char == "'":
            end = luxon.find("'", index + 1)
            if end < 0:
                raise Unsupported("a date format with an unclosed quote")
            out.append(luxon[index + 1:end].replace("%", "%%") or "'")
            index = end + 1
            continue
        if char.isalpha():
            for token, code in _TOKENS:
                if luxon.startswith(token, index):
                    out.append(code)
                    index += len(token)
                    break
            else:
                run = re.match(r"([A-Za-z])\1*", luxon[index:])
                raise Unsupported(f"the date format token {run.group() if run else char!r}")
            continue
        out.append("%%" if char == "%" else char)
        index += 1
    return "".join(out)


def constructor(name: str, values: list[Value]) -> Value:
    if name == "DateTime.now" and not values:
        return Value("now()", "date")
    if name in ("DateTime.fromISO", "DateTime.fromMillis", "DateTime.fromSeconds",
                "DateTime.fromJSDate", "DateTime.fromSQL", "DateTime.fromRFC2822",
                "DateTime.fromHTTP") and values:
        return filtered(f"{pipe(values[0])} | parse_date", "date")
    if name == "DateTime.fromFormat" and len(values) >= 2:
        return filtered(f"{pipe(values[0])} | parse_date({literal(_format(values[1]))})", "date")
    raise Unsupported(f"{name}()")


def date_part(target: Value, name: str) -> Value:
    if name in _PARTS:
        return filtered(f"{pipe(target)} | format_date({literal(_PARTS[name])}) | int", "number")
    raise Unsupported(f"the date property .{name}")


def method(emitter: Emitter, target: Value, name: str, nodes: tuple[Node, ...],
           args: list[Value]) -> Value:
    base = pipe(target)
    if name in ("toISO", "toString", "toJSON") and not args:
        return filtered(f"{base} | parse_date", "string")
    if name == "toISODate" and not args:
        return filtered(f"{base} | format_date('%Y-%m-%d')", "string")
    if name == "toFormat" and len(args) == 1:
        return filtered(f"{base} | format_date({literal(_format(args[0]))})", "string")
    if name in ("toJSDate", "toLocal", "toUTC") and not args:
        return target
    if name in ("plus", "minus"):
        amounts = _durations(emitter, nodes)
        sign = -1 if name == "minus" else 1
        keywords = ", ".join(f"{unit}={_signed(value, sign)}" for unit, value in amounts)
        return filtered(f"{base} | date_add({keywords})", "date")
    if name == "startOf" and len(nodes) == 1 and isinstance(nodes[0], Literal):
        formats = {"day": "%Y-%m-%d", "month": "%Y-%m-01", "year": "%Y-01-01"}
        unit = str(nodes[0].value)
        if unit in formats:
            return filtered(f"{base} | format_date({literal(formats[unit])}) | parse_date", "date")
    raise Unsupported(f"the date method .{name}()")


def _format(value: Value) -> str:
    text = string_literal_of(value)
    if text is None:
        raise Unsupported("a date format that is not plain text")
    return strftime(text)


def _durations(emitter: Emitter, nodes: tuple[Node, ...]) -> list[tuple[str, str]]:
    """`{days: 3, hours: 1}` or `(3, 'days')` as [(unit, amount code)]."""
    if len(nodes) == 1 and isinstance(nodes[0], ObjectLiteral):
        pairs = [(key, value) for key, value in nodes[0].pairs]
    elif len(nodes) == 2 and isinstance(nodes[1], Literal) and isinstance(nodes[1].value, str):
        pairs = [(nodes[1].value, nodes[0])]
    else:
        raise Unsupported("a duration that is not {unit: amount} or (amount, 'unit')")
    found: list[tuple[str, str]] = []
    for unit, amount in pairs:
        key = _UNITS.get(unit.rstrip("s"))
        if key is None:
            raise Unsupported(f"the duration unit {unit!r}")
        if isinstance(amount, Literal) and isinstance(amount.value, bool | str):
            raise Unsupported("a duration amount that is not a number")
        found.append((key, wrap(emitter.emit(amount))))
    return found


def _signed(code: str, sign: int) -> str:
    if sign > 0:
        return code
    if code.startswith("-") and code[1:].replace(".", "", 1).isdigit():
        return code[1:]
    return f"-{code}"
