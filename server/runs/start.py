"""Start a run: commit the Run row first, then enqueue its id, so no trigger is ever lost."""

from __future__ import annotations

from typing import Any

from sqlalchemy import insert
from sqlalchemy.orm import Session

from nodes import registry
from server.db import Run, RunStatus, Workflow
from server.engine.graph import Graph
from server.errors import BadRequest, Invalid
from server.queue import enqueue_run
from server.services import Services
from server.workflows import versions

#: Which trigger node a run of each kind starts from, when none is named.
TRIGGER_KINDS = {
    "manual": ("manual",),
    "subworkflow": ("subworkflow", "manual"),
    "error": ("error",),
    "webhook": ("webhook",),
    "schedule": ("schedule",),
}


def pick_trigger(graph: Graph, kind: str, node_id: str | None = None) -> str:
    """The id of the trigger node a run of `kind` starts from."""
    triggers = []
    for node in graph.nodes.values():
        spec = registry.get(node.type)
        if spec is not None and spec.is_trigger and not node.disabled:
            triggers.append((node.id, spec.trigger))
    if node_id is not None:
        if any(found == node_id for found, _ in triggers):
            return node_id
        raise Invalid(f"{node_id!r} is not an enabled trigger node of this workflow.")
    for wanted in TRIGGER_KINDS.get(kind, (kind,)):
        for found, trigger in triggers:
            if trigger == wanted:
                return found
    if kind == "manual" and triggers:
        return triggers[0][0]  # "Run now" on a webhook or schedule workflow: use its trigger
    raise Invalid(f"This workflow has no {kind} trigger to start from.")


def create_run(
    session: Session,
    workflow_id: int,
    version_id: int,
    *,
    kind: str,
    payload: Any = None,
    trigger_node: str | None = None,
    pinned: dict[str, Any] | None = None,
    parent_run_id: int | None = None,
    parent_relation: str | None = None,
) -> Run:
    """Insert a queued Run in the session's transaction (the caller commits, then calls
    `enqueue`)."""
    if pinned is not None and not isinstance(pinned, dict):
        raise BadRequest("pinned must map node ids to items per port.")
    graph = versions.graph(session, version_id)  # cached: no document to parse per run
    # An INSERT ... RETURNING that hands back the Run: no unit-of-work flush (every trigger
    # passes here, a webhook burst hundreds of times a second).
    return session.scalars(insert(Run).returning(Run), [{
        "workflow_id": workflow_id,
        "version_id": version_id,
        "status": RunStatus.QUEUED,
        "trigger_kind": kind,
        "trigger_node": pick_trigger(graph, kind, trigger_node),
        "trigger_payload": payload,
        "pinned": pinned or None,
        "parent_run_id": parent_run_id,
        "parent_relation": parent_relation,
    }]).one()


def enqueue(services: Services, run: Run) -> None:
    """The run's job and its "run.queued" event, in one Redis round trip."""
    with services.redis.pipeline() as pipeline:
        enqueue_run(services.queue, run.id, services.config.run_timeout, pipeline=pipeline)
        services.events.run_event("run.queued", summary(run), run.id, run.workflow_id, pipeline)
        pipeline.execute()


def start_run(services: Services, workflow_id: int, *, kind: str, payload: Any = None,
              version: str = "active", **options: Any) -> Run:
    """Create, commit and enqueue a run of a workflow's active (or current) version."""
    with services.db.session() as session:
        workflow = session.get(Workflow, workflow_id)
        if workflow is None:
            raise BadRequest(f"There is no workflow {workflow_id}.")
        chosen = workflow.active_version_id if version == "active" else None
        chosen = chosen or workflow.current_version_id
        if chosen is None:
            raise Invalid("This workflow has no saved version to run.")
        run = create_run(session, workflow.id, chosen, kind=kind, payload=payload, **options)
        session.commit()
        enqueue(services, run)
        return run


def summary(run: Run) -> dict[str, Any]:
    """What live events and run lists carry about a run (no payloads)."""
    def iso(value: Any) -> str | None:
        return value.isoformat() + "Z" if value is not None else None

    return {
        "id": run.id,
        "workflow_id": run.workflow_id,
        "version_id": run.version_id,
        "status": run.status,
        "trigger_kind": run.trigger_kind,
        "created_at": iso(run.created_at),
        "started_at": iso(run.started_at),
        "finished_at": iso(run.finished_at),
        "error": (run.error or {}).get("message"),
        "parent_run_id": run.parent_run_id,
    }
