"""Activating a workflow registers its HighLevel triggers; deactivating removes them.

An instant trigger becomes a `GhlSubscription` (event, connection, filters) that POST
/hooks/ghl matches events against; the polling trigger becomes a `GhlPoll` the scheduler
polls. The polling cursor is a `NodeState` row and outlives re-activation, so publishing a new
version does not replay old changes. Appended to `server.workflows.activation.ACTIVATORS` on
import (nodes.ghl imports this module; so does the /hooks/ghl blueprint).
"""

from __future__ import annotations

from typing import Any

from sqlalchemy import delete
from sqlalchemy.orm import Session

from nodes import registry
from nodes.ghl.triggers import filters
from nodes.ghl.triggers.polling import POLL_TYPE, interval_of
from server.db import GhlPoll, GhlSubscription, Workflow
from server.db.models import utcnow
from server.errors import Conflict
from server.workflows import activation

NAME = "ghl"


def _trigger_nodes(document: dict[str, Any]) -> list[tuple[dict[str, Any], Any]]:
    found = []
    for node in document.get("nodes", []):
        if node.get("disabled"):
            continue
        spec = registry.get(str(node.get("type")))
        if spec is not None and (spec.meta.get("ghl_event") or spec.type == POLL_TYPE):
            found.append((node, spec))
    return found


def activate(session: Session, workflow: Workflow, document: dict[str, Any]) -> None:
    deactivate(session, workflow)
    for node, spec in _trigger_nodes(document):
        credential = node.get("credential")
        if not credential:
            raise Conflict(f"{node.get('name')}: choose the HighLevel connection whose events "
                           "start this workflow before activating it.")
        params = node.get("params") or {}
        if spec.type == POLL_TYPE:
            session.add(GhlPoll(workflow_id=workflow.id, node_id=node["id"],
                                credential=credential, interval_s=interval_of(params),
                                next_poll_at=utcnow()))
        else:
            session.add(GhlSubscription(
                workflow_id=workflow.id, node_id=node["id"],
                event_type=spec.meta["ghl_event"], location_id=_location(credential),
                credential=credential, filters=filters.stored(params) or None))
    session.flush()


def deactivate(session: Session, workflow: Workflow) -> None:
    session.execute(delete(GhlSubscription).where(GhlSubscription.workflow_id == workflow.id))
    session.execute(delete(GhlPoll).where(GhlPoll.workflow_id == workflow.id))


def _location(credential: str) -> str:
    """The connection's location, for reading the table; events are matched by connection,
    so an activation outside a web request (no app to decrypt with) may leave it empty."""
    try:
        from flask import current_app, has_app_context

        if not has_app_context():
            return ""
        from server.credentials import load_by_name

        data = load_by_name(current_app.extensions["flowlane"], credential) or {}
        return str(data.get("location_id") or "")
    except Exception:  # the location is a convenience here; never block activation on it
        return ""


def register() -> None:
    if not any(a.name == NAME for a in activation.ACTIVATORS):
        activation.ACTIVATORS.append(activation.Activator(NAME, activate, deactivate))


register()
