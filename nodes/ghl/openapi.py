"""The vendored v2 OpenAPI specs (nodes/ghl/spec) read as operations a node can call.

Each operation keeps what a node and the client need: method and path, its `Version` header,
the scopes its security block lists, and its parameters (path, query, body fields) as JSON
Schema the editor renders and the validator checks. The specs are OpenAPI 3.0 written from
NestJS DTOs and are sloppy in documented ways (NOTES.md §8); `to_json_schema` relaxes exactly
those, so a value the live API accepts is never refused by our own form.

Loading is one JSON parse per file and one pass over the paths (about 0.1 s for all 576).
"""

from __future__ import annotations

import functools
import json
import re
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from nodes.ghl.settings import SPEC_DIR

JSON = dict[str, Any]
METHODS = ("get", "post", "put", "patch", "delete")
JSON_TYPES = frozenset({"string", "number", "integer", "boolean", "array", "object", "null"})
#: How deep `$ref`s inside a body field are inlined; deeper parts accept any JSON.
MAX_DEPTH = 4
#: Schema keywords kept (the rest are OpenAPI-only or examples the form does not need).
KEPT = frozenset({"type", "description", "enum", "items", "properties", "required", "default",
                  "format", "minimum", "maximum", "minLength", "maxLength", "minItems",
                  "maxItems", "anyOf", "oneOf", "allOf", "additionalProperties", "title"})


@dataclass(frozen=True)
class Param:
    """One input of an operation: `location` is path, query, body (a JSON field) or form."""

    name: str
    location: str
    required: bool
    schema: JSON
    description: str = ""


@dataclass(frozen=True)
class Operation:
    app: str
    method: str
    path: str
    operation_id: str
    summary: str
    description: str
    version: str | None
    scopes: tuple[str, ...]
    schemes: tuple[str, ...]
    success: int
    params: tuple[Param, ...]
    #: "application/json", "application/x-www-form-urlencoded", "multipart/form-data" or None.
    body_type: str | None
    #: True when the body is not an object of fields (an array, or untyped): one `body` param.
    body_whole: bool
    body_required: bool
    deprecated: bool
    tags: tuple[str, ...] = field(default=())
    #: The answer's one list of records (`contacts` of GET /contacts/), when the rest of it
    #: is only paging and status; generated nodes output one item per record.
    list_key: str | None = None

    @property
    def key(self) -> str:
        """`METHOD /path`: unique across the specs (operationIds are not)."""
        return f"{self.method} {self.path}"

    @functools.cached_property
    def file_fields(self) -> frozenset[str]:
        """Body fields that carry a file (`format: binary`; multipart uploads)."""
        return frozenset(p.name for p in self.params if p.schema.get("format") == "binary")

    def param(self, name: str) -> Param | None:
        return next((p for p in self.params if p.name == name), None)


class _Resolver:
    def __init__(self, document: JSON, common: JSON) -> None:
        self.document, self.common = document, common
        #: (ref, depth) -> converted schema. Shared between params: never mutate a result.
        self.converted: dict[tuple[str, int], JSON] = {}

    def target(self, ref: str) -> JSON:
        file_part, _, pointer = ref.partition("#")
        node: Any = self.common if file_part.endswith("common-schemas.json") else self.document
        for part in pointer.strip("/").split("/"):
            node = node[part.replace("~1", "/").replace("~0", "~")]
        return node  # type: ignore[no-any-return]


def _kind(value: Any) -> str:
    if isinstance(value, bool):
        return "boolean"
    if isinstance(value, int | float):
        return "number"
    if isinstance(value, str):
        return "string"
    if isinstance(value, list):
        return "array"
    return "null" if value is None else "object"


def to_json_schema(node: Any, resolver: _Resolver | None = None, depth: int = 0,
                   seen: tuple[str, ...] = ()) -> JSON:
    """An OpenAPI 3.0 schema as JSON Schema 2020-12, relaxed where the spec is known wrong:

    - `nullable: true` admits null (OpenAPI's meaning);
    - a declared type its own example contradicts admits both (`monetaryValue` typed object,
      example 220: NOTES.md §8.8; `indexVersion` typed string, example 1: §8.9);
    - array items typed `{"type": "array"}` and nothing else are untyped (§8.7);
    - type names that are not JSON types (`Date`) are dropped, and so are `pattern`s, which
      are written for JavaScript's regex dialect.
    """
    if not isinstance(node, dict):
        return {}
    ref = node.get("$ref")
    if isinstance(ref, str):
        if resolver is None or ref in seen or depth >= MAX_DEPTH:
            return {}
        cached = resolver.converted.get((ref, depth))
        if cached is None:
            cached = to_json_schema(resolver.target(ref), resolver, depth + 1, (*seen, ref))
            resolver.converted[(ref, depth)] = cached
        return cached
    out: JSON = {}
    for key, value in node.items():
        if key not in KEPT:
            continue
        if key == "properties" and isinstance(value, dict):
            out[key] = {name: to_json_schema(sub, resolver, depth + 1, seen)
                        for name, sub in value.items()}
        elif key == "items" and isinstance(value, dict):
            out[key] = {} if value == {"type": "array"} else to_json_schema(
                value, resolver, depth + 1, seen)
        elif key == "additionalProperties":
            if isinstance(value, dict):
                out[key] = to_json_schema(value, resolver, depth + 1, seen)
            elif isinstance(value, bool):
                out[key] = value
        elif key in ("anyOf", "oneOf", "allOf") and isinstance(value, list):
            out[key] = [to_json_schema(sub, resolver, depth + 1, seen) for sub in value]
        elif key == "required":
            if isinstance(value, list) and value and all(isinstance(v, str) for v in value):
                out[key] = sorted(set(value))
        elif key == "enum":
            if isinstance(value, list) and value:
                out[key] = _unique(value)
        elif key in ("description", "title", "format"):
            if isinstance(value, str):
                out[key] = value
        else:
            out[key] = value
    _relax_type(out, node)
    if "required" in out and "properties" not in out:
        del out["required"]
    return out


def _unique(values: list[Any]) -> list[Any]:
    try:
        return list(dict.fromkeys(values))
    except TypeError:  # an enum of objects or lists: rare, compare by value
        pass
    unique: list[Any] = []
    for value in values:
        if value not in unique:
            unique.append(value)
    return unique


def _relax_type(out: JSON, raw: JSON) -> None:
    declared = out.get("type")
    if declared is None:
        return
    if not isinstance(declared, str) or declared not in JSON_TYPES:
        del out["type"]
        return
    types = [declared]
    example = raw.get("example")
    if example is not None:
        kind = _kind(example)
        if kind != declared and not (declared == "integer" and kind == "number"):
            types.append(kind)
    if "enum" in out:
        types.extend(_kind(v) for v in out["enum"] if _kind(v) not in types)
    if raw.get("nullable") is True:
        types.append("null")
    out["type"] = types[0] if len(types) == 1 else list(dict.fromkeys(types))
    if "enum" in out and raw.get("nullable") is True and None not in out["enum"]:
        out["enum"] = [*out["enum"], None]


def _scopes(security: Any) -> tuple[tuple[str, ...], tuple[str, ...]]:
    scopes: list[str] = []
    schemes: list[str] = []
    for requirement in security or []:
        for scheme, names in requirement.items():
            schemes.append(scheme)
            scopes.extend(n for n in names if n)
    return tuple(dict.fromkeys(scopes)), tuple(dict.fromkeys(schemes))


def _operation(app: str, method: str, path: str, raw: JSON, resolver: _Resolver) -> Operation:
    params: list[Param] = []
    version = None
    for entry in raw.get("parameters", []):
        if "$ref" in entry:
            entry = resolver.target(entry["$ref"])
        location = entry.get("in", "query")
        schema = entry.get("schema", {})
        if location == "header":
            if entry.get("name") == "Version":
                version = (schema.get("enum") or [None])[0]
            continue  # Authorization is ours to send
        description = str(entry.get("description") or schema.get("description") or "")
        params.append(Param(entry["name"], location, bool(entry.get("required")),
                            to_json_schema(schema, resolver), description))
    declared = {p.name for p in params if p.location == "path"}
    for name in re.findall(r"{([^}]+)}", path):
        if name not in declared:  # the spec forgets some (PUT /users/{userId})
            params.insert(0, Param(name, "path", True, {"type": "string"}, ""))
    body = raw.get("requestBody") or {}
    content = body.get("content") or {}
    body_type = next(iter(content), None)
    whole = False
    if body_type is not None:
        schema = content[body_type].get("schema") or {}
        if "$ref" in schema:
            schema = resolver.target(schema["$ref"])
        fields = schema.get("properties") if schema.get("type", "object") == "object" else None
        where = "body" if body_type == "application/json" else "form"
        taken = {p.name for p in params}
        if fields:
            required = set(schema.get("required") or [])
            for name, sub in fields.items():
                if name in taken:
                    continue  # a query/path param of the same name fills both
                converted = to_json_schema(sub, resolver, 1)
                params.append(Param(name, where, name in required, converted,
                                    str(converted.get("description", ""))))
        else:
            whole = True
            params.append(Param("body", where, bool(body.get("required")),
                                to_json_schema(schema, resolver), "The request body as JSON."))
    successes = sorted(int(c) for c in raw.get("responses", {}) if str(c).startswith("2"))
    scopes, schemes = _scopes(raw.get("security"))
    answer = raw.get("responses", {}).get(str(successes[0])) if successes else None
    return Operation(
        app=app, method=method.upper(), path=path, operation_id=str(raw.get("operationId")),
        summary=str(raw.get("summary") or "").strip(),
        description=str(raw.get("description") or "").strip(),
        version=version, scopes=scopes, schemes=schemes,
        success=successes[0] if successes else 200, params=tuple(params),
        body_type=body_type, body_whole=whole, body_required=bool(body.get("required")),
        deprecated=bool(raw.get("deprecated")), tags=tuple(raw.get("tags") or ()),
        list_key=_list_key(answer, resolver),
    )


#: Fields beside a list that only say how much there is or where the next page starts.
LIST_COMPANIONS = {"meta", "total", "totalcount", "count", "traceid", "pagination", "nextcursor",
                   "nextpage", "hasmore", "lastmessageid", "success", "message", "startafter",
                   "startafterid", "limit", "skip", "offset", "page"}


def _list_key(answer: Any, resolver: _Resolver) -> str | None:
    """The one property of the success answer that is a list of objects, when everything
    else in the answer is paging or status (an agent with a list of actions is not a list)."""
    def resolved(node: Any) -> JSON:
        node = node if isinstance(node, dict) else {}
        return resolver.target(node["$ref"]) if "$ref" in node else node

    answer = resolved(answer)
    schema = resolved(((answer.get("content") or {}).get("application/json") or {}).get("schema"))
    fields = schema.get("properties") or {}
    lists = [name for name, sub in fields.items() if resolved(sub).get("type") == "array"
             and _is_object(resolved(resolved(sub).get("items")))]
    if len(lists) != 1:
        return None
    others = [name for name in fields if name != lists[0]]
    return lists[0] if all(name.lower() in LIST_COMPANIONS for name in others) else None


def _is_object(schema: JSON) -> bool:
    return schema.get("type") == "object" or "properties" in schema or "allOf" in schema


@functools.cache
def operations(spec_dir: Path = SPEC_DIR) -> tuple[Operation, ...]:
    """Every operation of every app spec, in file and path order."""
    common = json.loads((spec_dir / "common" / "common-schemas.json").read_text())
    found: list[Operation] = []
    for file in sorted((spec_dir / "apps").glob("*.json")):
        document = json.loads(file.read_text())
        resolver = _Resolver(document, common)
        for path, item in document.get("paths", {}).items():
            for method, raw in item.items():
                if method in METHODS:
                    found.append(_operation(file.stem, method, path, raw, resolver))
    return tuple(found)


@functools.cache
def by_key() -> dict[str, Operation]:
    return {op.key: op for op in operations()}


def find(method: str, path: str) -> Operation | None:
    """The operation for `METHOD /path` (trailing slashes ignored, as HighLevel does)."""
    wanted = method.upper(), path.rstrip("/") or "/"
    for op in operations():
        if (op.method, op.path.rstrip("/") or "/") == wanted:
            return op
    return None


def slug(text: str) -> str:
    """An operationId or app name as a node type segment: lower snake case."""
    return re.sub(r"[^a-z0-9]+", "_", text.lower()).strip("_")
