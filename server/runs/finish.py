"""Finishing a run: its final status, retention of its data, and what a failure sets off
(the error workflow, the webhook caller still waiting for an answer)."""

from __future__ import annotations

import json
import logging
from typing import Any

from sqlalchemy import delete, select, update

from server import keys
from server.db import Run, RunStatus, Step, Workflow
from server.db.models import utcnow
from server.engine.executor import Outcome
from server.queue import enqueue_run
from server.runs.failure_alerts import alert_failure
from server.runs.recorder import DbRecorder
from server.runs.start import create_run, enqueue, summary
from server.services import Services

log = logging.getLogger("flowlane.worker")


def finish_run(svc: Services, run: Run, outcome: Outcome, document: dict[str, Any],
               responded: bool, maybe_large: bool, recorder: DbRecorder) -> None:
    """Record the outcome of `run` (as claimed, from another session). `maybe_large` False
    skips looking for steps to truncate (the worker saw every step of this run and none was
    over the limit)."""
    settings = document.get("settings") or {}
    run_id = run.id
    with svc.db.session() as session:
        recorder.write_steps(session)  # committed with the run's status below
        # The claimed run, not a fresh read: only the columns set below are written, so a
        # cancel requested meanwhile is kept (and seen through the pulse, not this object).
        session.add(run)
        if outcome.status == "waiting":
            assert outcome.wait_until is not None
            run.status = RunStatus.WAITING
            run.wait_until = outcome.wait_until.replace(tzinfo=None)
            run.heartbeat_at = None
            session.commit()
            enqueue_run(svc.queue, run.id, svc.config.run_timeout, at=run.wait_until)
            recorder.announce("run.waiting", summary(run))
            recorder.flush()
            return
        run.status = outcome.status
        run.error = recorder.redactor.clean(outcome.error)
        run.finished_at = utcnow()
        run.heartbeat_at = None
        run.cancel_requested = run.cancel_requested or outcome.status == "cancelled"
        event = summary(run)
        kept = apply_retention(svc, session, run, settings.get("save_runs", "all"), maybe_large)
        session.commit()
        recorder.announce("run.finished", event)
        recorder.flush()
        if not responded and _caller_waits(document, run):
            _answer_waiting_caller(svc, run_id, outcome)
        if outcome.status == "failed":
            alert_failure(svc, session, run, settings, document.get("name", ""))
            if run.trigger_kind != "error":
                _start_error_workflow(svc, session, run, settings.get("error_workflow"), kept)
    if run_status_cancelled(outcome):
        svc.redis.delete(keys.run_cancel(run_id))


def run_status_cancelled(outcome: Outcome) -> bool:
    return outcome.status == "cancelled"


def apply_retention(svc: Services, session: Any, run: Run, save_runs: str,
                    maybe_large: bool = True) -> bool:
    """Keep, trim or drop a finished run's data. False when the run row itself was dropped.

    Steps keep full payloads while the run is in flight (a resume needs them); once it is
    over, payloads above the limit are cut to their first items and marked truncated.
    Runs the workflow does not save lose their data; failures keep their row, so they
    are always counted.
    """
    failed = run.status == RunStatus.FAILED
    if save_runs == "none" or (save_runs == "failed" and not failed):
        if not failed:
            session.execute(delete(Run).where(Run.id == run.id))
            return False
        run.trigger_payload = None
        session.execute(update(Step).where(Step.run_id == run.id)
                        .values(input=None, output=None, params=None))
        return True
    if not maybe_large:
        return True
    limit = svc.config.step_payload_limit
    for step in session.scalars(select(Step).where(Step.run_id == run.id,
                                                   Step.payload_bytes > limit)):
        step.input = truncate(step.input, limit // 2)
        step.output = truncate(step.output, limit // 2)
        step.truncated = True
    return True


def truncate(ports: dict[str, Any] | None, budget: int) -> dict[str, Any] | None:
    """The first items of each port that fit in `budget` bytes of JSON, shared evenly."""
    if not ports:
        return ports
    share = max(budget // len(ports), 1)
    trimmed: dict[str, Any] = {}
    for port, items in ports.items():
        kept, used = [], 0
        for item in items:
            size = len(json.dumps(item, default=str))
            if used + size > share:
                break
            kept.append(item)
            used += size
        trimmed[port] = kept
    return trimmed


def _caller_waits(document: dict[str, Any], run: Run) -> bool:
    """Whether the webhook call that started the run is held open for an answer."""
    if run.trigger_kind != "webhook":
        return False
    trigger = next((n for n in document.get("nodes", []) if n.get("id") == run.trigger_node), {})
    return (trigger.get("params") or {}).get("respond") == "respond_node"


def _answer_waiting_caller(svc: Services, run_id: int, outcome: Outcome) -> None:
    """A webhook caller waiting for 'Respond to webhook' gets an answer even when no node
    gave one: the run's status (and its error, when it failed)."""
    status = 200 if outcome.status == "succeeded" else 500
    body = {"run_id": run_id, "status": outcome.status}
    if outcome.error:
        body["error"] = outcome.error.get("message")
    key = keys.run_response(run_id)
    svc.redis.rpush(key, json.dumps({"status": status, "body": body, "headers": {}}))
    svc.redis.expire(key, svc.config.webhook_response_timeout + 30)


def _start_error_workflow(svc: Services, session: Any, run: Run, reference: Any,
                          kept: bool) -> None:
    if reference in (None, ""):
        return
    target = None
    if isinstance(reference, int) or str(reference).isdigit():
        target = session.get(Workflow, int(reference))
    if target is None:
        target = session.scalars(select(Workflow).where(Workflow.name == str(reference))).first()
    version_id = target and (target.active_version_id or target.current_version_id)
    if target is None or version_id is None:
        log.warning("run %s failed; its error workflow %r does not exist", run.id, reference)
        return
    payload = {
        "workflow": {"id": run.workflow_id, "name": run.workflow.name},
        "run": {"id": run.id, "trigger_kind": run.trigger_kind,
                "url": f"{svc.config.base_url}/runs/{run.id}",
                "started_at": run.started_at.isoformat() + "Z" if run.started_at else None},
        "error": run.error or {},
    }
    try:
        error_run = create_run(session, target.id, version_id, kind="error", payload=payload,
                               parent_run_id=run.id if kept else None,
                               parent_relation="error_workflow")
    except ValueError as err:
        log.warning("error workflow %s cannot start: %s", target.id, err)
        return
    session.commit()
    enqueue(svc, error_run)
