"""What an opportunity looked like before this event: GHL's events carry no previous values.

Each opportunity event's fields are kept (`ghl_snapshots`), so the next event can say what
changed (`previous`, `changed`). GHL announces one change twice (OpportunityUpdate, then
OpportunityStageUpdate with the same fields); the second finds the fields it carries already
stored and reuses the change the first one computed, instead of seeing "nothing changed".
"""

from __future__ import annotations

from typing import Any

from sqlalchemy import select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from nodes.ghl.triggers.events import Event

TRACKED = ("name", "pipelineId", "pipelineStageId", "status", "monetaryValue", "assignedTo",
           "contactId")


def enrich(session: Session, event: Event | None, location_id: str,
           payload: dict[str, Any]) -> dict[str, Any]:
    """The payload with `previous` and `changed` for opportunity events (unchanged others)."""
    if event is None or event.family != "Opportunity" or not payload.get("id"):
        return payload
    from server.db import GhlSnapshot

    record_id = str(payload["id"])
    current = {name: payload.get(name) for name in TRACKED}
    row = _find(session, location_id, record_id)
    if event.name == "OpportunityDelete":
        previous = row.data.get("current") if row is not None else None
        if row is not None:
            session.delete(row)
        return {**payload, "previous": previous, "changed": []}
    if row is None:
        data: dict[str, Any] = {"current": current, "previous": None, "changed": []}
        try:
            with session.begin_nested():
                session.add(GhlSnapshot(location_id=location_id, record_id=record_id,
                                        data=data))
        except IntegrityError:  # the same opportunity's other event got in first
            row = _find(session, location_id, record_id)
        if row is None:
            return {**payload, "previous": None, "changed": []}
    stored = row.data or {}
    if stored.get("current") == current:  # the same change, announced again
        return {**payload, "previous": stored.get("previous"),
                "changed": list(stored.get("changed") or [])}
    previous = stored.get("current") or {}
    changed = [name for name in TRACKED if previous.get(name) != current.get(name)]
    row.data = {"current": current, "previous": previous, "changed": changed}
    return {**payload, "previous": previous, "changed": changed}


def _find(session: Session, location_id: str, record_id: str) -> Any:
    from server.db import GhlSnapshot

    return session.scalars(select(GhlSnapshot).where(
        GhlSnapshot.location_id == location_id, GhlSnapshot.record_id == record_id)).first()
