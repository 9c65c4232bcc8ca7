"""Schedule trigger: cron, or the presets daily, weekly and every N minutes, in a timezone."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from croniter import croniter

from nodes.registry import Items, Outputs, Params, RunContext, node

WEEKDAYS = ["mon", "tue", "wed", "thu", "fri", "sat", "sun"]


def cron_expression(params: Mapping[str, Any]) -> str:
    """The cron line a schedule's params stand for (the presets are cron too)."""
    mode = params.get("mode", "cron")
    hour, minute = _time(params.get("time", "09:00"))
    if mode == "daily":
        return f"{minute} {hour} * * *"
    if mode == "weekly":
        days = params.get("weekdays") or ["mon"]
        return f"{minute} {hour} * * {','.join(days)}"
    if mode == "interval":
        every = int(params.get("every_minutes", 15))
        if every >= 60 and every % 60 == 0:
            return f"0 */{every // 60} * * *"
        return f"*/{every} * * * *"
    return str(params.get("cron", "")).strip()


def _time(text: str) -> tuple[int, int]:
    hour, _, minute = str(text).partition(":")
    return int(hour), int(minute or 0)


def check(params: Mapping[str, Any]) -> list[tuple[str, str]]:
    """A cron line croniter accepts and a timezone the system knows."""
    problems = []
    if params.get("mode", "cron") == "cron" and not params.get("cron"):
        problems.append(("/cron", "a cron expression is required in cron mode."))
    else:
        try:
            expression = cron_expression(params)
        except (TypeError, ValueError):
            expression = ""
        if not croniter.is_valid(expression):
            problems.append(("/cron", f"{expression!r} is not a valid cron expression."))
    timezone = params.get("timezone")
    if timezone:
        try:
            ZoneInfo(timezone)
        except (ZoneInfoNotFoundError, ValueError):
            problems.append(("/timezone", f"{timezone!r} is not a timezone I know."))
    return problems


@node(
    type="core.trigger.schedule",
    title="Schedule",
    group="Triggers",
    description="Starts the workflow on a schedule: daily, weekly, every N minutes or cron.",
    trigger="schedule",
    icon="clock",
    check=check,
    params={
        "type": "object",
        "required": ["mode"],
        "properties": {
            "mode": {"title": "Repeat", "enum": ["daily", "weekly", "interval", "cron"],
                     "default": "daily"},
            "time": {"title": "At (HH:MM)", "type": "string",
                     "pattern": "^([01]?[0-9]|2[0-3]):[0-5][0-9]$", "default": "09:00"},
            "weekdays": {"title": "On", "type": "array", "uniqueItems": True,
                         "items": {"enum": WEEKDAYS}},
            "every_minutes": {"title": "Every (minutes)", "type": "integer", "minimum": 1,
                              "maximum": 1440, "default": 15},
            "cron": {"title": "Cron expression", "type": "string",
                     "description": "Five fields: minute hour day month weekday."},
            "timezone": {"title": "Timezone", "type": "string",
                         "description": "Defaults to the workflow's timezone."},
        },
    },
)
def run(ctx: RunContext, items: Items, params: Params) -> Outputs:
    """One item saying when it fired and for which scheduled time."""
    payload = ctx.trigger_payload if isinstance(ctx.trigger_payload, dict) else {}
    return {"main": [dict(payload)]}

