"""Publish dashboard: snapshot the pipeline dashboard of a data table behind a shareable,
read-only link (`/d/<token>`), optionally expiring; outputs the link.

Publishing happens once per run, whatever the number of items in (expressions in the
params see the first item). Flowlane provides `ctx.service("dashboards")`
(server/dashboards.py).
"""

from __future__ import annotations

from typing import Any

from nodes.core import table_common as common
from nodes.registry import Items, NodeError, Outputs, Params, RunContext, node

MAX_DAYS = 3650


@node(
    type="core.dashboard.publish",
    title="Publish dashboard",
    group="Files",
    description="Snapshot the pipeline dashboard of a table to a shareable read-only link; "
                "outputs the URL.",
    icon="chart",
    params={
        "type": "object",
        "properties": {
            "table": {**common.TABLE, "default": "Opportunities",
                      "description": "The data table the dashboard is computed from."},
            "title": {"title": "Title", "type": "string", "default": "Pipeline",
                      "maxLength": 300},
            "pipeline": {"title": "Only this pipeline (id)", "type": "string"},
            "owner": {"title": "Only this owner (user id)", "type": "string"},
            "expires_days": {"title": "Link expires after (days)",
                             "type": ["integer", "string"],
                             "description": "Empty: the link stays until it is taken down."},
        },
    },
)
def run(ctx: RunContext, items: Items, params: Params) -> Outputs:
    rendered = params.render(items[0] if items else None)
    published = ctx.service("dashboards").publish(
        str(rendered.get("table") or "Opportunities"), str(rendered.get("title") or "Pipeline"),
        rendered.get("pipeline") or None, rendered.get("owner") or None,
        _days(rendered.get("expires_days")))
    return {"main": [published]}


def _days(value: Any) -> int | None:
    if value in (None, ""):
        return None
    try:
        days = int(str(value).strip())
    except ValueError:
        raise NodeError(f"The link's lifetime must be a whole number of days, not {value!r}.")\
            from None
    if not 1 <= days <= MAX_DAYS:
        raise NodeError(f"The link's lifetime must be 1 to {MAX_DAYS} days, not {days}.")
    return days
