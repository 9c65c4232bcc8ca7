"""Create, save, duplicate, delete, import and export workflows. Every save validates the
whole document and makes a new immutable version; nothing is written when it is invalid."""

from __future__ import annotations

import copy
from typing import Any

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from server.db import Workflow, WorkflowVersion
from server.engine.schema import FORMAT
from server.engine.validate import Report, validate
from server.errors import Invalid, NotFound
from server.workflows import activation


def new_document(name: str) -> dict[str, Any]:
    """What "New workflow" starts from: a manual trigger, ready to build on."""
    return {
        "format": FORMAT,
        "name": name,
        "nodes": [{"id": "start", "type": "core.trigger.manual", "name": "Start",
                   "position": [0, 0], "params": {}}],
        "edges": [],
        "settings": {"timezone": "UTC", "error_workflow": None, "save_runs": "all"},
        "notes": [],
    }


def check(document: Any) -> Report:
    """Validate, raising `Invalid` with every problem when any is an error."""
    report = validate(document)
    if not report.ok:
        count = len(report.errors)
        first = report.errors[0].message
        raise Invalid(
            f"The workflow has {count} problem{'s' if count > 1 else ''}: {first}"
            + (" (and more, see errors)" if count > 1 else ""),
            **report.as_dict(),
        )
    return report


def get(session: Session, workflow_id: int) -> Workflow:
    workflow = session.get(Workflow, workflow_id)
    if workflow is None:
        raise NotFound(f"There is no workflow {workflow_id}.")
    return workflow


def create(session: Session, document: Any, created_by: str | None = None) -> Workflow:
    check(document)
    workflow = Workflow(name=document["name"])
    session.add(workflow)
    session.flush()
    _add_version(session, workflow, document, created_by)
    return workflow


def save(session: Session, workflow: Workflow, document: Any,
         created_by: str | None = None) -> WorkflowVersion:
    """A new version when the document changed (the current one when it did not).

    An active workflow switches to the new version at once, triggers included.
    """
    check(document)
    current = workflow.current_version
    if current is not None and current.document == document:
        return current
    version = _add_version(session, workflow, document, created_by)
    workflow.name = document["name"]
    if workflow.active:
        activation.activate(session, workflow, version)
    return version


def _add_version(session: Session, workflow: Workflow, document: dict[str, Any],
                 created_by: str | None) -> WorkflowVersion:
    last = session.scalar(
        select(func.max(WorkflowVersion.number)).where(WorkflowVersion.workflow_id == workflow.id)
    )
    version = WorkflowVersion(workflow_id=workflow.id, number=(last or 0) + 1,
                              document=copy.deepcopy(document), created_by=created_by)
    session.add(version)
    session.flush()
    workflow.current_version = version
    return version


def duplicate(session: Session, workflow: Workflow) -> Workflow:
    document = copy.deepcopy(export(workflow))
    document["name"] = f"{document['name']} (copy)"[:200]
    for node in document.get("nodes", []):
        if node.get("type") == "core.trigger.webhook":
            # Two workflows cannot listen on one path: the copy gets its own.
            params = node.setdefault("params", {})
            params["path"] = f"{params.get('path', 'hook')}-copy"[:200]
    return create(session, document)


def delete(session: Session, workflow: Workflow) -> None:
    activation.deactivate(session, workflow)
    workflow.current_version_id = None
    workflow.active_version_id = None
    session.flush()
    session.delete(workflow)


def export(workflow: Workflow) -> dict[str, Any]:
    """The current document, exactly as saved: importing it gives the same document back."""
    if workflow.current_version is None:
        raise NotFound(f"Workflow {workflow.id} has no saved version.")
    return copy.deepcopy(workflow.current_version.document)


def version(session: Session, workflow: Workflow, number: int) -> WorkflowVersion:
    found = session.scalars(select(WorkflowVersion).where(
        WorkflowVersion.workflow_id == workflow.id, WorkflowVersion.number == number)).first()
    if found is None:
        raise NotFound(f"Workflow {workflow.id} has no version {number}.")
    return found
