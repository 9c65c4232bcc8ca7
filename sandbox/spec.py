"""The official v2 OpenAPI specs as a catalogue of operations the sandbox can route.

Every request is matched against the spec's own paths, so methods, paths, parameter names, the
`Version` header, scopes and success codes come from HighLevel's files, never from a copy here.
The specs are read once per process (they are immutable data, ~3 MB) from nodes/ghl/spec.
"""

from __future__ import annotations

import copy
import functools
import json
from collections.abc import Iterator
from dataclasses import dataclass, field
from importlib import resources
from pathlib import Path
from typing import Any

JSON = dict[str, Any]

# Keys whose values are data, not schema: walking into them would "resolve" example payloads.
DATA_KEYS = frozenset({"example", "examples", "default", "enum"})
JSON_TYPES = frozenset({"string", "number", "integer", "boolean", "array", "object", "null"})


def default_spec_dir() -> Path:
    """nodes/ghl/spec, whether running from the checkout or an installed wheel."""
    try:
        candidate = Path(str(resources.files("nodes").joinpath("ghl/spec")))
        if candidate.is_dir():
            return candidate
    except ModuleNotFoundError:  # pragma: no cover - nodes is part of the same distribution
        pass
    return Path(__file__).resolve().parent.parent / "nodes" / "ghl" / "spec"


@dataclass(frozen=True)
class Parameter:
    name: str
    location: str  # "query" | "path" | "header"
    required: bool
    schema: JSON


@dataclass(eq=False)
class Operation:
    """One method + path of the spec, with what the gate needs to check a request."""

    app: str
    method: str
    path: str
    operation_id: str
    version: str | None
    security: list[dict[str, list[str]]] | None
    success_status: int
    parameters: list[Parameter]
    body_content_type: str | None
    body_required: bool
    deprecated: bool
    _raw: JSON = field(repr=False)
    _resolver: Resolver = field(repr=False)
    _responses: dict[int, JSON | None] = field(default_factory=dict, repr=False)

    @property
    def key(self) -> str:
        return f"{self.method} {self.path}"

    @functools.cached_property
    def body_schema(self) -> JSON | None:
        """The request body schema with every $ref inlined (OpenAPI dialect), or None."""
        content = self._raw.get("requestBody", {}).get("content", {})
        if not self.body_content_type:
            return None
        schema = content[self.body_content_type].get("schema")
        return self._resolver.inline(schema) if schema else None

    def response_schema(self, status: int | None = None) -> JSON | None:
        """The schema of the JSON answer for `status` (default: the success status)."""
        code = status or self.success_status
        if code not in self._responses:
            response = self._raw.get("responses", {}).get(str(code), {})
            schema = response.get("content", {}).get("application/json", {}).get("schema")
            self._responses[code] = self._resolver.inline(schema) if schema else None
        return copy.deepcopy(self._responses[code])

    def query_parameters(self) -> Iterator[Parameter]:
        return (p for p in self.parameters if p.location == "query")


class Resolver:
    """Inlines `$ref`s of one app file, including those into ../common/common-schemas.json."""

    def __init__(self, document: JSON, common: JSON) -> None:
        self.document = document
        self.common = common
        self._cache: dict[str, JSON] = {}

    def _target(self, ref: str) -> JSON:
        file_part, _, pointer = ref.partition("#")
        root = self.common if file_part.endswith("common-schemas.json") else self.document
        node: Any = root
        for part in pointer.strip("/").split("/"):
            node = node[part.replace("~1", "/").replace("~0", "~")]
        return node  # type: ignore[no-any-return]

    def inline(self, schema: JSON) -> JSON:
        inlined: JSON = self._inline(schema, ())
        return inlined

    def _inline(self, node: Any, stack: tuple[str, ...]) -> Any:
        if isinstance(node, list):
            return [self._inline(item, stack) for item in node]
        if not isinstance(node, dict):
            return node
        ref = node.get("$ref")
        if isinstance(ref, str):
            if ref in stack:  # a recursive schema: stop here, anything goes below
                return {}
            if ref not in self._cache or stack:
                resolved = self._inline(self._target(ref), (*stack, ref))
                if not stack:
                    self._cache[ref] = resolved
                return copy.deepcopy(resolved)
            return copy.deepcopy(self._cache[ref])
        return {
            key: (value if key in DATA_KEYS else self._inline(value, stack))
            for key, value in node.items()
        }


@dataclass
class _Route:
    segments: tuple[str | None, ...]  # None marks a {param}
    names: tuple[str, ...]
    methods: dict[str, Operation]


class Catalogue:
    """All operations of the vendored specs, and the matching of a request to one of them."""

    def __init__(self, spec_dir: Path) -> None:
        self.spec_dir = spec_dir
        common = json.loads((spec_dir / "common" / "common-schemas.json").read_text())
        self.operations: list[Operation] = []
        routes: dict[str, _Route] = {}
        for file in sorted((spec_dir / "apps").glob("*.json")):
            document = json.loads(file.read_text())
            resolver = Resolver(document, common)
            for path, item in document.get("paths", {}).items():
                for method, raw in item.items():
                    if method.lower() not in ("get", "post", "put", "patch", "delete"):
                        continue
                    operation = _operation(file.stem, method.upper(), path, raw, resolver)
                    self.operations.append(operation)
                    route = routes.setdefault(_normal(path), _route(path))
                    route.methods.setdefault(operation.method, operation)
        # Keyed by method and path: operationIds repeat across apps (create-custom-field).
        self.by_key = {op.key: op for op in self.operations}
        self._by_length: dict[int, list[_Route]] = {}
        for route in routes.values():
            self._by_length.setdefault(len(route.segments), []).append(route)
        for candidates in self._by_length.values():
            # Literal segments beat parameters, earliest first: /opportunities/search is not
            # /opportunities/{id}. Ties keep the spec's order.
            candidates.sort(key=lambda r: tuple(s is None for s in r.segments))

    @functools.cached_property
    def all_scopes(self) -> frozenset[str]:
        scopes: set[str] = set()
        for op in self.operations:
            for requirement in op.security or []:
                for names in requirement.values():
                    scopes.update(names)
        return frozenset(scopes)

    def match(self, method: str, path: str) -> tuple[Operation, dict[str, str]] | None:
        """The operation for `method path`, with its path parameters; None when there is none.

        Trailing slashes do not matter: the spec writes `POST /opportunities/` and clients
        write `POST /opportunities` (NOTES.md §8.2).
        """
        parts = tuple(p for p in path.split("/") if p)
        for route in self._by_length.get(len(parts), []):
            operation = route.methods.get(method)
            if operation is None:
                continue
            values = _bind(route, parts)
            if values is not None:
                return operation, values
        return None


def _normal(path: str) -> str:
    return "/" + "/".join(p for p in path.split("/") if p)


def _route(path: str) -> _Route:
    segments: list[str | None] = []
    names: list[str] = []
    for part in (p for p in path.split("/") if p):
        if part.startswith("{") and part.endswith("}"):
            segments.append(None)
            names.append(part[1:-1])
        else:
            segments.append(part)
    return _Route(tuple(segments), tuple(names), {})


def _bind(route: _Route, parts: tuple[str, ...]) -> dict[str, str] | None:
    values: dict[str, str] = {}
    names = iter(route.names)
    for segment, part in zip(route.segments, parts, strict=True):
        if segment is None:
            values[next(names)] = part
        elif segment != part:
            return None
    return values


def _operation(app: str, method: str, path: str, raw: JSON, resolver: Resolver) -> Operation:
    parameters: list[Parameter] = []
    version: str | None = None
    for param in raw.get("parameters", []):
        if "$ref" in param:
            param = resolver.inline(param)
        schema = param.get("schema", {})
        if param.get("in") == "header" and param.get("name") == "Version":
            enum = schema.get("enum") or []
            version = enum[0] if enum else None
            continue
        parameters.append(
            Parameter(param["name"], param.get("in", "query"), bool(param.get("required")), schema)
        )
    successes = sorted(int(code) for code in raw.get("responses", {}) if code.startswith("2"))
    content = raw.get("requestBody", {}).get("content", {})
    content_type = next(iter(content), None)
    return Operation(
        app=app,
        method=method,
        path=path,
        operation_id=raw.get("operationId") or f"{method} {path}",
        version=version,
        security=raw.get("security"),
        success_status=successes[0] if successes else 200,
        parameters=parameters,
        body_content_type=content_type,
        body_required=bool(raw.get("requestBody", {}).get("required")),
        deprecated=bool(raw.get("deprecated")),
        _raw=raw,
        _resolver=resolver,
    )


@functools.cache
def load_catalogue(spec_dir: Path | None = None) -> Catalogue:
    """The catalogue of `spec_dir` (default: the vendored specs), built once per process."""
    return Catalogue(spec_dir or default_spec_dir())
