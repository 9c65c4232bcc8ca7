"""The worker side of a run: claim it, execute it, record it, finish it.

`execute_run(run_id)` is the RQ job. A run is claimed with one conditional UPDATE, so two
workers never execute it at once; while it runs, a heartbeat keeps `heartbeat_at` fresh, and
the sweeper hands a run whose heartbeat stopped (its worker died) to another worker, which
resumes it from the steps already recorded.
"""

from __future__ import annotations

import json
import logging
import os
import socket
import threading
import time
from collections.abc import Mapping
from dataclasses import dataclass
from datetime import timedelta
from typing import Any

import httpx
from sqlalchemy import and_, bindparam, func, or_, select, update

from nodes.registry import Items, NodeError
from server import keys
from server.config import Config
from server.db import Run, RunStatus, Step, StepStatus, Workflow
from server.db.models import utcnow
from server.engine.executor import Executor, Outcome, RunInfo
from server.engine.redact import Redactor
from server.queue import enqueue_run
from server.runs import finish
from server.runs.pulse import pulse_for
from server.runs.recorder import DbRecorder, counts, step_summary
from server.runs.start import create_run, enqueue, summary
from server.services import Services
from server.workflows import versions

log = logging.getLogger("flowlane.worker")

#: Sub-workflows calling sub-workflows stop here: a workflow that calls itself would not.
MAX_DEPTH = 10

_services: Services | None = None
_services_pid = 0


def services() -> Services:
    """This process's services, made after any fork (RQ's worker pool forks)."""
    global _services, _services_pid
    if _services is None or _services_pid != os.getpid():
        config = Config.from_env()
        _services = Services(config, config.redis_url or os.environ["REDIS_URL"])
        _services_pid = os.getpid()
    return _services


def worker_name() -> str:
    return f"{socket.gethostname()}:{os.getpid()}"


def execute_run(run_id: int) -> None:
    """The RQ job: run `run_id` if it can be claimed (else another worker has it)."""
    run_claimed(services(), run_id)


#: Take a run: queued, due waiting, or running with a dead worker; atomic, and the claimed
#: run comes back in the same statement. Built once: building it costs more than running it.
CLAIM = (
    update(Run)
    .where(
        Run.id == bindparam("run_id"),
        or_(
            Run.status.in_([RunStatus.QUEUED, RunStatus.WAITING]),
            and_(Run.status == RunStatus.RUNNING, Run.heartbeat_at < bindparam("stale")),
        ),
    )
    .values(status=RunStatus.RUNNING, worker=bindparam("worker_name"),
            heartbeat_at=bindparam("now"), claims=Run.claims + 1,
            started_at=func.coalesce(Run.started_at, bindparam("now")))
    .returning(Run)
    .execution_options(synchronize_session=False)
)


def claim(session: Any, svc: Services, run_id: int) -> Run | None:
    """The run, now ours to execute; None when it is not claimable."""
    now = utcnow()
    stale = now - timedelta(seconds=svc.config.heartbeat_timeout)
    return session.scalars(CLAIM, {"run_id": run_id, "stale": stale, "now": now,
                                   "worker_name": worker_name()}).one_or_none()


@dataclass
class Claimed:
    """A claimed run, read in the claim's transaction: what executing it needs."""

    run: Run
    graph: Any
    info: RunInfo
    completed: dict[str, Any]
    resumed: bool
    first_start: bool


def run_claimed(svc: Services, run_id: int, depth: int = 0) -> Outcome | None:
    claimed = _claim_and_read(svc, run_id, depth)
    if claimed is None:
        return None
    with pulse_for(svc).watch(run_id) as cancelled:
        return _execute(svc, claimed, cancelled)


def _claim_and_read(svc: Services, run_id: int, depth: int) -> Claimed | None:
    """Claim the run and read it in one transaction (None: not ours to run now)."""
    with svc.db.session() as session:
        run = claim(session, svc, run_id)
        if run is None:
            session.rollback()
            log.info("run %s is not claimable (finished, or another worker has it)", run_id)
            return None
        assert run.started_at is not None
        if run.wait_until is not None and run.wait_until > utcnow() + timedelta(seconds=1):
            # A continuation that came early (the sweeper, a duplicate job): park it again.
            run.status = RunStatus.WAITING
            session.commit()
            enqueue_run(svc.queue, run.id, svc.config.run_timeout, at=run.wait_until)
            return None
        graph = versions.graph(session, run.version_id)
        document = graph.document
        # A fresh run has no steps yet; only a resumed or retried one needs to look.
        resumed = run.claims > 1 or run.wait_until is not None or run.parent_relation == "retry"
        completed = _completed_steps(svc, session, run) if resumed else {}
        first_start = run.claims == 1 and run.wait_until is None
        if run.wait_until is not None:
            run.wait_until = None
        session.commit()
        info = RunInfo(
            id=run.id, workflow_id=run.workflow_id, workflow_name=document.get("name", ""),
            trigger_kind=run.trigger_kind, started_at=run.started_at.isoformat() + "Z",
            timezone=(document.get("settings") or {}).get("timezone") or "UTC", depth=depth,
        )
        return Claimed(run, graph, info, completed, resumed, first_start)


def _execute(svc: Services, claimed: Claimed, cancelled: threading.Event) -> Outcome:
    run, document = claimed.run, claimed.graph.document
    assert run.started_at is not None
    elapsed = (utcnow() - run.started_at).total_seconds()
    timeout = (document.get("settings") or {}).get("timeout_s") or svc.config.run_timeout
    host = WorkerHost(svc, claimed.info)
    redactor = Redactor()
    recorder = DbRecorder(svc, run.id, run.workflow_id, cancelled, redactor)
    pulse_for(svc).publish_for(run.id, recorder)
    executor = Executor(
        claimed.graph, claimed.info, host, recorder, redactor=redactor,
        trigger_payload=run.trigger_payload, completed=claimed.completed, pinned=run.pinned,
        deadline=time.monotonic() + max(float(timeout) - elapsed, 0.001),
    )
    if claimed.first_start:
        recorder.announce("run.started", summary(run))
    outcome = executor.execute(run.trigger_node or "")
    finish.finish_run(svc, run, outcome, document, host.responded,
                      claimed.resumed or recorder.largest_payload > svc.config.step_payload_limit,
                      recorder)
    return outcome


def _completed_steps(svc: Services, session: Any, run: Run) -> dict[str, Any]:
    """Outputs of the nodes this run already finished (resume after Wait, crash or retry).

    A step waiting in a Wait node is due now: it completes with its input as output.
    """
    completed: dict[str, Any] = {}
    steps = session.scalars(
        select(Step).where(Step.run_id == run.id, Step.iteration.is_(None)).order_by(Step.id)
    )
    for step in steps:
        if step.status == StepStatus.WAITING:
            step.status = StepStatus.SUCCEEDED
            step.output = {"main": (step.input or {}).get("main", [])}
            step.output_counts = counts(step.output)
            step.finished_at = utcnow()
            svc.events.step_event("step.finished", step_summary(step), run.id)
        if step.status == StepStatus.SUCCEEDED and step.output is not None:
            completed[step.node_id] = step.output
    return completed


class WorkerHost:
    """Implements `server.engine.executor.Services` for runs executed by a worker."""

    def __init__(self, svc: Services, info: RunInfo) -> None:
        self.svc = svc
        self.info = info
        self.responded = False

    @property
    def http(self) -> httpx.Client:
        return self.svc.http

    def credential(self, name: str) -> dict[str, Any] | None:
        from server.credentials import load_by_name

        return load_by_name(self.svc, name)

    def respond(self, run_id: int, status: int, body: Any, headers: Mapping[str, str]) -> None:
        if self.responded:
            return  # only the first response reaches the caller, as HTTP allows
        key = keys.run_response(run_id)
        message = {"status": status, "body": body, "headers": dict(headers)}
        self.svc.redis.rpush(key, json.dumps(message, default=str))
        self.svc.redis.expire(key, self.svc.config.webhook_response_timeout + 30)
        self.responded = True

    def service(self, name: str, run: RunInfo, node_id: str) -> Any:
        from server.runs.host_services import provide

        return provide(self.svc, name, run, node_id)

    def run_workflow(self, run: RunInfo, ref: int | str, items: Items, wait: bool) -> Items:
        if run.depth + 1 > MAX_DEPTH:
            raise NodeError(f"Sub-workflows are nested more than {MAX_DEPTH} deep.")
        with self.svc.db.session() as session:
            workflow = _find_workflow(session, ref)
            version_id = workflow.active_version_id or workflow.current_version_id
            if version_id is None:
                raise NodeError(f"Workflow {workflow.name!r} has no saved version.")
            child = create_run(session, workflow.id, version_id, kind="subworkflow",
                               payload=items, parent_run_id=run.id, parent_relation="subworkflow")
            session.commit()
            child_id = child.id
            graph = versions.graph(session, version_id)
            if not wait:
                enqueue(self.svc, child)
                return [{"run_id": child_id, "workflow_id": workflow.id}]
        outcome = run_claimed(self.svc, child_id, run.depth + 1)
        if outcome is None or outcome.status == "waiting":
            raise NodeError(f"Sub-workflow run {child_id} did not finish inline (it waits); "
                            "run it without waiting for it instead.", {"run_id": child_id})
        if outcome.status != "succeeded":
            message = (outcome.error or {}).get("message", outcome.status)
            raise NodeError(f"Sub-workflow {workflow.name!r} {outcome.status}: {message}",
                            {"run_id": child_id})
        return [item for node_id in graph.sinks(outcome.results)
                for item in outcome.results[node_id].get("main", [])]


def _find_workflow(session: Any, ref: int | str) -> Workflow:
    workflow = None
    if isinstance(ref, int) or (isinstance(ref, str) and ref.isdigit()):
        workflow = session.get(Workflow, int(ref))
    if workflow is None:
        workflow = session.scalars(select(Workflow).where(Workflow.name == str(ref))).first()
    if workflow is None:
        raise NodeError(f"There is no workflow {ref!r}.")
    return workflow

