"""Polling trigger "Opportunity changed", for locations that cannot send webhooks.

Every interval the scheduler (server/scheduler.py calls `poll_due`) searches the location's
opportunities by update time, oldest change first, from a cursor kept in `NodeState`. The
changes found start one run (one item per opportunity), and the cursor moves in the same
transaction that creates the run: a crash before the commit polls the same changes again, a
crash after it has the run. Neither misses nor repeats a change across restarts.

The search asks a little before the cursor (`LAG_MS`), for changes HighLevel indexes late
with an earlier time; what was already sent is recognised by (id, updatedAt) and skipped.
At most `MAX_PAGES` pages are read per poll; the cursor stops at the last change sent, and
the next poll goes on from there.
"""

from __future__ import annotations

import logging
import time
from datetime import UTC, datetime, timedelta
from typing import Any

from nodes.ghl.auth import FAMILY
from nodes.ghl.openapi import find
from nodes.ghl.settings import settings
from nodes.ghl.triggers.instant import FILTER_PARAMS, STATUSES
from nodes.registry import Items, Outputs, Params, RunContext, node

log = logging.getLogger("flowlane.ghl.poll")

POLL_TYPE = "ghl.trigger.opportunity_changed"
CURSOR = "cursor"
LAG_MS = 2_000
PAGE = 100
MAX_PAGES = 10
#: Seconds of polling per scheduler tick; the rest waits for the next tick, so the
#: scheduler keeps renewing its leadership.
TICK_BUDGET_S = 5.0
SEARCH_FILTERS = {"pipeline_id": "pipeline_id", "pipeline_stage_id": "pipeline_stage_id",
                  "assigned_to": "assigned_to", "status": "status"}


def interval_of(params: dict[str, Any]) -> int:
    try:
        value = int(params.get("interval_s") or settings().poll_interval_s)
    except (TypeError, ValueError):
        value = int(settings().poll_interval_s)
    return max(5, value)


@node(
    type=POLL_TYPE, title="On opportunity changed (polling)", group="HighLevel · Triggers",
    description="Checks for created or updated opportunities every interval: for locations "
                "without webhooks. One run per poll that found changes, one item each.",
    trigger="ghl_poll", credential=FAMILY, icon="highlevel",
    meta={"scopes": ["opportunities.readonly"], "operation": None},
    params={"type": "object", "properties": {
        "interval_s": {"type": "integer", "title": "Every (seconds)", "minimum": 5,
                       "default": 60},
        "pipeline_id": FILTER_PARAMS["pipeline_id"],
        "pipeline_stage_id": FILTER_PARAMS["pipeline_stage_id"],
        "assigned_to": FILTER_PARAMS["assigned_to"],
        "status": {**FILTER_PARAMS["status"], "enum": STATUSES},
        "emit_existing": {"type": "boolean", "title": "Start with existing opportunities",
                          "default": False, "description": "The first poll sends every "
                          "opportunity; off: only changes after activation."},
    }},
)
def run(ctx: RunContext, items: Items, params: Params) -> Outputs:
    """The changed opportunities the poll found, one item each."""
    payload = ctx.trigger_payload if isinstance(ctx.trigger_payload, dict) else {}
    return {"main": [dict(o) for o in payload.get("opportunities") or []]}


def poll_due(svc: Any, now: datetime | None = None) -> list[int]:
    """Poll every trigger that is due; returns the runs started. The scheduler's tick."""
    from sqlalchemy import select

    from server.db import GhlPoll
    from server.db.models import utcnow

    now = now or utcnow()
    deadline = time.monotonic() + TICK_BUDGET_S
    started: list[int] = []
    with svc.db.session() as session:
        due = session.scalars(select(GhlPoll).where(GhlPoll.next_poll_at <= now)
                              .order_by(GhlPoll.next_poll_at)).all()
        plan = [(p.id, p.workflow_id, p.node_id, p.credential, p.interval_s) for p in due]
    for poll_id, workflow_id, node_id, credential, interval in plan:
        if time.monotonic() > deadline:
            break
        error = None
        try:
            run_id = poll_once(svc, workflow_id, node_id, credential)
            if run_id is not None:
                started.append(run_id)
        except Exception as err:  # one broken connection must not stop the other polls
            log.warning("polling %s/%s failed: %s", workflow_id, node_id, err)
            error = str(err)[:2000]
        with svc.db.session() as session:
            poll = session.get(GhlPoll, poll_id)
            if poll is not None:
                poll.last_polled_at = now
                poll.next_poll_at = utcnow() + timedelta(seconds=interval)
                poll.last_error = error
                session.commit()
    return started


def poll_once(svc: Any, workflow_id: int, node_id: str, credential: str) -> int | None:
    """One poll of one trigger: the run it started, or None when nothing changed."""
    from nodes.ghl.host import host_for
    from server import state
    from server.db import Workflow
    from server.runs.start import create_run, enqueue
    from server.workflows import versions

    host = host_for(svc)
    with svc.db.session() as session:
        workflow = session.get(Workflow, workflow_id)
        if workflow is None or not workflow.active or workflow.active_version_id is None:
            return None
        version_id = workflow.active_version_id
        params = versions.graph(session, version_id).nodes[node_id].params
        cursor = state.read(session, workflow_id, node_id, CURSOR)
    connection = host.connection(credential)
    client = host.client(connection)
    base = {"location_id": connection.location_id, "limit": PAGE, "order": "updated_asc"}
    base.update({target: params[name] for name, target in SEARCH_FILTERS.items()
                 if params.get(name)})
    operation = find("GET", "/opportunities/search")
    assert operation is not None
    if cursor is None and not params.get("emit_existing"):
        cursor = _start(client, operation, base)
        changes: list[dict[str, Any]] = []
    else:
        changes, cursor = _changes(client, operation, base, cursor or {"after": 0, "seen": {}})
    with svc.db.session() as session:
        run = None
        if changes:
            run = create_run(session, workflow_id, version_id, kind="ghl_poll",
                             trigger_node=node_id, payload={
                                 "opportunities": changes,
                                 "polled_at": datetime.now(UTC).isoformat()})
        state.write(session, workflow_id, node_id, CURSOR, cursor)
        session.commit()
        if run is None:
            return None
        enqueue(svc, run)
        return int(run.id)


def _start(client: Any, operation: Any, base: dict[str, Any]) -> dict[str, Any]:
    """The cursor at the newest change: "only changes after activation"."""
    body = client.call(operation, query={**base, "order": "updated_desc", "limit": 1}).body
    rows = body.get("opportunities") or []
    if not rows:
        return {"after": int(time.time() * 1000) - LAG_MS, "seen": {}}
    newest = _updated_ms(rows[0])
    return {"after": newest, "seen": {rows[0]["id"]: newest}}


def _changes(client: Any, operation: Any, base: dict[str, Any],
             cursor: dict[str, Any]) -> tuple[list[dict[str, Any]], dict[str, Any]]:
    after = int(cursor.get("after") or 0)
    seen = {str(k): int(v) for k, v in (cursor.get("seen") or {}).items()}
    query = {**base, "startAfter": max(0, after - LAG_MS - 1)} if after else dict(base)
    changes: list[dict[str, Any]] = []
    for _ in range(MAX_PAGES):
        body = client.call(operation, query=query).body
        rows = body.get("opportunities") or []
        for row in rows:
            updated = _updated_ms(row)
            if seen.get(row["id"]) == updated:
                continue  # sent by an earlier poll (the lag window overlaps)
            changes.append(row)
            seen[row["id"]] = updated
            after = max(after, updated)
        meta = body.get("meta") or {}
        if not rows or not meta.get("startAfterId"):
            break
        query = {**base, "startAfter": meta.get("startAfter"),
                 "startAfterId": meta["startAfterId"]}
    horizon = after - LAG_MS
    return changes, {"after": after, "seen": {k: v for k, v in seen.items() if v >= horizon}}


def _updated_ms(row: dict[str, Any]) -> int:
    text = str(row.get("updatedAt") or row.get("createdAt") or "")
    try:
        moment = datetime.fromisoformat(text.replace("Z", "+00:00"))
    except ValueError:
        return 0
    if moment.tzinfo is None:
        moment = moment.replace(tzinfo=UTC)
    return int(moment.timestamp() * 1000)
