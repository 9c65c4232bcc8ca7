"""The pipeline dashboard (live, for people signed in) and published snapshots, which anyone
with the unguessable link can read at /d/<token>."""

from __future__ import annotations

from typing import Any

from flask import Blueprint, render_template, request
from sqlalchemy import select

from server import audit, dashboards
from server.api.base import db, doc, json_body, services
from server.auth.permissions import Permission, requires
from server.db import PublishedDashboard
from server.db.models import utcnow
from server.errors import BadRequest, NotFound

bp = Blueprint("dashboards", __name__)

PUBLISH_BODY = {
    "type": "object",
    "required": ["table"],
    "properties": {
        "table": {"type": "string", "minLength": 1, "description": "The data table's name."},
        "title": {"type": "string", "minLength": 1, "maxLength": 300},
        "pipeline": {"type": "string"}, "owner": {"type": "string"},
        "expires_days": {"type": "integer", "minimum": 1, "maximum": 3650},
    },
}


def _describe(published: PublishedDashboard) -> dict[str, Any]:
    return dashboards.describe(published, services().config.base_url)


@bp.get("/api/dashboards/pipeline")
@requires(Permission.READ)
@doc("The pipeline dashboard computed now from a data table", tag="dashboards",
     query={"table": "a data table's name (default Opportunities)", "pipeline": "pipeline id",
            "owner": "owner id"})
def pipeline() -> dict[str, Any]:
    rows = dashboards.table_rows(services(), request.args.get("table") or "Opportunities")
    return dashboards.with_names(services(), dashboards.compute(
        rows, request.args.get("pipeline") or None, request.args.get("owner") or None))


@bp.post("/api/dashboards/publish")
@requires(Permission.EDIT)
@doc("Publish a snapshot of the dashboard behind a read-only link", tag="dashboards",
     body=PUBLISH_BODY, responses={201: "Published", 404: "No such table"})
def publish() -> tuple[dict[str, Any], int]:
    body = json_body(PUBLISH_BODY)
    published = dashboards.publish_table(services(), db(), body["table"], body.get("title"),
                                         body.get("pipeline"), body.get("owner"),
                                         body.get("expires_days"))
    audit.record(db(), "published", "dashboard", published.id, title=published.title)
    db().commit()
    return _describe(published), 201


@bp.get("/api/dashboards/published")
@requires(Permission.READ)
@doc("Published dashboard links", tag="dashboards")
def published_list() -> dict[str, Any]:
    rows = db().scalars(select(PublishedDashboard).order_by(PublishedDashboard.id.desc()))
    return {"published": [_describe(p) for p in rows]}


@bp.delete("/api/dashboards/published/<int:published_id>")
@requires(Permission.EDIT)
@doc("Take a published link down", tag="dashboards", responses={204: "Gone", 404: "Not found"})
def unpublish(published_id: int) -> tuple[str, int]:
    published = db().get(PublishedDashboard, published_id)
    if published is None:
        raise NotFound(f"There is no published dashboard {published_id}.")
    audit.record(db(), "unpublished", "dashboard", published.id, title=published.title)
    db().delete(published)
    db().commit()
    return "", 204


@bp.get("/d/<token>")
def public_view(token: str) -> str:
    """Public by design: the token is the key (unguessable), and the page is read-only."""
    if len(token) > 64:
        raise BadRequest("That is not a dashboard link.")
    published = db().scalars(select(PublishedDashboard).where(
        PublishedDashboard.token == token)).first()
    if published is None or (published.expires_at and published.expires_at < utcnow()):
        raise NotFound("This dashboard link does not exist or has expired.")
    return render_template("dashboard.html", title=published.title,
                           snapshot=published.snapshot)
