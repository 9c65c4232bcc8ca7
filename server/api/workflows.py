"""/api/workflows: CRUD, versions, activation, import and export, run now."""

from __future__ import annotations

import json
from typing import Any

from flask import Blueprint, Response, request
from sqlalchemy import func, select

from server import audit
from server.api.base import db, doc, int_arg, json_body, services
from server.auth.permissions import Permission, requires
from server.db import Run, Workflow, WorkflowVersion
from server.engine.schema import WORKFLOW_SCHEMA
from server.runs.start import start_run
from server.workflows import activation, store
from server.workflows.checks import connection_warnings, validate_with_connections

bp = Blueprint("workflows", __name__, url_prefix="/api/workflows")

CREATE_BODY = {
    "type": "object",
    "properties": {
        "name": {"type": "string", "minLength": 1, "maxLength": 200},
        "document": {"type": "object"},
    },
    "anyOf": [{"required": ["name"]}, {"required": ["document"]}],
}
SAVE_BODY = {"type": "object", "required": ["document"],
             "properties": {"document": {"type": "object"}}}
RUN_BODY = {
    "type": "object",
    "properties": {
        "input": {"description": "Trigger data: an object or a list of objects."},
        "trigger_node": {"type": "string"},
        "pinned": {"type": "object"},
        "version": {"enum": ["current", "active"], "default": "current"},
    },
}


def _iso(value: Any) -> str | None:
    return value.isoformat() + "Z" if value is not None else None


def webhook_path(node: dict[str, Any]) -> str:
    return str((node.get("params") or {}).get("path", "")).strip("/")


def describe(workflow: Workflow, last_run: Run | None = None,
             with_document: bool = False) -> dict[str, Any]:
    current = workflow.current_version
    result: dict[str, Any] = {
        "id": workflow.id,
        "name": workflow.name,
        "active": workflow.active,
        "version": current.number if current else None,
        "active_version": workflow.active_version.number if workflow.active_version else None,
        "created_at": _iso(workflow.created_at),
        "updated_at": _iso(workflow.updated_at),
    }
    if last_run is not None:
        result["last_run"] = {"id": last_run.id, "status": last_run.status,
                              "created_at": _iso(last_run.created_at)}
    if with_document and current is not None:
        result["document"] = current.document
        base = services().config.base_url
        result["webhook_urls"] = {
            node["id"]: f"{base}/webhook/{webhook_path(node)}"
            for node in current.document.get("nodes", [])
            if node.get("type") == "core.trigger.webhook"
        }
    return result


@bp.get("")
@requires(Permission.READ)
@doc("List workflows (search by name)", tag="workflows",
     query={"q": "text in the name", "active": "true|false", "limit": "1-500"})
def list_workflows() -> dict[str, Any]:
    session = db()
    query = select(Workflow).order_by(Workflow.updated_at.desc(), Workflow.id.desc())
    text = request.args.get("q", "").strip()
    if text:
        query = query.where(Workflow.name.ilike(f"%{text}%"))
    active = request.args.get("active")
    if active in ("true", "false"):
        query = query.where(Workflow.active.is_(active == "true"))
    workflows = list(session.scalars(query.limit(int_arg("limit", 200, 1, 500))))
    last_ids = dict(session.execute(
        select(Run.workflow_id, func.max(Run.id))
        .where(Run.workflow_id.in_([w.id for w in workflows]))
        .group_by(Run.workflow_id)
    ).all()) if workflows else {}
    runs = {run.workflow_id: run for run in session.scalars(
        select(Run).where(Run.id.in_(list(last_ids.values()))))} if last_ids else {}
    return {"workflows": [describe(w, runs.get(w.id)) for w in workflows]}


@bp.post("")
@requires(Permission.EDIT)
@doc("Create a workflow from a name (a new document) or a whole document", tag="workflows",
     body=CREATE_BODY, responses={201: "Created", 422: "Invalid document"})
def create() -> tuple[dict[str, Any], int]:
    body = json_body(CREATE_BODY)
    document = body["document"] if "document" in body else store.new_document(body["name"])
    workflow = store.create(db(), document)
    audit.record(db(), "created", "workflow", workflow.id, name=workflow.name)
    db().commit()
    return describe(workflow, with_document=True), 201


@bp.post("/validate")
@requires(Permission.READ)
@doc("Validate a document without saving it: every problem, with node and pointer",
     tag="workflows", body=WORKFLOW_SCHEMA)
def validate_document() -> dict[str, Any]:
    return validate_with_connections(services(), json_body()).as_dict()


@bp.post("/import")
@requires(Permission.EDIT)
@doc("Import a workflow document as a new workflow; 422 lists every problem",
     tag="workflows", body=WORKFLOW_SCHEMA, responses={201: "Imported", 422: "Invalid"})
def import_workflow() -> tuple[dict[str, Any], int]:
    document = json_body()
    report = store.check(document)
    report.problems.extend(connection_warnings(services(), document))
    workflow = store.create(db(), document)
    audit.record(db(), "imported", "workflow", workflow.id, name=workflow.name)
    db().commit()
    return {"workflow": describe(workflow, with_document=True), "report": report.as_dict()}, 201


@bp.get("/<int:workflow_id>")
@requires(Permission.READ)
@doc("A workflow with its current document", tag="workflows",
     responses={200: "OK", 404: "Not found"})
def get(workflow_id: int) -> dict[str, Any]:
    return describe(store.get(db(), workflow_id), with_document=True)


@bp.put("/<int:workflow_id>")
@requires(Permission.EDIT)
@doc("Save a new version of the document", tag="workflows", body=SAVE_BODY,
     responses={200: "Saved", 404: "Not found", 409: "Trigger conflict", 422: "Invalid"})
def save(workflow_id: int) -> dict[str, Any]:
    body = json_body(SAVE_BODY)
    workflow = store.get(db(), workflow_id)
    version = store.save(db(), workflow, body["document"])
    audit.record(db(), "saved", "workflow", workflow.id, version=version.number)
    db().commit()
    return {**describe(workflow, with_document=True), "saved_version": version.number,
            "warnings": validate_with_connections(services(), body["document"])
            .as_dict()["warnings"]}


@bp.delete("/<int:workflow_id>")
@requires(Permission.EDIT)
@doc("Delete a workflow with its versions and runs", tag="workflows",
     responses={204: "Deleted", 404: "Not found"})
def delete(workflow_id: int) -> tuple[str, int]:
    workflow = store.get(db(), workflow_id)
    audit.record(db(), "deleted", "workflow", workflow.id, name=workflow.name)
    store.delete(db(), workflow)
    db().commit()
    return "", 204


@bp.post("/<int:workflow_id>/duplicate")
@requires(Permission.EDIT)
@doc("Copy a workflow (inactive, new webhook paths)", tag="workflows",
     responses={201: "Created", 404: "Not found"})
def duplicate(workflow_id: int) -> tuple[dict[str, Any], int]:
    copy = store.duplicate(db(), store.get(db(), workflow_id))
    audit.record(db(), "duplicated", "workflow", copy.id, source=workflow_id)
    db().commit()
    return describe(copy, with_document=True), 201


@bp.get("/<int:workflow_id>/versions")
@requires(Permission.READ)
@doc("Every saved version, newest first", tag="workflows")
def versions(workflow_id: int) -> dict[str, Any]:
    workflow = store.get(db(), workflow_id)
    rows = db().scalars(select(WorkflowVersion).where(WorkflowVersion.workflow_id == workflow.id)
                        .order_by(WorkflowVersion.number.desc()))
    return {"versions": [{"number": v.number, "created_at": _iso(v.created_at),
                          "created_by": v.created_by,
                          "active": v.id == workflow.active_version_id,
                          "nodes": len(v.document.get("nodes", []))} for v in rows]}


@bp.get("/<int:workflow_id>/versions/<int:number>")
@requires(Permission.READ)
@doc("One version's document", tag="workflows", responses={200: "OK", 404: "Not found"})
def version(workflow_id: int, number: int) -> dict[str, Any]:
    found = store.version(db(), store.get(db(), workflow_id), number)
    return {"number": found.number, "created_at": _iso(found.created_at),
            "document": found.document}


@bp.post("/<int:workflow_id>/activate")
@requires(Permission.EDIT)
@doc("Activate: its triggers start runs of the current version", tag="workflows",
     responses={200: "Active", 404: "Not found", 409: "Trigger conflict"})
def activate(workflow_id: int) -> dict[str, Any]:
    workflow = store.get(db(), workflow_id)
    activation.activate(db(), workflow)
    audit.record(db(), "activated", "workflow", workflow.id,
                 version=workflow.current_version.number if workflow.current_version else None)
    db().commit()
    return describe(workflow)


@bp.post("/<int:workflow_id>/deactivate")
@requires(Permission.EDIT)
@doc("Deactivate: its triggers stop", tag="workflows", responses={200: "Inactive"})
def deactivate(workflow_id: int) -> dict[str, Any]:
    workflow = store.get(db(), workflow_id)
    activation.deactivate(db(), workflow)
    audit.record(db(), "deactivated", "workflow", workflow.id)
    db().commit()
    return describe(workflow)


@bp.get("/<int:workflow_id>/export")
@requires(Permission.READ)
@doc("Download the document as JSON; it imports back identically", tag="workflows")
def export(workflow_id: int) -> Response:
    workflow = store.get(db(), workflow_id)
    document = store.export(workflow)
    filename = "".join(c if c.isalnum() or c in "-_" else "-" for c in workflow.name)[:80]
    return Response(
        json.dumps(document, indent=2, ensure_ascii=False),
        mimetype="application/json",
        headers={"Content-Disposition": f'attachment; filename="{filename or "workflow"}.json"'},
    )


@bp.post("/<int:workflow_id>/run")
@requires(Permission.EDIT)
@doc("Run now (manual trigger, or the trigger named) with optional input", tag="workflows",
     body=RUN_BODY, responses={202: "Queued", 404: "Not found", 422: "Cannot start"})
def run_now(workflow_id: int) -> tuple[dict[str, Any], int]:
    body = json_body(RUN_BODY, required=False)
    store.get(db(), workflow_id)
    run = start_run(services(), workflow_id, kind="manual", payload=body.get("input"),
                    version=body.get("version", "current"), trigger_node=body.get("trigger_node"),
                    pinned=body.get("pinned"))
    audit.record(db(), "ran", "workflow", workflow_id, run_id=run.id)
    db().commit()
    return {"run_id": run.id, "status": run.status}, 202
