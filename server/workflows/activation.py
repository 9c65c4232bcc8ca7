"""Activation: an active workflow's triggers are registered where their sources look.

Webhook triggers become routes (`/webhook/<path>`), schedule triggers rows the scheduler
fires. Other trigger sources (HighLevel events, data tables) add an `Activator` to
`ACTIVATORS` when their module is imported; `ACTIVATOR_MODULES` lists those modules so that
every entry point (web, CLI, scheduler) activates every trigger kind.
"""

from __future__ import annotations

import importlib
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from sqlalchemy import delete, select
from sqlalchemy.orm import Session

from nodes.core.trigger_schedule import cron_expression
from server.db import Schedule, WebhookRoute, Workflow, WorkflowVersion
from server.db.models import utcnow
from server.errors import Conflict
from server.scheduling import next_fire


@dataclass(frozen=True)
class Activator:
    name: str
    activate: Callable[[Session, Workflow, dict[str, Any]], None]
    deactivate: Callable[[Session, Workflow], None]


def _enabled_nodes(document: dict[str, Any], node_type: str) -> list[dict[str, Any]]:
    return [n for n in document.get("nodes", [])
            if n.get("type") == node_type and not n.get("disabled")]


def _register_webhooks(session: Session, workflow: Workflow, document: dict[str, Any]) -> None:
    _unregister_webhooks(session, workflow)
    for node in _enabled_nodes(document, "core.trigger.webhook"):
        params = node.get("params") or {}
        method = params.get("method", "POST")
        path = str(params["path"]).strip("/")
        taken = session.scalars(select(WebhookRoute).where(
            WebhookRoute.method == method, WebhookRoute.path == path)).first()
        if taken is not None:
            raise Conflict(f"Another active workflow ({taken.workflow_id}) already listens on "
                           f"{method} /webhook/{path}; choose another path.")
        session.add(WebhookRoute(method=method, path=path, workflow_id=workflow.id,
                                 node_id=node["id"]))
        session.flush()


def _unregister_webhooks(session: Session, workflow: Workflow) -> None:
    session.execute(delete(WebhookRoute).where(WebhookRoute.workflow_id == workflow.id))


def _register_schedules(session: Session, workflow: Workflow, document: dict[str, Any]) -> None:
    _unregister_schedules(session, workflow)
    default_tz = (document.get("settings") or {}).get("timezone") or "UTC"
    for node in _enabled_nodes(document, "core.trigger.schedule"):
        params = node.get("params") or {}
        cron = cron_expression(params)
        timezone = params.get("timezone") or default_tz
        session.add(Schedule(workflow_id=workflow.id, node_id=node["id"], cron=cron,
                             timezone=timezone, next_fire_at=next_fire(cron, timezone, utcnow())))


def _unregister_schedules(session: Session, workflow: Workflow) -> None:
    session.execute(delete(Schedule).where(Schedule.workflow_id == workflow.id))


ACTIVATORS: list[Activator] = [
    Activator("webhooks", _register_webhooks, _unregister_webhooks),
    Activator("schedules", _register_schedules, _unregister_schedules),
]


#: Modules that append their own `Activator` on import (they import this module, hence lazy).
ACTIVATOR_MODULES = ("server.tables.triggers", "nodes.ghl.triggers.activation")


def activators() -> list[Activator]:
    for module in ACTIVATOR_MODULES:
        importlib.import_module(module)
    return ACTIVATORS


def activate(session: Session, workflow: Workflow, version: WorkflowVersion | None = None) -> None:
    """Make `version` (default: the current one) the one triggers run, and register them."""
    version = version or workflow.current_version
    if version is None:
        raise Conflict("Save the workflow before activating it.")
    for activator in activators():
        activator.activate(session, workflow, version.document)
    workflow.active = True
    workflow.active_version = version
    session.flush()


def deactivate(session: Session, workflow: Workflow) -> None:
    for activator in activators():
        activator.deactivate(session, workflow)
    workflow.active = False
    workflow.active_version = None
    session.flush()
