"""/api/notifications (the bell) and /api/artifacts (files runs made: the Reports page)."""

from __future__ import annotations

from typing import Any

from flask import Blueprint, Response, g, request
from sqlalchemy import select
from sqlalchemy.orm import defer

from server import files, notifications
from server.api.base import db, doc, int_arg, json_body
from server.auth.permissions import Permission, requires
from server.db import Artifact, Workflow
from server.db.models import MAX_ID
from server.errors import NotFound

bp = Blueprint("notifications", __name__, url_prefix="/api")

READ_BODY = {
    "type": "object",
    "properties": {"ids": {"type": "array",
                           "items": {"type": "integer", "minimum": 1, "maximum": MAX_ID},
                           "description": "Leave out to mark all read."}},
}


@bp.get("/notifications")
@requires(Permission.READ)
@doc("My latest notifications and how many are unread", tag="notifications",
     query={"limit": "1-200"})
def list_notifications() -> dict[str, Any]:
    return notifications.for_user(db(), g.user, int_arg("limit", 50, 1, 200))


@bp.post("/notifications/read")
@requires(Permission.READ)
@doc("Mark notifications read (all when no ids are given)", tag="notifications",
     body=READ_BODY)
def mark_read() -> dict[str, Any]:
    body = json_body(READ_BODY, required=False)
    notifications.mark_read(db(), g.user, body.get("ids"))
    db().commit()
    return notifications.for_user(db(), g.user)


@bp.get("/artifacts")
@requires(Permission.READ)
@doc("Files runs made (reports), newest first, with their workflow's name; page on with "
     "before=<the last artifact_id shown>", tag="files",
     query={"run_id": "integer", "workflow_id": "integer", "before": "artifact id",
            "limit": "1-500"})
def list_artifacts() -> dict[str, Any]:
    query = (select(Artifact, Workflow.name)
             .outerjoin(Workflow, Workflow.id == Artifact.workflow_id)
             .order_by(Artifact.id.desc()))
    if run_id := int_arg("run_id", 0, 0, MAX_ID):
        query = query.where(Artifact.run_id == run_id)
    if workflow_id := int_arg("workflow_id", 0, 0, MAX_ID):
        query = query.where(Artifact.workflow_id == workflow_id)
    if before := int_arg("before", 0, 0, MAX_ID):
        query = query.where(Artifact.id < before)
    # Only the columns a list needs: the file contents stay in the database.
    rows = db().execute(query.limit(int_arg("limit", 100, 1, 500))
                        .options(defer(Artifact.content)))
    return {"artifacts": [{**files.describe(artifact), "workflow_id": artifact.workflow_id,
                           "workflow_name": name} for artifact, name in rows]}


@bp.get("/artifacts/<int:artifact_id>/download")
@requires(Permission.READ)
@doc("Download a file a run made", tag="files", responses={200: "The file", 404: "Not found"})
def download(artifact_id: int) -> Response:
    artifact = db().get(Artifact, artifact_id)
    if artifact is None:
        raise NotFound(f"There is no file {artifact_id}.")
    inline = request.args.get("inline") == "1" and artifact.mime == "application/pdf"
    disposition = "inline" if inline else "attachment"
    return Response(artifact.content, mimetype=artifact.mime, headers={
        "Content-Disposition": f'{disposition}; filename="{artifact.name}"',
        "X-Content-Type-Options": "nosniff",
    })
