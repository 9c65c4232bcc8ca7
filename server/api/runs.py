"""/api/runs: lists with filters and cursors, detail with steps, cancel, retry."""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any

from dateutil import parser as date_parser
from flask import Blueprint, request

from server import audit
from server.api.base import db, doc, int_arg, json_body, services
from server.auth.permissions import Permission, requires
from server.db.models import MAX_ID
from server.errors import BadRequest
from server.runs import actions, queries

bp = Blueprint("runs", __name__, url_prefix="/api/runs")

RETRY_BODY = {
    "type": "object",
    "properties": {
        "from": {"enum": ["start", "failed"], "default": "start"},
        "version": {"enum": ["original", "latest"], "default": "original"},
    },
}


def _date_arg(name: str) -> datetime | None:
    raw = request.args.get(name)
    if not raw:
        return None
    try:
        moment = date_parser.isoparse(raw)
    except ValueError:
        raise BadRequest(f"{name} must be an ISO date or date-time, not {raw!r}.") from None
    if moment.tzinfo is not None:
        moment = moment.astimezone(UTC).replace(tzinfo=None)
    return moment


FILTERS = {"workflow_id": "integer", "status": "comma-separated statuses",
           "trigger": "trigger kind", "since": "ISO date-time", "until": "ISO date-time",
           "q": "text in the error or the trigger payload"}


def _filters() -> queries.RunFilter:
    return queries.RunFilter(
        workflow_id=int_arg("workflow_id", 0, 0, MAX_ID) or None,
        statuses=tuple(s for s in request.args.get("status", "").split(",") if s),
        trigger_kind=request.args.get("trigger") or None,
        since=_date_arg("since"),
        until=_date_arg("until"),
        text=request.args.get("q") or None,
    )


@bp.get("")
@requires(Permission.READ)
@doc("Runs, newest first, with filters and a cursor", tag="runs",
     query={**FILTERS, "cursor": "from next_cursor", "limit": "1-200"})
def list_runs() -> dict[str, Any]:
    return queries.list_runs(db(), _filters(), int_arg("limit", 50, 1, 200),
                             request.args.get("cursor") or None)


@bp.get("/counts")
@requires(Permission.READ)
@doc("How many runs of each status match the filters", tag="runs", query=FILTERS)
def counts() -> dict[str, Any]:
    return {"counts": queries.count_by_status(db(), _filters())}


@bp.get("/<int:run_id>")
@requires(Permission.READ)
@doc("A run with every step, its items and errors", tag="runs",
     responses={200: "OK", 404: "Not found"})
def get(run_id: int) -> dict[str, Any]:
    return queries.run_detail(db(), queries.get_run(db(), run_id))


@bp.post("/<int:run_id>/cancel")
@requires(Permission.EDIT)
@doc("Cancel a queued, waiting or running run", tag="runs",
     responses={200: "Cancelled or cancelling", 404: "Not found", 409: "Already finished"})
def cancel(run_id: int) -> dict[str, Any]:
    run = actions.cancel(services(), db(), queries.get_run(db(), run_id))
    audit.record(db(), "cancelled", "run", run.id)
    db().commit()
    return {"id": run.id, "status": run.status, "cancel_requested": run.cancel_requested}


@bp.post("/<int:run_id>/retry")
@requires(Permission.EDIT)
@doc("Retry as a new run, from the start or the failed step", tag="runs", body=RETRY_BODY,
     responses={202: "Queued", 404: "Not found", 409: "Not finished"})
def retry(run_id: int) -> tuple[dict[str, Any], int]:
    body = json_body(RETRY_BODY, required=False)
    new_run = actions.retry(services(), db(), queries.get_run(db(), run_id),
                            body.get("from", "start"), body.get("version", "original"))
    audit.record(db(), "retried", "run", run_id, new_run=new_run.id, **body)
    db().commit()
    return {"run_id": new_run.id, "status": new_run.status, "retry_of": run_id}, 202
