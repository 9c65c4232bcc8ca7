"""A trigger's filters against an event: pipeline, stage, owner, status, value changed.

Decided when the event arrives, before any run exists, so a filtered-out event costs no run.
A filter left empty accepts everything; a list accepts any of its values.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

#: Where each filter reads its value (appointments nest their fields under "appointment").
FIELDS = {
    "pipeline_id": ("pipelineId",),
    "pipeline_stage_id": ("pipelineStageId",),
    "assigned_to": ("assignedTo", "assignedUserId"),
    "status": ("status", "appointmentStatus"),
}
FILTER_NAMES = (*FIELDS, "value_changed")


def stored(params: Mapping[str, Any]) -> dict[str, Any]:
    """The filters of a trigger node's params, as a subscription keeps them."""
    return {name: params[name] for name in FILTER_NAMES
            if params.get(name) not in (None, "", [], False)}


def accepts(filters: Mapping[str, Any] | None, event: Mapping[str, Any]) -> bool:
    nested = event.get("appointment")
    record: Mapping[str, Any] = nested if isinstance(nested, dict) else event
    for name, wanted in (filters or {}).items():
        if name == "value_changed":
            if wanted and not value_changed(event):
                return False
            continue
        if name not in FIELDS or wanted in (None, "", []):
            continue
        allowed = wanted if isinstance(wanted, list) else [wanted]
        found = next((record.get(f) for f in FIELDS[name] if record.get(f) is not None), None)
        if found not in allowed:
            return False
    return True


def value_changed(event: Mapping[str, Any]) -> bool:
    if event.get("type") == "OpportunityMonetaryValueUpdate":
        return True
    return "monetaryValue" in (event.get("changed") or [])
