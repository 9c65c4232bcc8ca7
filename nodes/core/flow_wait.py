"""Wait: pause the run for a while or until a time. The run parks in the database meanwhile,
so no worker is held and a restart loses nothing."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

from nodes.registry import Items, NodeError, Outputs, Params, RunContext, WaitUntil, node
from server.engine.filters import to_datetime

UNITS = {"seconds": 1, "minutes": 60, "hours": 3600, "days": 86400}


@node(
    type="core.wait",
    title="Wait",
    group="Flow",
    description="Pause for a duration or until a date and time, then continue.",
    icon="hourglass",
    params={
        "type": "object",
        "required": ["mode"],
        "properties": {
            "mode": {"title": "Wait", "enum": ["duration", "until"], "default": "duration"},
            "amount": {"title": "Amount", "type": "number", "minimum": 0, "default": 1},
            "unit": {"title": "Unit", "enum": list(UNITS), "default": "minutes"},
            "until": {"title": "Until", "type": "string",
                      "description": "A date and time, e.g. {{ item.close_date }}"},
        },
    },
)
def run(ctx: RunContext, items: Items, params: Params) -> Outputs:
    rendered = params.render(items[0] if items else None)
    now = datetime.now(UTC)
    if rendered.get("mode") == "until":
        try:
            when = to_datetime(rendered.get("until"), tz=ctx.timezone)
        except ValueError as err:
            raise NodeError(f"Wait until: {err}.") from None
    else:
        try:
            seconds = float(rendered.get("amount", 1)) * UNITS[rendered.get("unit", "minutes")]
        except (TypeError, ValueError, KeyError):
            raise NodeError("Wait: the amount must be a number.") from None
        when = now + timedelta(seconds=seconds)
    if when <= now:
        return {"main": items}
    raise WaitUntil(when.astimezone(UTC), items)
