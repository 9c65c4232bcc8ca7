"""/api/import/n8n: turn an n8n workflow export into a Flowlane workflow, with a report.

The body is n8n's workflow JSON as it is (a file's content, a paste, a drop). The answer is
201 with the created workflow and the import report, or 422 with the report (and the
converted document) when the result would not validate; nothing is saved then.
`/api/import/n8n/convert` converts only: the editor pastes the nodes into an open workflow.
"""

from __future__ import annotations

import json
from typing import Any

from flask import Blueprint, request

from server import audit
from server.api.base import db, doc
from server.api.workflows import describe
from server.auth.permissions import Permission, requires
from server.errors import BadRequest, Invalid, TooLarge
from server.importers.n8n import NotAnN8nWorkflow, TooBig, convert
from server.workflows import store

bp = Blueprint("n8n_import", __name__, url_prefix="/api/import")

#: Largest n8n export accepted (bytes); real workflows are far smaller.
MAX_BYTES = 5 * 1024 * 1024

N8N_WORKFLOW = {
    "type": "object",
    "description": "An n8n workflow as n8n exports it: nodes, connections, settings, pinData.",
    "properties": {"name": {"type": "string"}, "nodes": {"type": "array"},
                   "connections": {"type": "object"}, "settings": {"type": "object"},
                   "pinData": {"type": "object"}},
}


@bp.post("/n8n")
@requires(Permission.EDIT)
@doc("Import an n8n workflow export as a new workflow; the report says what mapped, what was "
     "translated and what needs attention", tag="workflows", body=N8N_WORKFLOW,
     responses={201: "Imported", 400: "Not an n8n workflow", 413: "Too large",
                422: "The converted workflow would not validate"})
def import_n8n() -> tuple[dict[str, Any], int]:
    result = convert_request(read_body())
    report = result.report.as_dict()
    if not result.ok:
        errors = report["validation"].get("errors", [])
        first = errors[0]["message"] if errors else "it does not validate"
        raise Invalid(f"The imported workflow would not be valid: {first}", errors=errors,
                      report=report, document=result.document)
    workflow = store.create(db(), result.document)
    audit.record(db(), "imported", "workflow", workflow.id, name=workflow.name, source="n8n",
                 needs_attention=report["summary"]["needs_attention"])
    db().commit()
    return {"workflow": describe(workflow, with_document=True), "report": report}, 201


@bp.post("/n8n/convert")
@requires(Permission.EDIT)
@doc("Convert an n8n workflow export without saving it (the editor pastes the result); the "
     "document may still have problems, which the report lists", tag="workflows",
     body=N8N_WORKFLOW, responses={200: "Converted", 400: "Not an n8n workflow",
                                   413: "Too large"})
def convert_n8n() -> dict[str, Any]:
    result = convert_request(read_body())
    return {"document": result.document, "report": result.report.as_dict()}


def read_body() -> Any:
    """The request's JSON, read here so size and nesting give a clear 4xx, never a 500."""
    length = request.content_length
    if length is not None and length > MAX_BYTES:
        raise TooLarge(f"The workflow is larger than {MAX_BYTES // (1024 * 1024)} MB.")
    raw = request.get_data(cache=False)
    if len(raw) > MAX_BYTES:
        raise TooLarge(f"The workflow is larger than {MAX_BYTES // (1024 * 1024)} MB.")
    if not raw.strip():
        raise BadRequest("Send the n8n workflow's JSON as the body.")
    try:
        return json.loads(raw)
    except (ValueError, RecursionError):
        raise BadRequest("The body is not valid JSON: send the n8n workflow as exported "
                         "(Download, or copy the nodes from the n8n editor).") from None


def convert_request(data: Any) -> Any:
    try:
        return convert(data)
    except NotAnN8nWorkflow as err:
        raise BadRequest(f"This is not an n8n workflow: {err}") from None
    except TooBig as err:
        raise TooLarge(str(err)) from None
