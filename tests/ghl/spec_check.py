"""Every request the connector sends and every answer it gets, judged by the official spec.

The connector writes each exchange to FLOWLANE_GHL_TRACE (nodes/ghl/client.py); the conftest
points that at a file per test, in this process and in the worker processes it starts, and
checks the file here when the test ends. The judge is tests/sandbox/spec.py, which reads the
vendored specs on its own (not through the connector's reading of them).

A request is checked for: an operation of the spec at that method and path, the operation's
own `Version` header, every required query parameter present, query values of the declared
type (and enum), no query parameter the operation does not declare, and the JSON body against
the operation's request body schema. An answer is checked against the spec's schema for its
status, or GHL's error shape (statusCode + message) for statuses the spec leaves out.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any
from urllib.parse import quote

from jsonschema import Draft4Validator

from tests.sandbox.spec import spec, validate_response

#: Parameters outside an operation's declared query that the connector may send:
#: none. (Kept as a set so a documented exception has one place to go.)
EXTRA_QUERY: dict[str, set[str]] = {}


def _query_type_ok(value: str, schema: dict[str, Any]) -> bool:
    declared = schema.get("type")
    types = declared if isinstance(declared, list) else [declared]
    if "enum" in schema and value not in [str(v) for v in schema["enum"]]:
        return False
    if None in types or "string" in types or "array" in types or "object" in types:
        return True
    if "boolean" in types and value in ("true", "false"):
        return True
    if "number" in types or "integer" in types:
        try:
            float(value)
            return True
        except ValueError:
            return False
    return False


def request_problems(method: str, path: str, query: list[list[str]], body: Any,
                     version: str | None) -> list[str]:
    found = spec().operation(method, path)
    if found is None:
        return [f"{method} {path} is not an operation of the spec"]
    uri, spec_path, operation = found
    problems = []
    wanted_version = spec().version(method, path)
    if wanted_version != version:
        problems.append(f"Version {version!r}, the spec says {wanted_version!r}")
    declared = {p["name"]: p for p in operation.get("parameters", []) if p.get("in") == "query"}
    sent = {name for name, _ in query}
    for name, param in declared.items():
        if param.get("required") and name not in sent:
            problems.append(f"required query parameter {name} missing")
    for name, value in query:
        param = declared.get(name)
        if param is None:
            if name not in EXTRA_QUERY.get(f"{method} {spec_path}", set()):
                problems.append(f"query parameter {name} is not declared")
            continue
        if not _query_type_ok(value, param.get("schema", {})):
            problems.append(f"query parameter {name}={value!r} does not fit "
                            f"{param.get('schema')}")
    content = operation.get("requestBody", {}).get("content", {})
    if "application/json" in content and body is not None:
        pointer = "/".join(
            quote(part.replace("~", "~0").replace("/", "~1"), safe="~")
            for part in ("paths", spec_path, method.lower(), "requestBody", "content",
                         "application/json", "schema"))
        validator = Draft4Validator({"$ref": f"{uri}#/{pointer}"}, registry=spec().registry)
        for error in sorted(validator.iter_errors(body), key=lambda e: list(e.path))[:5]:
            where = "/".join(map(str, error.absolute_path)) or "(body)"
            problems.append(f"body {where}: {error.message[:200]}")
    return [f"{method} {path}: {p}" for p in problems]


def answer_problems(method: str, path: str, status: int, answer: Any) -> list[str]:
    if spec().operation(method, path) is None:
        return []
    if spec().declares(method, path, status):
        if answer in ({}, None, ""):
            return []
        try:
            validate_response(method, path, status, answer)
        except AssertionError as err:
            return [str(err)]
        return []
    if status >= 400 and not (isinstance(answer, dict) and answer.get("statusCode") == status
            and isinstance(answer.get("message"), str | list)):
        return [f"{method} {path} {status}: not GHL's error shape: {str(answer)[:200]}"]
    return []


def check_trace(path: Path, requests: bool = True) -> tuple[int, list[str]]:
    """(exchanges checked, problems found) for one trace file."""
    if not path.exists():
        return 0, []
    problems: list[str] = []
    count = 0
    for line in path.read_text().splitlines():
        entry = json.loads(line)
        count += 1
        method, where = entry["method"], entry["path"]
        if requests:
            problems += request_problems(method, where, entry["query"], entry["body"],
                                         entry["version"])
        problems += answer_problems(method, where, entry["status"], entry["answer"])
    return count, problems
