"""The pipeline dashboard: computed from the rows of an opportunities table (the preset
"Opportunities" data table, kept in sync with HighLevel), and published snapshots of it.

`forecast_by_month` groups open deals by their expected close month (`close_date`; "unknown"
when empty, which sorts last), with their value and probability-weighted value.

Rows use the preset table's columns: stage, value, owner_id, pipeline_id, status,
close_date, last_modified, forecast (a probability in percent; 50 when empty).
"""

from __future__ import annotations

import secrets
from collections.abc import Iterable, Mapping
from datetime import timedelta
from typing import Any

from server.db import PublishedDashboard
from server.db.models import utcnow
from server.engine.filters import to_datetime, to_number

DEFAULT_PROBABILITY = 50.0


def compute(rows: Iterable[Mapping[str, Any]], pipeline: str | None = None,
            owner: str | None = None) -> dict[str, Any]:
    """Funnel by stage, open value by owner, won and lost per month, forecast and totals.

    `choices` lists every pipeline and owner in the rows (before filtering), so a page can
    offer them as filters."""
    stages: dict[str, dict[str, Any]] = {}
    owners: dict[str, dict[str, Any]] = {}
    months: dict[str, dict[str, Any]] = {}
    ahead: dict[str, dict[str, Any]] = {}
    pipelines: set[str] = set()
    people: set[str] = set()
    totals = {"count": 0, "open_count": 0, "open_value": 0.0, "won_count": 0, "won_value": 0.0,
              "lost_count": 0, "lost_value": 0.0, "weighted_forecast": 0.0}
    for row in rows:
        pipelines.add(str(row.get("pipeline_id") or ""))
        people.add(str(row.get("owner_id") or ""))
        if pipeline and str(row.get("pipeline_id") or "") != pipeline:
            continue
        if owner and str(row.get("owner_id") or "") != owner:
            continue
        value = _number(row.get("value"))
        status = str(row.get("status") or "open").lower()
        totals["count"] += 1
        if status in ("won", "lost"):
            month = _month(row.get("close_date") or row.get("last_modified"))
            bucket = months.setdefault(month, {"month": month, "won_count": 0, "won_value": 0.0,
                                               "lost_count": 0, "lost_value": 0.0})
            for target in (bucket, totals):
                target[f"{status}_count"] += 1
                target[f"{status}_value"] += value
            if status == "won":
                totals["weighted_forecast"] += value
            continue
        if status != "open":
            continue  # abandoned deals leave the pipeline
        stage = str(row.get("stage") or "(no stage)")
        funnel = stages.setdefault(stage, {"stage": stage, "count": 0, "value": 0.0,
                                           "weighted": 0.0})
        person = str(row.get("owner_id") or "(unassigned)")
        by_owner = owners.setdefault(person, {"owner": person, "count": 0, "value": 0.0})
        probability = _number(row.get("forecast"), DEFAULT_PROBABILITY)
        funnel["count"] += 1
        funnel["value"] += value
        funnel["weighted"] += value * probability / 100
        by_owner["count"] += 1
        by_owner["value"] += value
        month = _month(row.get("close_date"))
        expected = ahead.setdefault(month, {"month": month, "count": 0, "value": 0.0,
                                            "weighted": 0.0})
        expected["count"] += 1
        expected["value"] += value
        expected["weighted"] += value * probability / 100
        totals["open_count"] += 1
        totals["open_value"] += value
        totals["weighted_forecast"] += value * probability / 100
    return {
        "filters": {"pipeline": pipeline, "owner": owner},
        "totals": _rounded(totals),
        "funnel": [_rounded(s) for s in stages.values()],
        "by_owner": sorted((_rounded(o) for o in owners.values()), key=lambda o: -o["value"]),
        "won_lost": [_rounded(months[m]) for m in sorted(months)],
        "forecast_by_month": [_rounded(ahead[m]) for m in sorted(ahead)],
        "choices": {"pipelines": sorted(pipelines - {""}), "owners": sorted(people - {""})},
        "generated_at": utcnow().isoformat() + "Z",
    }


def table_rows(svc: Any, table: str) -> list[dict[str, Any]]:
    """The rows of a data table, by name (the data tables module provides them)."""
    try:
        from server.tables import store
    except ImportError:
        from server.errors import NotFound

        raise NotFound("Data tables are not available in this installation.") from None
    return store.rows_for_dashboard(svc, table)


def with_names(svc: Any, snapshot: dict[str, Any]) -> dict[str, Any]:
    """The snapshot with `names` (owners' and pipelines' names for the ids it shows) and its
    funnel in stage order, both as the HighLevel connections know them."""
    from server import dashboard_names

    choices = snapshot.get("choices") or {}
    filters = snapshot["filters"]
    owners = [*(o["owner"] for o in snapshot["by_owner"]), *choices.get("owners", []),
              filters.get("owner") or ""]
    pipelines = [*choices.get("pipelines", []), filters.get("pipeline") or ""]
    names = dashboard_names.lookup(svc, owners, pipelines)
    order = names.pop("stage_order")
    # The funnel in the pipelines' stage order; stages HighLevel does not list stay last,
    # in the order they first appear.
    funnel = sorted(snapshot["funnel"], key=lambda s: order.get(s["stage"], len(order)))
    return {**snapshot, "funnel": funnel, "names": names}


def publish(session: Any, title: str, snapshot: dict[str, Any], run_id: int | None = None,
            expires_days: int | None = None) -> PublishedDashboard:
    """Store a snapshot behind a new unguessable token (the link is read-only)."""
    published = PublishedDashboard(
        token=secrets.token_urlsafe(24), title=title[:300], snapshot=snapshot, run_id=run_id,
        expires_at=utcnow() + timedelta(days=expires_days) if expires_days else None)
    session.add(published)
    session.flush()
    return published


def publish_table(svc: Any, session: Any, table: str, title: str | None = None,
                  pipeline: str | None = None, owner: str | None = None,
                  expires_days: int | None = None,
                  run_id: int | None = None) -> PublishedDashboard:
    """Snapshot the dashboard of a table now and publish it (the caller commits)."""
    snapshot = compute(table_rows(svc, table), pipeline or None, owner or None)
    snapshot.pop("choices")  # a link for one owner must not list the other owners
    snapshot = with_names(svc, snapshot)
    return publish(session, title or "Pipeline", snapshot, run_id=run_id,
                   expires_days=expires_days)


def describe(published: PublishedDashboard, base_url: str) -> dict[str, Any]:
    return {
        "id": published.id, "title": published.title,
        "url": f"{base_url}/d/{published.token}",
        "created_at": published.created_at.isoformat() + "Z",
        "expires_at": published.expires_at.isoformat() + "Z" if published.expires_at else None,
        "run_id": published.run_id,
    }


class DashboardLinks:
    """`ctx.service("dashboards")`: the "Publish dashboard" node publishes through it."""

    def __init__(self, svc: Any, run_id: int | None) -> None:
        self.svc, self.run_id = svc, run_id

    def publish(self, table: str, title: str | None = None, pipeline: str | None = None,
                owner: str | None = None, expires_days: int | None = None) -> dict[str, Any]:
        from nodes.registry import NodeError
        from server.errors import FlowlaneError

        with self.svc.db.session() as session:
            try:
                published = publish_table(self.svc, session, table, title, pipeline, owner,
                                          expires_days, self.run_id or None)
            except FlowlaneError as err:
                raise NodeError(err.detail) from None
            session.commit()
            return {**describe(published, self.svc.config.base_url),
                    "totals": published.snapshot.get("totals")}


def _register() -> None:
    from server.runs import host_services

    host_services.register("dashboards",
                           lambda svc, run, node_id: DashboardLinks(svc, run.id))


_register()


def _number(value: Any, default: float = 0.0) -> float:
    if value in (None, ""):
        return default
    try:
        return float(to_number(value))
    except ValueError:
        return default


def _month(value: Any) -> str:
    try:
        return to_datetime(value).strftime("%Y-%m") if value not in (None, "") else "unknown"
    except ValueError:
        return "unknown"


def _rounded(values: dict[str, Any]) -> dict[str, Any]:
    return {k: round(v, 2) if isinstance(v, float) else v for k, v in values.items()}
