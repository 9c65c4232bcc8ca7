"""Pipelines with their stages, and lost reasons (the read-only parts of opportunities.json)."""

from __future__ import annotations

from typing import Any

from sandbox.api import Call, Operations
from sandbox.views import pipeline as view

ops = Operations("pipelines")


@ops.route("GET", "/opportunities/pipelines")
def get_pipelines(call: Call) -> dict[str, Any]:
    location = call.location(call.query["locationId"])
    pipelines = call.crm.in_location(call.crm.pipelines, location["id"])
    return {"pipelines": [view(p) for p in pipelines]}


@ops.route("GET", "/opportunities/lost-reason")
def get_lost_reasons(call: Call) -> dict[str, Any]:
    query = call.query
    location = call.location(query["locationId"])
    reasons = call.crm.in_location(call.crm.lost_reasons, location["id"])
    text = str(query.get("name") or query.get("query") or "").lower()
    if text:
        reasons = [r for r in reasons if text in r["name"].lower()]
    skip, limit = int(query.get("skip", 0)), int(query.get("limit", 100))
    return {"lostReasons": [dict(r) for r in reasons[skip:skip + limit]], "total": len(reasons)}
