"""/api/templates: the example workflows to start from, and "Use this template"."""

from __future__ import annotations

from typing import Any

from flask import Blueprint

from server import audit
from server.api.base import db, doc
from server.api.workflows import describe
from server.auth.permissions import Permission, requires
from server.workflows import store, templates

bp = Blueprint("templates", __name__, url_prefix="/api/templates")


@bp.get("")
@requires(Permission.READ)
@doc("Workflow templates: id, name, description, group, node count, connections needed",
     tag="templates")
def list_templates() -> dict[str, Any]:
    return {"templates": templates.catalogue()}


@bp.post("/<template_id>/use")
@requires(Permission.EDIT)
@doc("Create a new workflow from a template; answers as creating a workflow does",
     tag="templates", responses={201: "Created", 404: "No such template"})
def use(template_id: str) -> tuple[dict[str, Any], int]:
    document = templates.fresh_webhook_paths(templates.document(template_id))
    workflow = store.create(db(), document)
    audit.record(db(), "created", "workflow", workflow.id, name=workflow.name,
                 template=template_id)
    db().commit()
    return describe(workflow, with_document=True), 201
