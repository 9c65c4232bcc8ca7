"""/api/openapi.json: built from the routes themselves and what each declares with `@doc`."""

from __future__ import annotations

import re
from typing import Any

from flask import Blueprint, current_app

from server.api.base import doc
from server.auth.permissions import Permission, requires

bp = Blueprint("openapi", __name__, url_prefix="/api")

_CONVERTER = re.compile(r"<(?:(\w+):)?(\w+)>")
_TYPES = {"int": {"type": "integer", "minimum": 0}, "path": {"type": "string"},
          "string": {"type": "string"}}

PROBLEM_SCHEMA = {
    "type": "object",
    "required": ["title", "status", "detail"],
    "properties": {"type": {"type": "string"}, "title": {"type": "string"},
                   "status": {"type": "integer"}, "detail": {"type": "string"}},
}


@bp.get("/openapi.json")
@requires(Permission.READ)
@doc("This document", tag="meta")
def openapi() -> dict[str, Any]:
    return build(current_app.url_map, current_app.view_functions)


def build(url_map: Any, views: dict[str, Any]) -> dict[str, Any]:
    paths: dict[str, Any] = {}
    for rule in url_map.iter_rules():
        view = views.get(rule.endpoint)
        meta = getattr(view, "_openapi", None)
        if meta is None:
            continue
        path = _CONVERTER.sub(lambda m: "{" + m.group(2) + "}", rule.rule)
        parameters = [
            {"name": name, "in": "path", "required": True,
             "schema": _TYPES.get(kind or "string", {"type": "string"})}
            for kind, name in _CONVERTER.findall(rule.rule)
        ]
        parameters += [{"name": name, "in": "query", "required": False,
                        "description": text, "schema": {"type": "string"}}
                       for name, text in (meta["query"] or {}).items()]
        for method in sorted(rule.methods - {"HEAD", "OPTIONS"}):
            operation: dict[str, Any] = {
                "summary": meta["summary"],
                "operationId": f"{rule.endpoint}.{method.lower()}",
                "parameters": parameters,
                "responses": {
                    **{str(code): {"description": text} for code, text in
                       meta["responses"].items()},
                    "default": {"description": "A problem",
                                "content": {"application/problem+json":
                                            {"schema": PROBLEM_SCHEMA}}},
                },
            }
            if meta["tag"]:
                operation["tags"] = [meta["tag"]]
            if meta["body"] is not None and method in ("POST", "PUT", "PATCH"):
                schema = {k: v for k, v in meta["body"].items() if k not in ("$schema", "$id")}
                operation["requestBody"] = {
                    "required": True,
                    "content": {"application/json": {"schema": schema}},
                }
            paths.setdefault(path, {})[method.lower()] = operation
    return {
        "openapi": "3.1.0",
        "info": {"title": "Flowlane API", "version": "1",
                 "description": "Workflows, runs, nodes and connections. Errors are "
                                "application/problem+json."},
        "paths": dict(sorted(paths.items())),
    }
