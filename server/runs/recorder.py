"""Writes a run's steps to the database as they finish, and tells the browsers live."""

from __future__ import annotations

import json
from typing import Any

from nodes.registry import Items
from server import keys
from server.db import Step
from server.db.models import utcnow
from server.engine.executor import StepRecord
from server.engine.graph import NodeDef
from server.services import Services


def counts(ports: dict[str, Items] | None) -> dict[str, int]:
    return {port: len(items) for port, items in (ports or {}).items()}


def payload_size(*payloads: Any) -> int:
    return sum(len(json.dumps(p, default=str)) for p in payloads if p is not None)


class DbRecorder:
    """Implements `server.engine.executor.Recorder` for a worker."""

    def __init__(self, services: Services, run_id: int, workflow_id: int) -> None:
        self.services = services
        self.run_id = run_id
        self.workflow_id = workflow_id
        self._cancel_key = keys.run_cancel(run_id)

    def step_started(self, node: NodeDef, iteration: int | None, attempt: int) -> None:
        self.services.events.step_event(
            "step.started",
            {"run_id": self.run_id, "node_id": node.id, "iteration": iteration,
             "attempt": attempt, "status": "running"},
            self.run_id,
        )

    def step_finished(self, record: StepRecord) -> None:
        step = Step(
            run_id=self.run_id,
            node_id=record.node.id,
            node_name=record.node.name,
            node_type=record.node.type,
            iteration=record.iteration,
            attempt=record.attempt,
            status=record.status,
            input=record.input,
            output=record.output,
            input_counts=counts(record.input),
            output_counts=counts(record.output),
            params=record.params,
            error=record.error,
            payload_bytes=payload_size(record.input, record.output),
            origin=record.origin,
            started_at=record.started_at.replace(tzinfo=None),
            finished_at=record.finished_at.replace(tzinfo=None),
        )
        with self.services.db.session() as session:
            session.add(step)
            session.commit()
        self.services.events.step_event("step.finished", step_summary(step), self.run_id)

    def cancel_requested(self) -> bool:
        return bool(self.services.redis.exists(self._cancel_key))


def step_summary(step: Step) -> dict[str, Any]:
    """A step without its payloads: what live events and timelines show."""
    finished = step.finished_at or utcnow()
    return {
        "id": step.id,
        "run_id": step.run_id,
        "node_id": step.node_id,
        "node_name": step.node_name,
        "node_type": step.node_type,
        "iteration": step.iteration,
        "attempt": step.attempt,
        "status": step.status,
        "input_counts": step.input_counts or {},
        "output_counts": step.output_counts or {},
        "error": (step.error or {}).get("message"),
        "origin": step.origin,
        "truncated": step.truncated,
        "started_at": step.started_at.isoformat() + "Z" if step.started_at else None,
        "finished_at": step.finished_at.isoformat() + "Z" if step.finished_at else None,
        "duration_ms": int((finished - step.started_at).total_seconds() * 1000)
        if step.started_at else None,
    }
