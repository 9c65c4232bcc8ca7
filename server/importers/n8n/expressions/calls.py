"""Calls in n8n expressions: `$('Node')`, `$input.first()`, builtins (Math, JSON, DateTime,
Number...), string and list methods, and Luxon date methods, each with its Jinja2 spelling."""

from __future__ import annotations

from typing import TYPE_CHECKING

from server.importers.n8n.expressions import dates
from server.importers.n8n.expressions.lexer import Unsupported
from server.importers.n8n.expressions.parser import Arrow, Call, Literal, Member, Name, New, Node
from server.importers.n8n.expressions.values import (
    Value,
    filtered,
    int_literal_of,
    literal,
    pipe,
    safe,
    string_literal_of,
    wrap,
)

if TYPE_CHECKING:
    from server.importers.n8n.expressions.emit import Emitter

date_part = dates.date_part


def call(emitter: Emitter, node: Call) -> Value:
    callee = node.callee
    if isinstance(callee, Name) and callee.id in ("$", "$items", "$node"):
        return _node_function(emitter, callee.id, node.args)
    if isinstance(callee, Member):
        target = emitter.emit(callee.target)
        if target.kind == "builtin" or (target.kind == "fn"):
            return _builtin(emitter, f"{target.ref}.{callee.name}", node.args)
        args = node.args
        if target.kind in ("node", "input"):
            return _proxy_method(emitter, target, callee.name, args)
        if target.kind == "items" and callee.name == "map":
            return _map(emitter, target, args, wrapped=True)
        if callee.name == "map" and target.kind in ("json", "list"):
            return _map(emitter, target, args, wrapped=False)
        if any(isinstance(arg, Arrow) for arg in args):
            raise Unsupported(f"the method .{callee.name}() with a function")
        values = [emitter.emit(arg) for arg in args]
        if target.kind == "date":
            return dates.method(emitter, target, callee.name, args, values)
        return _method(target, callee.name, values)
    if isinstance(callee, Name):
        return _builtin(emitter, callee.id, node.args)
    raise Unsupported("a call of a computed function")


def construct(emitter: Emitter, node: New) -> Value:
    if isinstance(node.callee, Name) and node.callee.id == "Date":
        if not node.args:
            return Value("now()", "date")
        return filtered(f"{pipe(emitter.emit(node.args[0]))} | parse_date", "date")
    raise Unsupported("new objects other than Date")


def _node_function(emitter: Emitter, name: str, args: tuple[Node, ...]) -> Value:
    if name == "$items" and not args:
        return Value("items", "items")
    if not args or not isinstance(args[0], Literal) or not isinstance(args[0].value, str):
        raise Unsupported(f"{name}() without a node name")
    node_name = args[0].value
    names = emitter.scope.node_names
    if names and node_name not in names:
        raise Unsupported(f"a node named {node_name!r}, which is not in the workflow")
    if name == "$items":
        if len(args) > 1:
            raise Unsupported("$items() with an output or run index")
        return Value(f"{emitter.node_ref(node_name)}.items", "items")
    if name == "$node":
        return Value("", "legacy", ref=node_name)
    return Value("", "node", ref=node_name)


def _proxy_method(emitter: Emitter, target: Value, name: str, args: tuple[Node, ...]) -> Value:
    if args and name != "itemMatching":
        raise Unsupported(f".{name}() with arguments (output or run index)")
    if target.kind == "input":
        found = {"first": Value("items[0]", "item"), "last": Value("items[-1]", "item"),
                 "all": Value("items", "items")}.get(name)
        if found is None:
            raise Unsupported(f"$input.{name}()")
        return found
    if name in ("first", "last"):
        return emitter.node_item(target.ref, name)
    if name == "all":
        return Value(f"{emitter.node_ref(target.ref)}.items", "items")
    if name == "itemMatching" and len(args) == 1:
        index = emitter.emit(args[0])
        return Value(f"{emitter.node_ref(target.ref)}.items[{wrap(index)}]", "item")
    raise Unsupported(f"$('{target.ref}').{name}()")


def _map(emitter: Emitter, target: Value, args: tuple[Node, ...], wrapped: bool) -> Value:
    """`.map(x => x.json.field)` (or `x => x.field`) as `map(attribute='field')`."""
    if len(args) != 1 or not isinstance(args[0], Arrow) or len(args[0].params) != 1:
        raise Unsupported(".map() with anything but a one-argument arrow function")
    param, body = args[0].params[0], args[0].body
    path: list[str] = []
    while isinstance(body, Member):
        path.insert(0, body.name)
        body = body.target
    if not isinstance(body, Name) or body.id != param:
        raise Unsupported(".map() that does more than read a field")
    if wrapped:
        if not path or path[0] != "json":
            raise Unsupported(".map() over items that does not read .json")
        path = path[1:]
    if not path:
        return Value(target.code, "list", target.atom)
    return filtered(f"{pipe(target)} | map(attribute={literal('.'.join(path))}) | list", "list")


def _builtin(emitter: Emitter, name: str, args: tuple[Node, ...]) -> Value:
    values = [emitter.emit(arg) for arg in args]
    first = values[0] if values else None
    if name.startswith("DateTime."):
        return dates.constructor(name, values)
    if first is None:
        raise Unsupported(f"{name}() without arguments")
    one: dict[str, tuple[str, str]] = {
        "Number": ("to_number", "number"), "parseFloat": ("to_number", "number"),
        "parseInt": ("int", "number"), "String": ("string", "string"),
        "Math.round": ("round | int", "number"),
        "Math.floor": ("round(0, 'floor') | int", "number"),
        "Math.ceil": ("round(0, 'ceil') | int", "number"), "Math.abs": ("abs", "number"),
        "JSON.stringify": ("to_json", "string"), "JSON.parse": ("from_json", "json"),
        "Object.keys": ("list", "list"),
    }
    if name == "Boolean":
        return Value(f"true if {safe(first)} else false", "bool", False)
    if name == "Object.values" and len(values) == 1:
        return filtered(f"{wrap(first)}.values() | list", "list")
    if name in one and (len(values) == 1 or name == "JSON.stringify"):
        filter_name, kind = one[name]
        return filtered(f"{pipe(first)} | {filter_name}", kind)
    if name in ("Math.max", "Math.min") and values:
        listed = ", ".join(wrap(value) for value in values)
        return filtered(f"[{listed}] | {name[5:]}", "number")
    raise Unsupported(f"{name}()")


def _method(target: Value, name: str, args: list[Value]) -> Value:
    """String and list methods (and n8n's extensions of them) that Jinja2 can spell."""
    base, chain = wrap(target), pipe(target)
    count = len(args)
    arg = [wrap(value) for value in args]
    simple: dict[str, tuple[str, str]] = {
        "toUpperCase": ("upper", "string"), "toLowerCase": ("lower", "string"),
        "trim": ("trim", "string"), "toString": ("string", "string"),
        "first": ("first", "json"), "last": ("last", "json"), "sum": ("sum", "number"),
        "min": ("min", "json"), "max": ("max", "json"), "toNumber": ("to_number", "number"),
        "toFloat": ("to_number", "number"), "toInt": ("int", "number"),
        "toTitleCase": ("title", "string"), "urlEncode": ("urlencode", "string"),
        "toJsonString": ("to_json", "string"), "keys": ("list", "list"),
    }
    if name in simple and count == 0:
        filter_name, kind = simple[name]
        return filtered(f"{chain} | {filter_name}", kind)
    if name == "unique" and count == 0:
        return filtered(f"{chain} | unique | list", "list")
    if name == "toDateTime" and count == 0:
        return filtered(f"{chain} | parse_date", "date")
    if name in ("trimStart", "trimEnd") and count == 0:
        return Value(f"{base}.{'lstrip' if name == 'trimStart' else 'rstrip'}()", "string")
    if name == "isEmpty" and count == 0:
        return Value(f"{chain} | length == 0", "bool", False)
    if name == "isNotEmpty" and count == 0:
        return Value(f"{chain} | length > 0", "bool", False)
    if name == "includes" and count == 1:
        return Value(f"{arg[0]} in {base}", "bool", False)
    if name in ("startsWith", "endsWith") and count == 1:
        method = "startswith" if name == "startsWith" else "endswith"
        return Value(f"{base}.{method}({arg[0]})", "bool")
    if name in ("replace", "replaceAll") and count == 2:
        if string_literal_of(args[0]) is None:
            raise Unsupported(f".{name}() with a pattern that is not plain text")
        limit = ", 1" if name == "replace" else ""
        return filtered(f"{chain} | replace({arg[0]}, {arg[1]}{limit})", "string")
    if name == "split" and count <= 2:
        return _split(base, args)
    if name in ("slice", "substring") and 1 <= count <= 2:
        return Value(f"{base}[{arg[0]}:{arg[1] if count == 2 else ''}]", target.kind)
    if name == "charAt" and count == 1:
        return Value(f"{base}[{arg[0]}]", "string")
    if name == "indexOf" and count == 1:
        return Value(f"{base}.find({arg[0]})", "number")
    if name == "join" and count <= 1:
        return filtered(f"{chain} | join({arg[0] if count else literal(',')})", "string")
    if name == "concat" and count >= 1:
        joiner = " + " if target.kind == "list" else " ~ "
        return Value(joiner.join([base, *arg]), target.kind if target.kind == "list"
                     else "string", False)
    if name == "toFixed" and count == 1:
        places = int_literal_of(args[0])
        if places is None or not 0 <= places <= 20:
            raise Unsupported(".toFixed() with a computed number of places")
        return filtered(f"{literal(f'%.{places}f')} | format({base})", "string")
    raise Unsupported(f"the method .{name}()")


def _split(base: str, args: list[Value]) -> Value:
    if not args:
        return Value(f"[{base}]", "list")
    separator = string_literal_of(args[0])
    if separator == "":
        return filtered(f"{base} | list", "list")
    if len(args) == 2:
        raise Unsupported(".split() with a limit")
    return Value(f"{base}.split({wrap(args[0])})", "list")
