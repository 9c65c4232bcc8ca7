"""/api/health: is the database reachable, is Redis, how many workers listen."""

from __future__ import annotations

from typing import Any

from flask import Blueprint
from rq import Worker
from sqlalchemy import text

from server.api.base import db, doc, services
from server.auth.permissions import public

bp = Blueprint("health", __name__, url_prefix="/api")


@bp.get("/health")
@public
@doc("Health of the database, Redis and the workers", tag="health",
     responses={200: "Healthy", 503: "A dependency is down"})
def health() -> tuple[dict[str, Any], int]:
    report: dict[str, Any] = {"status": "ok"}
    try:
        db().execute(text("SELECT 1"))
        report["database"] = "ok"
    except Exception as err:  # reported, not raised: health must answer
        report["database"] = f"down: {type(err).__name__}"
        report["status"] = "degraded"
    try:
        services().redis.ping()
        report["redis"] = "ok"
        report["workers"] = len(Worker.all(queue=services().queue))
    except Exception as err:
        report["redis"] = f"down: {type(err).__name__}"
        report["status"] = "degraded"
    return report, 200 if report["status"] == "ok" else 503
