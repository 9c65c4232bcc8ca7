"""Reading runs back: filtered lists with cursor pagination, and one run with its steps."""

from __future__ import annotations

import base64
import binascii
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from sqlalchemy import Text, cast, func, literal_column, select
from sqlalchemy.orm import Session

from server.db import Run, RunStatus, Step, Workflow
from server.errors import BadRequest, NotFound
from server.runs.recorder import step_summary
from server.runs.start import summary


@dataclass
class RunFilter:
    workflow_id: int | None = None
    statuses: tuple[str, ...] = ()
    trigger_kind: str | None = None
    since: datetime | None = None
    until: datetime | None = None
    text: str | None = None


def encode_cursor(run_id: int) -> str:
    return base64.urlsafe_b64encode(f"r{run_id}".encode()).decode().rstrip("=")


def decode_cursor(cursor: str) -> int:
    try:
        raw = base64.urlsafe_b64decode(cursor + "=" * (-len(cursor) % 4)).decode()
        if not raw.startswith("r"):
            raise ValueError
        return int(raw[1:])
    except (ValueError, binascii.Error, UnicodeDecodeError):
        raise BadRequest("The cursor is not one this API gave out.") from None


def list_runs(session: Session, filters: RunFilter, limit: int = 50,
              cursor: str | None = None) -> dict[str, Any]:
    """Newest first; `next_cursor` continues after the last one returned."""
    query = _filtered(select(Run, Workflow.name).join(Workflow, Workflow.id == Run.workflow_id),
                      filters)
    if cursor:
        query = query.where(Run.id < decode_cursor(cursor))
    rows = session.execute(query.order_by(Run.id.desc()).limit(limit + 1)).all()
    runs = [{**summary(run), "workflow_name": name} for run, name in rows[:limit]]
    for entry, (run, _) in zip(runs, rows, strict=False):
        entry["duration_ms"] = _duration(run)
    more = len(rows) > limit
    return {"runs": runs, "next_cursor": encode_cursor(rows[limit - 1][0].id) if more else None}


def count_by_status(session: Session, filters: RunFilter) -> dict[str, int]:
    """How many runs of each status match the filters (the status filter aside)."""
    filters = RunFilter(**{**filters.__dict__, "statuses": ()})
    query = _filtered(select(Run.status, func.count()).select_from(Run), filters)
    found = dict(session.execute(query.group_by(Run.status)).all())
    return {status.value: int(found.get(status.value, 0)) for status in RunStatus}


def _filtered(query: Any, filters: RunFilter) -> Any:
    if filters.workflow_id is not None:
        query = query.where(Run.workflow_id == filters.workflow_id)
    if filters.statuses:
        unknown = set(filters.statuses) - {s.value for s in RunStatus}
        if unknown:
            raise BadRequest(f"Unknown status {sorted(unknown)[0]!r}; use one of "
                             f"{', '.join(s.value for s in RunStatus)}.")
        query = query.where(Run.status.in_(filters.statuses))
    if filters.trigger_kind:
        query = query.where(Run.trigger_kind == filters.trigger_kind)
    if filters.since:
        query = query.where(Run.created_at >= filters.since)
    if filters.until:
        query = query.where(Run.created_at < filters.until)
    if filters.text:
        query = query.where(searched_text().ilike(f"%{_escape_like(filters.text)}%", escape="\\"))
    return query


def searched_text() -> Any:
    """The error and the trigger payload as one text: on PostgreSQL the trigram index of
    migration 0008 covers exactly this expression, so keep the two in step."""
    # Constants, not bound parameters: an index on an expression only serves the same one.
    empty, space = literal_column("''", Text), literal_column("' '", Text)
    return (func.coalesce(cast(Run.error, Text), empty).op("||")(space)
            .op("||")(func.coalesce(cast(Run.trigger_payload, Text), empty)))


def _escape_like(text: str) -> str:
    """A person searching for "100%" or "first_name" means those characters."""
    return text.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_")


def _duration(run: Run) -> int | None:
    if run.started_at is None or run.finished_at is None:
        return None
    return int((run.finished_at - run.started_at).total_seconds() * 1000)


def get_run(session: Session, run_id: int) -> Run:
    run = session.get(Run, run_id)
    if run is None:
        raise NotFound(f"There is no run {run_id}.")
    return run


def run_detail(session: Session, run: Run, with_document: bool = True) -> dict[str, Any]:
    steps = session.scalars(select(Step).where(Step.run_id == run.id).order_by(Step.id))
    children = session.scalars(select(Run).where(Run.parent_run_id == run.id)
                               .order_by(Run.id))
    parent = session.get(Run, run.parent_run_id) if run.parent_run_id else None
    latest = run.workflow.current_version
    detail = {
        **summary(run),
        "workflow_name": run.workflow.name,
        "version": run.version.number,
        # A retry can run on the workflow's latest version: the UI names it.
        "latest_version": latest.number if latest else None,
        "duration_ms": _duration(run),
        "trigger_node": run.trigger_node,
        "trigger_payload": run.trigger_payload,
        "error": run.error,
        "claims": run.claims,
        "wait_until": run.wait_until.isoformat() + "Z" if run.wait_until else None,
        "parent_relation": run.parent_relation,
        "parent": {**summary(parent), "workflow_name": parent.workflow.name}
        if parent else None,
        "children": [{**summary(child), "relation": child.parent_relation,
                      "workflow_name": child.workflow.name} for child in children],
        "steps": [{**step_summary(step), "input": step.input, "output": step.output,
                   "params": step.params, "error": step.error} for step in steps],
    }
    if with_document:
        detail["document"] = run.version.document
    return detail
