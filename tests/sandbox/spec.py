"""The official specs as the judge of the sandbox's answers.

Loads nodes/ghl/spec (the vendored OpenAPI 3.0 files), resolves `$ref`s across files with a
`referencing` registry (app files point into ../common/common-schemas.json), and validates JSON
against an operation's response schema with jsonschema. Written apart from sandbox/spec.py on
purpose: the sandbox is not graded by its own reading of the spec.

Tolerated, and only this (the spec's sloppiness documented in ghl-api NOTES.md §8):
- §8.7: array items declared `{"type": "array"}` with nothing inside are untyped. It is
  documented for pipeline stages; the same generator bug types an opportunity's notes, tasks,
  calendarEvents and followers (user ids) the same way (NOTES.md §3.1 "items untyped").
- §8.8 and §8.9: a declared type its own `example` contradicts admits the example's type too
  (`indexVersion` typed string, example 1; `monetaryValue` typed object, example 220; calendar
  event times typed object with string examples: the one generator habit).
- `nullable: true` admits null: that is OpenAPI 3.0 itself, not a tolerance.
"""

from __future__ import annotations

import functools
import json
import re
from pathlib import Path
from typing import Any
from urllib.parse import quote

from jsonschema import Draft4Validator
from jsonschema.exceptions import ValidationError
from referencing import Registry, Resource
from referencing.jsonschema import DRAFT4

ROOT = Path(__file__).resolve().parents[2]
SPEC = ROOT / "nodes" / "ghl" / "spec"
EVENTS = SPEC / "webhook-events"
METHODS = ("get", "post", "put", "patch", "delete")
DATA_KEYS = ("example", "examples", "default", "enum")


def _kind(value: Any) -> str:
    if isinstance(value, bool):
        return "boolean"
    if isinstance(value, int | float):
        return "number"
    if isinstance(value, str):
        return "string"
    if isinstance(value, list):
        return "array"
    if value is None:
        return "null"
    return "object"


def relax(node: Any) -> Any:
    """The tolerances listed in the module docstring, applied to every schema of a document."""
    if isinstance(node, list):
        return [relax(item) for item in node]
    if not isinstance(node, dict):
        return node
    out = {k: (v if k in DATA_KEYS else relax(v)) for k, v in node.items()}
    declared = out.get("type")
    if isinstance(declared, str) and out.get("example") is not None:
        example = _kind(out["example"])
        if example != declared and not (declared == "integer" and example == "number"):
            out["type"] = [declared, example]
    if out.get("type") == "array" and out.get("items") == {"type": "array"}:
        out["items"] = {}
    if out.get("nullable") is True and "type" in out:
        types = out["type"] if isinstance(out["type"], list) else [out["type"]]
        out["type"] = [*types, "null"]
    return out


class Spec:
    def __init__(self) -> None:
        self.documents: dict[str, dict[str, Any]] = {}
        resources = []
        for file in [*sorted((SPEC / "apps").glob("*.json")), SPEC / "common/common-schemas.json"]:
            uri = file.resolve().as_uri()
            document = relax(json.loads(file.read_text()))
            self.documents[uri] = document
            resources.append((uri, Resource.from_contents(document, default_specification=DRAFT4)))
        self.registry: Registry = Registry().with_resources(resources)
        self.operations: list[tuple[str, str, str, re.Pattern[str], dict[str, Any]]] = []
        for uri, document in self.documents.items():
            for path, item in document.get("paths", {}).items():
                for method, operation in item.items():
                    if method in METHODS:
                        pattern = re.compile(
                            "^" + re.sub(r"\\\{[^}]+\\\}", "[^/]+", re.escape(path.rstrip("/")))
                            + "/?$"
                        )
                        self.operations.append((uri, method, path, pattern, operation))
        # Literal paths first, so /opportunities/search is not /opportunities/{id}.
        self.operations.sort(key=lambda op: op[2].count("{"))

    def operation(self, method: str, path: str) -> tuple[str, str, dict[str, Any]] | None:
        """(file uri, spec path, operation) for a request, or None."""
        for uri, op_method, spec_path, pattern, operation in self.operations:
            if op_method == method.lower() and pattern.match(path.rstrip("/") or "/"):
                return uri, spec_path, operation
        return None

    def version(self, method: str, path: str) -> str | None:
        found = self.operation(method, path)
        if found is None:
            return None
        for param in found[2].get("parameters", []):
            if param.get("in") == "header" and param.get("name") == "Version":
                return str(param["schema"]["enum"][0])
        return None

    def response_validator(self, method: str, path: str, status: int) -> Draft4Validator | None:
        """A validator for the JSON body of `status`, or None when the spec declares none."""
        found = self.operation(method, path)
        if found is None:
            return None
        uri, spec_path, operation = found
        response = operation.get("responses", {}).get(str(status))
        if not response or "application/json" not in response.get("content", {}):
            return None
        if "schema" not in response["content"]["application/json"]:
            return None
        pointer = "/".join(
            quote(part.replace("~", "~0").replace("/", "~1"), safe="~")
            for part in ("paths", spec_path, method.lower(), "responses", str(status),
                         "content", "application/json", "schema")
        )
        return Draft4Validator({"$ref": f"{uri}#/{pointer}"}, registry=self.registry)

    def declares(self, method: str, path: str, status: int) -> bool:
        found = self.operation(method, path)
        return bool(found and str(status) in found[2].get("responses", {}))


@functools.cache
def spec() -> Spec:
    return Spec()


def validate_response(method: str, path: str, status: int, body: Any) -> None:
    """Raise AssertionError when `body` does not fit the spec's schema for this answer."""
    validator = spec().response_validator(method, path, status)
    if validator is None:
        return
    errors = sorted(validator.iter_errors(body), key=lambda e: list(e.absolute_path))
    if errors:
        detail = "; ".join(_describe(e) for e in errors[:5])
        raise AssertionError(f"{method} {path} {status} does not match the spec: {detail}")


def _describe(error: ValidationError) -> str:
    where = "/".join(map(str, error.absolute_path)) or "(root)"
    return f"{where}: {error.message[:200]}"


@functools.cache
def event_schema(event_type: str) -> dict[str, Any]:
    """The JSON Schema block of nodes/ghl/spec/webhook-events/<file>.md for an event type."""
    names = {"INSTALL": "AppInstall", "UNINSTALL": "AppUninstall",
             "ConversationUnreadUpdate": "ConversationUnreadWebhook"}
    text = (EVENTS / f"{names.get(event_type, event_type)}.md").read_text()
    block = re.search(r"```json json_schema\n(.*?)```", text, re.S)
    if block:
        return json.loads(block.group(1))  # type: ignore[no-any-return]
    # UserCreate.md writes its schema as a map of field to type name instead.
    block = re.search(r"#### Schema\s*```json\n(.*?)```", text, re.S)
    assert block, f"no schema in the {event_type} event doc"
    return _from_type_map(json.loads(block.group(1)))


def _from_type_map(value: Any) -> dict[str, Any]:
    if isinstance(value, dict):
        return {"type": "object", "properties": {k: _from_type_map(v) for k, v in value.items()}}
    if isinstance(value, list):
        return {"type": "array"}
    return {"type": str(value)}


def validate_event(payload: dict[str, Any]) -> None:
    schema = event_schema(payload["type"])
    errors = list(Draft4Validator(schema).iter_errors(payload))
    if errors:
        raise AssertionError(f"{payload['type']} event does not match its doc: {errors[0].message}")
    documented = set(schema.get("properties", {}))
    extra = set(payload) - documented - {"timestamp", "webhookId"}
    if extra:
        raise AssertionError(f"{payload['type']} carries undocumented fields: {sorted(extra)}")
