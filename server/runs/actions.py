"""Cancel a run, or retry it as a new run (from the start or from the failed step, on the
original or the latest version). A retry never changes the run it retries."""

from __future__ import annotations

from sqlalchemy import select
from sqlalchemy.orm import Session

from server import keys
from server.db import Run, RunStatus, Step, StepStatus
from server.db.models import utcnow
from server.errors import Conflict, Invalid
from server.runs.start import create_run, enqueue, summary
from server.services import Services

_FINISHED = (RunStatus.SUCCEEDED, RunStatus.FAILED, RunStatus.CANCELLED)


def cancel(svc: Services, session: Session, run: Run) -> Run:
    """Queued and waiting runs stop at once; a running one at its worker's next check."""
    if run.status in _FINISHED:
        raise Conflict(f"Run {run.id} has already {run.status}.")
    run.cancel_requested = True
    svc.redis.set(keys.run_cancel(run.id), "1", ex=7 * 86400)
    if run.status in (RunStatus.QUEUED, RunStatus.WAITING):
        run.status = RunStatus.CANCELLED
        run.finished_at = utcnow()
        run.error = {"message": "The run was cancelled."}
    session.commit()
    if run.status == RunStatus.CANCELLED:
        svc.events.run_event("run.finished", summary(run), run.id, run.workflow_id)
    return run


def retry(svc: Services, session: Session, run: Run, start_from: str = "start",
          version: str = "original") -> Run:
    if run.status not in _FINISHED:
        raise Conflict(f"Run {run.id} is still {run.status}; cancel it or wait for it to end.")
    target = run.version if version == "original" else run.workflow.current_version
    if target is None:
        raise Invalid("The workflow has no saved version to retry on.")
    new_run = create_run(session, run.workflow_id, target.id, kind=run.trigger_kind,
                         payload=run.trigger_payload, trigger_node=run.trigger_node,
                         pinned=run.pinned, parent_run_id=run.id, parent_relation="retry")
    session.flush()
    if start_from == "failed":
        if run.status == RunStatus.SUCCEEDED:
            raise Conflict(f"Run {run.id} succeeded; there is no failed step to retry from.")
        _copy_finished_steps(session, run, new_run, target.document)
    session.commit()
    enqueue(svc, new_run)
    return new_run


def _copy_finished_steps(session: Session, old: Run, new: Run, document: dict) -> None:
    """The nodes that succeeded before keep their outputs; the rest runs again.

    Steps cut by retention (truncated) cannot stand in for their node: it runs again.
    """
    present = {node["id"]: node["type"] for node in document.get("nodes", [])}
    steps = session.scalars(select(Step).where(
        Step.run_id == old.id, Step.status == StepStatus.SUCCEEDED, Step.iteration.is_(None),
        Step.truncated.is_(False)).order_by(Step.id))
    for step in steps:
        if present.get(step.node_id) != step.node_type or step.output is None:
            continue
        session.add(Step(
            run_id=new.id, node_id=step.node_id, node_name=step.node_name,
            node_type=step.node_type, iteration=None, attempt=step.attempt,
            status=StepStatus.SUCCEEDED, input=step.input, output=step.output,
            input_counts=step.input_counts, output_counts=step.output_counts,
            params=step.params, payload_bytes=step.payload_bytes, origin="copied",
            started_at=step.started_at, finished_at=step.finished_at,
        ))
