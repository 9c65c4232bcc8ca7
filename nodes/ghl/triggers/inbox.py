"""POST /hooks/ghl: one public endpoint for every HighLevel event, keyed by `locationId`.

In order: parse; find the connections of the event's location; verify the signature with
HighLevel's keys (and the connections' own), refusing unsigned or badly signed events with 401
unless one of those connections accepts unsigned events; store the event (`WebhookEvent`)
with `ghl:<webhookId>` as its unique dedupe key, so a replay is dropped; add what changed;
create a run for each active workflow whose trigger wants this event and passes its filters,
at most one per workflow for one change (GHL sends OpportunityUpdate and
OpportunityStageUpdate for one stage move: the second finds the first's marker in Redis);
commit the event and its runs together; then enqueue the runs.

If the commit fails, the answer is 429: HighLevel retries only a 429 (NOTES.md §6.1), and
nothing of the event was kept, so the retry is not taken for a duplicate.
"""

from __future__ import annotations

import hashlib
import json
import logging
from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any

from sqlalchemy import select
from sqlalchemy.exc import IntegrityError, SQLAlchemyError

from nodes.ghl.auth import Connection
from nodes.ghl.host import host_for
from nodes.ghl.settings import settings
from nodes.ghl.triggers import events, filters, signatures, snapshots
from server import keys

log = logging.getLogger("flowlane.ghl.hooks")
#: Fields that differ between GHL's two events for one change; the rest names the change.
ENVELOPE = ("type", "timestamp", "webhookId")
KEPT_HEADERS = ("content-type", "user-agent", "x-ghl-signature", "x-wh-signature")


@dataclass
class Answer:
    status: int
    body: dict[str, Any]
    run_ids: list[int] = field(default_factory=list)


def receive(svc: Any, raw: bytes, headers: Mapping[str, str]) -> Answer:
    try:
        payload = json.loads(raw)
    except ValueError:
        return Answer(400, {"detail": "The body is not JSON."})
    if not isinstance(payload, dict):
        return Answer(400, {"detail": "The body must be a JSON object."})
    location = str(payload.get("locationId") or payload.get("companyId") or "")
    candidates = [c for c in host_for(svc).connections() if _serves(c, location)]
    signed_by, problem = signatures.verify(
        raw, headers, [c.data.get("webhook_public_keys") or {} for c in candidates])
    eligible = candidates if signed_by else [
        c for c in candidates if c.data.get("allow_unsigned_webhooks")]
    if signed_by is None and not eligible:
        return Answer(401, {"detail": f"Rejected: {problem}."})
    event = events.of_payload(payload)
    webhook_id = str(payload.get("webhookId") or hashlib.sha256(raw).hexdigest())
    markers: list[str] = []
    try:
        answer, created = _store_and_fan_out(svc, payload, event, location, webhook_id,
                                             signed_by, headers, eligible, markers)
    except (SQLAlchemyError, RuntimeError, ValueError, LookupError):
        log.exception("could not store the %s event %s", payload.get("type"), webhook_id)
        if markers:
            svc.redis.delete(*markers)
        return Answer(429, {"detail": "The event could not be stored; send it again later."})
    from server.runs.start import enqueue

    for run in created:
        enqueue(svc, run)
    return answer


def _serves(connection: Connection, location: str) -> bool:
    return bool(location) and location in (connection.location_id,
                                           str(connection.data.get("company_id") or ""))


def _store_and_fan_out(svc: Any, payload: dict[str, Any], event: events.Event | None,
                       location: str, webhook_id: str, signed_by: str | None,
                       headers: Mapping[str, str], eligible: list[Connection],
                       markers: list[str]) -> tuple[Answer, list[Any]]:
    from server.db import WebhookEvent

    lowered = {k.lower(): v for k, v in headers.items()}
    with svc.db.session() as session:
        stored = WebhookEvent(
            source="ghl", dedupe_key=f"ghl:{webhook_id}"[:200], location_id=location or None,
            event_type=str(payload.get("type") or "")[:100] or None, body=payload,
            headers={**{h: lowered[h] for h in KEPT_HEADERS if h in lowered},
                     "verified-by": signed_by or "unsigned (allowed by the connection)"})
        session.add(stored)
        try:
            session.flush()
        except IntegrityError:
            session.rollback()
            return Answer(200, {"duplicate": True, "webhookId": webhook_id}), []
        enriched = snapshots.enrich(session, event, location, payload)
        runs = _fan_out(svc, session, event, location, enriched, eligible, markers)
        session.flush()
        stored.run_ids = [run.id for run in runs]
        session.commit()
        body = {"stored": stored.id, "event": event.name if event else None,
                "runs": stored.run_ids}
        return Answer(200, body, list(stored.run_ids)), runs


def _fan_out(svc: Any, session: Any, event: events.Event | None, location: str,
             payload: dict[str, Any], eligible: list[Connection],
             markers: list[str]) -> list[Any]:
    """A run for every active workflow listening for this event through these connections."""
    from server.db import GhlSubscription, Workflow
    from server.runs.start import create_run

    if event is None or not eligible:
        return []
    names = sorted({c.name for c in eligible})
    rows = session.execute(
        select(GhlSubscription, Workflow.active_version_id)
        .join(Workflow, Workflow.id == GhlSubscription.workflow_id)
        .where(GhlSubscription.event_type == event.name,
               GhlSubscription.credential.in_(names), Workflow.active.is_(True))
        .order_by(GhlSubscription.workflow_id, GhlSubscription.id)
    ).all()
    change = _change_id(payload)
    window = max(1, int(settings().collapse_window_s))
    runs: list[Any] = []
    started: set[int] = set()
    for subscription, version_id in rows:
        if version_id is None or subscription.workflow_id in started:
            continue
        if not filters.accepts(subscription.filters, payload):
            continue
        marker = keys.ghl_event_change(location or "-", change, subscription.workflow_id)
        if not svc.redis.set(marker, "1", nx=True, ex=window):
            continue  # this workflow already has a run for this change
        markers.append(marker)
        started.add(subscription.workflow_id)
        runs.append(create_run(session, subscription.workflow_id, version_id, kind="ghl",
                               trigger_node=subscription.node_id, payload=payload))
    return runs


def _change_id(payload: dict[str, Any]) -> str:
    """The same for GHL's two events about one change: their fields minus the envelope."""
    core = {k: v for k, v in payload.items()
            if k not in ENVELOPE and k not in ("previous", "changed")}
    text = json.dumps(core, sort_keys=True, default=str)
    return hashlib.sha1(text.encode(), usedforsecurity=False).hexdigest()[:16]
