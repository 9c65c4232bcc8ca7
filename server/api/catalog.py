"""The node catalogue and the workflow schema: what the editor renders from."""

from __future__ import annotations

from typing import Any

from flask import Blueprint

from nodes import registry
from server.api.base import doc
from server.auth.permissions import Permission, requires
from server.engine.schema import WORKFLOW_SCHEMA
from server.errors import NotFound

bp = Blueprint("catalog", __name__, url_prefix="/api")


@bp.get("/nodes")
@requires(Permission.READ)
@doc("Every node type: palette entry, ports, params schema", tag="catalog")
def nodes() -> dict[str, Any]:
    return {"groups": list(registry.GROUPS), "nodes": registry.catalogue()}


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
