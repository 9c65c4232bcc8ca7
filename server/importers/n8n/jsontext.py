"""JSON written as text in n8n parameters, with expressions inside it.

n8n lets a JSON body (or Edit Fields' JSON output) be text such as
`={ "name": "{{ $json.name }}", "value": {{ $json.value }} }`. Flowlane wants the JSON itself,
with expressions as values. Each `{{ }}` is swapped for a marker, the text is parsed as JSON,
and the markers become Flowlane expressions: one standing alone keeps its type, one inside a
string becomes text, as in n8n.
"""

from __future__ import annotations

import json
import re
from typing import Any

from server.importers.n8n.context import MapContext, NeedsAttention
from server.importers.n8n.expressions.template import fence, split

_MARK = re.compile("\ue000(\\d+)\ue001")


def parse(ctx: MapContext, raw: Any, where: str) -> Any:
    """The JSON value `raw` stands for, expressions translated; `NeedsAttention` if not JSON."""
    if isinstance(raw, dict | list):
        return ctx.value(raw, where)
    if not isinstance(raw, str):
        raise NeedsAttention(f"{where} is not JSON")
    if not raw.startswith("="):
        return _loads(raw, where, ctx, literal=True)
    segments = split(raw[1:])
    codes = [part for kind, part in segments if kind == "code"]
    if len(codes) == 1 and all(kind == "code" or not part.strip() for kind, part in segments):
        return _whole(ctx, codes[0].strip(), where)
    text, quoted = [], []
    in_string = False
    for kind, part in segments:
        if kind == "text":
            in_string = _scan(part, in_string)
            text.append(part)
        else:
            number = len(quoted)
            quoted.append(in_string)
            marker = f"\ue000{number}\ue001"
            text.append(marker if in_string else json.dumps(marker))
    value = _loads("".join(text), where, ctx)
    translated = [ctx.value("={{ " + code.strip() + " }}", where) for code in codes]
    return _restore(value, translated, quoted, where)


def _whole(ctx: MapContext, code: str, where: str) -> Any:
    """`={{ JSON.stringify(x) }}` sends x; any other whole expression sends its value."""
    found = re.fullmatch(r"JSON\.stringify\((.*)\)", code, re.S)
    return ctx.value("={{ " + (found.group(1) if found else code) + " }}", where)


def _loads(text: str, where: str, ctx: MapContext, literal: bool = False) -> Any:
    try:
        value = json.loads(text)
    except (ValueError, RecursionError):
        raise NeedsAttention(f"{where} is not valid JSON") from None
    return ctx.value(value, where) if literal else value


def _scan(text: str, in_string: bool) -> bool:
    """Whether a JSON string is still open after `text`."""
    escaped = False
    for char in text:
        if escaped:
            escaped = False
        elif char == "\\" and in_string:
            escaped = True
        elif char == '"':
            in_string = not in_string
    return in_string


def _restore(value: Any, translated: list[str], quoted: list[bool], where: str) -> Any:
    if isinstance(value, dict):
        for key in value:
            if _MARK.search(key):
                raise NeedsAttention(f"{where} builds a JSON key from an expression")
        return {key: _restore(child, translated, quoted, where) for key, child in value.items()}
    if isinstance(value, list):
        return [_restore(child, translated, quoted, where) for child in value]
    if not isinstance(value, str):
        return value
    marks = list(_MARK.finditer(value))
    if not marks:
        return fence(value, only_active=True)
    if len(marks) == 1 and marks[0].group(0) == value:
        number = int(marks[0].group(1))
        code = translated[number]
        if quoted[number] and code.startswith("{{ ") and code.endswith(" }}"):
            return "{{ (" + code[3:-3] + ") | string }}"  # in quotes n8n writes it as text
        return code
    out, last = [], 0
    for mark in marks:
        out.append(fence(value[last:mark.start()]))
        out.append(translated[int(mark.group(1))])
        last = mark.end()
    out.append(fence(value[last:]))
    return "".join(out)
