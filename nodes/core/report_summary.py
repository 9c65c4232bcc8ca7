"""Summarise opportunities: per stage, owner, pipeline or status — count, total value,
weighted forecast (value times the stage's probability), won and lost in the period.

Works on GHL opportunities (the default field names) and on rows of the Opportunities data
table (choose the "table" field set), or any items with the fields named.
"""

from __future__ import annotations

from collections.abc import Mapping
from datetime import datetime
from typing import Any

from nodes.core.paths import get_path
from nodes.registry import Item, Items, NodeError, Outputs, Params, RunContext, node
from server.engine.filters import to_datetime, to_number

FIELD_SETS = {
    "ghl": {"stage": "pipelineStageId", "owner": "assignedTo", "pipeline": "pipelineId",
            "status": "status", "value": "monetaryValue", "date": "lastStatusChangeAt"},
    "table": {"stage": "stage", "owner": "owner_id", "pipeline": "pipeline_id",
              "status": "status", "value": "value", "date": "last_modified"},
}
CLOSED_PROBABILITY = {"won": 100.0, "lost": 0.0, "abandoned": 0.0}
METRICS = ("count", "open_count", "total_value", "open_value", "weighted_forecast",
           "won_count", "won_value", "lost_count", "lost_value")


@node(
    type="core.report.summary",
    title="Summarise opportunities",
    group="Files",
    description="Group opportunities by stage, owner, pipeline or status: counts, values, "
                "weighted forecast, won and lost in a period.",
    outputs=("main", "totals"),
    icon="chart",
    params={
        "type": "object",
        "properties": {
            "group_by": {"title": "Group by", "enum": ["stage", "owner", "pipeline", "status"],
                         "default": "stage"},
            "fields": {"title": "Field names", "enum": list(FIELD_SETS), "default": "ghl",
                       "description": "GHL opportunities, or rows of the Opportunities table."},
            "field_overrides": {
                "title": "Other field names", "type": "object",
                "properties": {key: {"type": "string"} for key in FIELD_SETS["ghl"]},
                "description": "Only if your items name the fields differently."},
            "probabilities": {
                "title": "Stage probabilities (%)", "type": "array",
                "items": {"type": "object", "required": ["stage", "probability"],
                          "properties": {"stage": {"type": "string"},
                                         "probability": {"type": "number", "minimum": 0,
                                                         "maximum": 100}}}},
            "default_probability": {"title": "Probability of other open stages (%)",
                                    "type": "number", "minimum": 0, "maximum": 100,
                                    "default": 50},
            "labels": {"title": "Names for ids",
                       "description": "An object id -> name (e.g. stage ids to names)."},
            "period_start": {"title": "Period from", "type": "string",
                             "description": "Won and lost count from this date (optional)."},
            "period_end": {"title": "Period to", "type": "string"},
        },
    },
)
def run(ctx: RunContext, items: Items, params: Params) -> Outputs:
    rendered = params.render(items[0] if items else None)
    fields = {**FIELD_SETS[rendered.get("fields", "ghl")],
              **{k: v for k, v in (rendered.get("field_overrides") or {}).items() if v}}
    period = (_date(rendered.get("period_start")), _date(rendered.get("period_end")))
    probabilities = {str(row["stage"]): float(row["probability"])
                     for row in rendered.get("probabilities") or []}
    default = float(rendered.get("default_probability", 50))
    labels = rendered.get("labels") if isinstance(rendered.get("labels"), Mapping) else {}
    key_field = fields[rendered.get("group_by", "stage")]
    groups: dict[str, dict[str, Any]] = {}
    totals = _empty("total", "All")
    for item in items:
        key = get_path(item, key_field)
        key = "(none)" if key in (None, "") else str(key)
        group = groups.setdefault(key, _empty(key, str(labels.get(key, key))))
        for target in (group, totals):
            _add(target, item, fields, probabilities, default, period)
    rounded = [_round(group) for group in groups.values()]
    rounded.sort(key=lambda g: (-g["total_value"], g["group"]))
    summary = _round(totals)
    summary["period_start"] = period[0].isoformat() if period[0] else None
    summary["period_end"] = period[1].isoformat() if period[1] else None
    return {"main": rounded, "totals": [summary]}


def _empty(key: str, label: str) -> dict[str, Any]:
    return {"group": key, "label": label, **{metric: 0 for metric in METRICS}}


def _add(target: dict[str, Any], item: Item, fields: dict[str, str],
         probabilities: dict[str, float], default: float,
         period: tuple[datetime | None, datetime | None]) -> None:
    value = get_path(item, fields["value"])
    try:
        amount = float(to_number(value)) if value not in (None, "") else 0.0
    except ValueError:
        raise NodeError(f"{fields['value']} is not a number: {value!r}.") from None
    status = str(get_path(item, fields["status"]) or "open").lower()
    stage = str(get_path(item, fields["stage"]) or "")
    target["count"] += 1
    target["total_value"] += amount
    if status in CLOSED_PROBABILITY:
        probability = CLOSED_PROBABILITY[status]
        if status in ("won", "lost") and _in_period(get_path(item, fields["date"]), period):
            target[f"{status}_count"] += 1
            target[f"{status}_value"] += amount
    else:
        probability = probabilities.get(stage, default)
        target["open_count"] += 1
        target["open_value"] += amount
    target["weighted_forecast"] += amount * probability / 100


def _in_period(value: Any, period: tuple[datetime | None, datetime | None]) -> bool:
    start, end = period
    if start is None and end is None:
        return True
    moment = _date(value)
    if moment is None:
        return False
    return (start is None or moment >= start) and (end is None or moment <= end)


def _date(value: Any) -> datetime | None:
    if value in (None, ""):
        return None
    try:
        return to_datetime(value)
    except ValueError:
        raise NodeError(f"{value!r} is not a date.") from None


def _round(group: dict[str, Any]) -> dict[str, Any]:
    return {key: round(value, 2) if isinstance(value, float) else value
            for key, value in group.items()}
