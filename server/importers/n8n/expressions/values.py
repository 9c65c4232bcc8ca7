"""What an emitted piece of Jinja2 stands for, and the small helpers every emitter uses."""

from __future__ import annotations

import json
import math
import re
from dataclasses import dataclass
from typing import Any

from server.importers.n8n.expressions.lexer import Unsupported

#: Kinds: json (an item's data, or anything read from it), item (n8n's {json, binary}
#: wrapper), items (a list of wrappers), list, string, number, bool, none, date (a datetime
#: or an ISO string), and proxies that only make sense followed by a member or a call:
#: node ($('X')), legacy ($node["X"]), nodes ($node), input, workflow, execution, builtin.
PROXIES = {"node", "legacy", "nodes", "input", "workflow", "execution", "builtin", "fn"}


@dataclass(frozen=True)
class Value:
    code: str
    kind: str = "json"
    atom: bool = True
    ref: str = ""  # the node name or builtin a proxy stands for
    path: bool = False  # a chain of member reads from item data (may be missing)
    filtered: bool = False  # ends in a filter: another `| filter` needs no parentheses


def wrap(value: Value) -> str:
    """The code, in parentheses unless it is already one term."""
    if value.kind in PROXIES:
        raise Unsupported(f"{value.ref or value.kind} used as a value")
    return value.code if value.atom else f"({value.code})"


def pipe(value: Value) -> str:
    """The code to put before another `| filter`."""
    return value.code if value.filtered and value.kind not in PROXIES else wrap(value)


def filtered(code: str, kind: str) -> Value:
    """A value that ends in a filter."""
    return Value(code, kind, False, filtered=True)


def safe(value: Value) -> str:
    """The code for a truth test: a missing field reads as false, as in JavaScript."""
    if value.path:
        return f"({value.code} | default(none))"
    return wrap(value)


def literal(value: Any) -> str:
    """A Jinja2 literal. Braces in strings are escaped, so the template stays one expression."""
    if isinstance(value, bool):
        return "true" if value else "false"
    if value is None:
        return "none"
    if isinstance(value, int):
        return str(value)
    if isinstance(value, float):
        if not math.isfinite(value):
            raise Unsupported("a number that is not finite")
        return repr(value)
    text = json.dumps(str(value), ensure_ascii=False)
    return text.replace("{", "\\u007b").replace("}", "\\u007d")


_IDENTIFIER = re.compile(r"^[A-Za-z][A-Za-z0-9_]*$")
_RESERVED = {"and", "or", "not", "in", "is", "if", "else", "true", "false", "none", "True",
             "False", "None", "recursive", "with", "without", "context", "ignore", "missing",
             "import", "as", "pluck", "set", "for", "block", "extends", "macro", "call",
             "filter", "endfor", "endif", "endblock", "include", "raw"}


def attribute(target: Value, name: str) -> Value:
    """`target.name`, or `target["name"]` when the name is not a plain identifier."""
    base = wrap(target)
    if _IDENTIFIER.match(name) and name not in _RESERVED:
        return Value(f"{base}.{name}", "json", True, path=True)
    return Value(f"{base}[{literal(name)}]", "json", True, path=True)


def string_literal_of(value: Value) -> str | None:
    """The Python text of a string literal value, or None when it is not one."""
    if value.kind != "string" or not value.atom or not value.code.startswith('"'):
        return None
    try:
        text = json.loads(value.code)
    except ValueError:
        return None
    return text if isinstance(text, str) and literal(text) == value.code else None


def int_literal_of(value: Value) -> int | None:
    if value.kind == "number" and re.fullmatch(r"-?\d+", value.code):
        return int(value.code)
    return None
