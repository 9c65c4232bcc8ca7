"""The node catalogue and the workflow schema: what the editor renders from."""

from __future__ import annotations

import functools
import gzip
import hashlib
import json
from typing import Any

from flask import Blueprint, Response, request

from nodes import registry
from server.api.base import doc
from server.auth.permissions import Permission, requires
from server.engine.schema import WORKFLOW_SCHEMA
from server.errors import NotFound

bp = Blueprint("catalog", __name__, url_prefix="/api")


@bp.get("/nodes")
@requires(Permission.READ)
@doc("Every node type: palette entry, ports, params schema", tag="catalog")
def nodes() -> Response:
    # About 1 MB of JSON (every HighLevel operation with its form) that changes only with
    # the code: built once, sent gzipped, and revalidated by ETag on later page loads.
    body, packed, etag = _catalogue_bytes(len(registry.all_specs()))
    wants_gzip = "gzip" in request.headers.get("Accept-Encoding", "")
    response = Response(packed if wants_gzip else body, mimetype="application/json")
    if wants_gzip:
        response.headers["Content-Encoding"] = "gzip"
    response.headers["Vary"] = "Accept-Encoding"
    response.headers["Cache-Control"] = "private, no-cache"
    response.set_etag(etag)
    return response.make_conditional(request)


@functools.lru_cache(maxsize=2)
def _catalogue_bytes(_node_count: int) -> tuple[bytes, bytes, str]:
    """The catalogue as JSON, gzipped, and its ETag; keyed by the number of node types."""
    body = json.dumps({"groups": list(registry.GROUPS), "nodes": registry.catalogue()},
                      separators=(",", ":")).encode()
    return body, gzip.compress(body, 6), hashlib.sha256(body).hexdigest()[:32]


@bp.get("/nodes/<path:node_type>")
@requires(Permission.READ)
@doc("One node type", tag="catalog", responses={200: "OK", 404: "Unknown type"})
def node(node_type: str) -> dict[str, Any]:
    spec = registry.get(node_type)
    if spec is None:
        raise NotFound(f"There is no node type {node_type!r}.")
    return spec.describe()


@bp.get("/schema/workflow")
@requires(Permission.READ)
@doc("The JSON Schema of a workflow document", tag="catalog")
def workflow_schema() -> dict[str, Any]:
    return WORKFLOW_SCHEMA


@bp.get("/credential-kinds")
@requires(Permission.READ)
@doc("Every kind of connection and its form", tag="catalog")
def credential_kinds() -> dict[str, Any]:
    return {"kinds": [kind.describe() for kind in registry.credential_kinds()]}
