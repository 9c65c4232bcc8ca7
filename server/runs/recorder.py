"""Writes a run's steps to the database as they finish, and tells the browsers live.

Finished steps wait in memory for a moment and are written together: by the worker's pulse
once they are EVENT_DELAY old, or with the run's final status in one transaction. A quick
run thus costs one insert for all its steps. A worker that dies loses at most the last
moment's steps; the run is resumed from the steps written, so those nodes run again, as a
node interrupted by the crash would.
"""

from __future__ import annotations

import threading
import time
from typing import Any

from sqlalchemy import insert
from sqlalchemy.orm import Session

from nodes.registry import Items
from server.db import Step
from server.db.models import utcnow
from server.engine.executor import StepRecord
from server.engine.graph import NodeDef
from server.engine.redact import Redactor
from server.realtime import ALL_RUNS_ROOM, run_room, workflow_room
from server.services import Services

#: Longest a live event waits to be published with others (seconds).
EVENT_DELAY = 0.1


#: On the table, not the mapped class: the ORM's bulk path costs more than the insert.
STEPS_INSERT = insert(Step.__table__).returning(Step.__table__.c.id, sort_by_parameter_order=True)


def counts(ports: dict[str, Items] | None) -> dict[str, int]:
    return {port: len(items) for port, items in (ports or {}).items()}


class DbRecorder:
    """Implements `server.engine.executor.Recorder` for a worker."""

    def __init__(self, services: Services, run_id: int, workflow_id: int,
                 cancelled: threading.Event, redactor: Redactor) -> None:
        self.services = services
        self.redactor = redactor
        self.run_id = run_id
        self.workflow_id = workflow_id
        self._cancelled = cancelled
        # Events wait here briefly and leave together: at the run's end, or when the worker's
        # pulse finds them older than EVENT_DELAY (a long step's "running" still shows
        # promptly), so a quick run costs one Redis round trip for all its events.
        self._pending: list[tuple[str, dict[str, Any], tuple[str, ...]]] = []
        self._pending_since = 0.0
        self._lock = threading.Lock()
        #: Finished steps not written yet: (row values, the error as events show it).
        self._steps: list[tuple[dict[str, Any], Any]] = []
        self._steps_since = 0.0
        self._writing = threading.Lock()
        #: Bytes of the largest step payload written; retention only looks when it is big.
        self.largest_payload = 0

    def _queue(self, event: str, data: dict[str, Any], rooms: tuple[str, ...]) -> None:
        with self._lock:
            if not self._pending:
                self._pending_since = time.monotonic()
            self._pending.append((event, data, rooms))

    def announce(self, event: str, data: dict[str, Any]) -> None:
        """Queue a run event (for the run's, the workflow's and the all-runs rooms)."""
        self._queue(event, data,
                    (run_room(self.run_id), workflow_room(self.workflow_id), ALL_RUNS_ROOM))

    def flush(self, older_than: float = 0.0) -> None:
        """Write waiting steps and publish waiting events (only those `older_than` seconds)."""
        with self._lock:
            steps_due = self._steps and time.monotonic() - self._steps_since >= older_than
        if steps_due:
            self.write_steps()
        with self._lock:
            if not self._pending or time.monotonic() - self._pending_since < older_than:
                return
            pending, self._pending = self._pending, []
        self.services.events.emit_many(superseded_dropped(pending))

    def step_started(self, node: NodeDef, iteration: int | None, attempt: int) -> None:
        self._queue("step.started",
                    {"run_id": self.run_id, "node_id": node.id, "iteration": iteration,
                     "attempt": attempt, "status": "running"},
                    (run_room(self.run_id),))

    def step_finished(self, record: StepRecord) -> None:
        clean = self.redactor
        stored_input, stored_output = clean.dumps(record.input), clean.dumps(record.output)
        values = dict(
            run_id=self.run_id,
            node_id=record.node.id,
            node_name=record.node.name,
            node_type=record.node.type,
            iteration=record.iteration,
            attempt=record.attempt,
            status=record.status,
            input=stored_input,
            output=stored_output,
            input_counts=counts(record.input),
            output_counts=counts(record.output),
            params=clean.dumps(record.params),
            error=clean.dumps(record.error),
            payload_bytes=len(stored_input or "") + len(stored_output or ""),
            origin=record.origin,
            started_at=record.started_at.replace(tzinfo=None),
            finished_at=record.finished_at.replace(tzinfo=None),
            truncated=False,
        )
        self.largest_payload = max(self.largest_payload, values["payload_bytes"])
        with self._lock:
            if not self._steps:
                self._steps_since = time.monotonic()
            self._steps.append((values, clean.clean(record.error)))

    def write_steps(self, session: Session | None = None) -> None:
        """Insert the finished steps waiting in memory, in `session`'s transaction if given
        (the caller commits), else in one of their own."""
        with self._writing:
            with self._lock:
                rows, self._steps = self._steps, []
            if not rows:
                return
            # Every row in one insert, ids back in order: no unit of work.
            values = [row for row, _ in rows]
            if session is not None:
                ids = session.execute(STEPS_INSERT, values).scalars().all()
            else:
                with self.services.db.engine.begin() as connection:
                    ids = connection.execute(STEPS_INSERT, values).scalars().all()
        for (row, error), step_id in zip(rows, ids, strict=True):
            self._queue("step.finished", step_summary({**row, "id": step_id, "error": error}),
                        (run_room(self.run_id),))

    def cancel_requested(self) -> bool:
        return self._cancelled.is_set()


def superseded_dropped(events: list[tuple[str, dict[str, Any], tuple[str, ...]]]
                       ) -> list[tuple[str, dict[str, Any], tuple[str, ...]]]:
    """The events without each "step.started" whose "step.finished" leaves with it: a
    browser shows the step's end either way, and a quick run sends half the messages."""
    def step(data: dict[str, Any]) -> tuple[Any, ...]:
        return data["node_id"], data.get("iteration"), data.get("attempt")

    finished = {step(data) for event, data, _ in events if event == "step.finished"}
    return [(event, data, rooms) for event, data, rooms in events
            if event != "step.started" or step(data) not in finished]


def step_summary(step: Step | dict[str, Any]) -> dict[str, Any]:
    """A step without its payloads: what live events and timelines show."""
    field = step.get if isinstance(step, dict) else lambda name: getattr(step, name)
    started, finished = field("started_at"), field("finished_at")
    return {
        "id": field("id"),
        "run_id": field("run_id"),
        "node_id": field("node_id"),
        "node_name": field("node_name"),
        "node_type": field("node_type"),
        "iteration": field("iteration"),
        "attempt": field("attempt"),
        "status": field("status"),
        "input_counts": field("input_counts") or {},
        "output_counts": field("output_counts") or {},
        "error": (field("error") or {}).get("message"),
        "origin": field("origin"),
        "truncated": field("truncated"),
        "started_at": started.isoformat() + "Z" if started else None,
        "finished_at": finished.isoformat() + "Z" if finished else None,
        "duration_ms": int(((finished or utcnow()) - started).total_seconds() * 1000)
        if started else None,
    }
