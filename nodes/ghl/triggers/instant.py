"""Instant triggers: one node type per documented webhook event, started by POST /hooks/ghl.

The run's first item is the event as HighLevel sent it (flat JSON with `type`, `locationId`,
the record's fields, `timestamp`, `webhookId`), plus what Flowlane knows that GHL does not
send: `previous` (the record's fields before this change, when an earlier event told us) and
`changed` (their names). With "Add names" on, opportunity events also get `pipeline_name`,
`stage_name`, `owner_name` and `owner_email`, looked up through the connection (cached).
"""

from __future__ import annotations

from typing import Any

from nodes.ghl import options
from nodes.ghl.auth import FAMILY, Connection
from nodes.ghl.errors import GhlError
from nodes.ghl.triggers.events import Event, events
from nodes.registry import Items, NodeSpec, Outputs, Params, RunContext, register

TRIGGER_KIND = "ghl"
STATUSES = ["open", "won", "lost", "abandoned"]

FILTER_PARAMS: dict[str, dict[str, Any]] = {
    "pipeline_id": {"type": "string", "title": "Pipeline",
                    "description": "Only opportunities in this pipeline.",
                    "ui": {"options": "ghl.pipelines", "depends_on": []}},
    "pipeline_stage_id": {"type": "string", "title": "Stage",
                          "description": "Only opportunities (now) in this stage.",
                          "ui": {"options": "ghl.stages", "depends_on": ["pipeline_id"]}},
    "assigned_to": {"type": "string", "title": "Owner",
                    "description": "Only records assigned to this user.",
                    "ui": {"options": "ghl.users", "depends_on": []}},
    "status": {"type": "string", "title": "Status", "description": "Only with this status."},
    "value_changed": {"type": "boolean", "title": "Only when the value changed",
                      "default": False,
                      "description": "Skip changes that left the monetary value as it was."},
}


def params_schema(event: Event) -> dict[str, Any]:
    properties: dict[str, Any] = {}
    for name in event.filters:
        properties[name] = dict(FILTER_PARAMS[name])
        if name == "status" and event.family == "Opportunity":
            properties[name]["enum"] = STATUSES
    if event.family == "Opportunity":
        properties["add_names"] = {
            "type": "boolean", "title": "Add names", "default": True,
            "description": "Add pipeline_name, stage_name, owner_name and owner_email "
                           "(one cached lookup through the connection)."}
    return {"type": "object", "properties": properties}


def run(ctx: RunContext, items: Items, params: Params) -> Outputs:
    """One item: the event, with previous values and names added where known."""
    payload = ctx.trigger_payload
    item = dict(payload) if isinstance(payload, dict) else {"body": payload}
    if params.raw.get("add_names", True) and str(item.get("type", "")).startswith(
            "Opportunity") and ctx.credential:
        add_names(ctx, item)
    return {"main": [item]}


def add_names(ctx: RunContext, item: dict[str, Any]) -> None:
    """Names for the ids in an opportunity event; a lookup that fails leaves them out (the
    event itself must still start the run)."""
    host = ctx.service("ghl")
    connection = Connection.of(ctx.credential)
    try:
        for pipeline in options.pipelines_raw(host, connection):
            if pipeline.get("id") != item.get("pipelineId"):
                continue
            item["pipeline_name"] = pipeline.get("name")
            for stage in pipeline.get("stages") or []:
                if isinstance(stage, dict) and stage.get("id") == item.get("pipelineStageId"):
                    item["stage_name"] = stage.get("name")
        if item.get("assignedTo"):
            for user in options.users_raw(host, connection):
                if user.get("id") == item["assignedTo"]:
                    item["owner_name"] = options.user_name(user)
                    item["owner_email"] = user.get("email")
    except GhlError as err:
        ctx.log.warning("could not add names to the %s event: %s", item.get("type"), err)


def _declare(event: Event) -> NodeSpec:
    scopes = [event.scope] if event.scope else []
    return register(NodeSpec(
        type=event.node_type, title=f"On {event.title[0].lower()}{event.title[1:]}",
        group="HighLevel · Triggers",
        description=event.description or f"Starts the workflow on HighLevel's {event.name} "
                                          "event.",
        run=run, params=params_schema(event), credential=FAMILY, icon="highlevel",
        trigger=TRIGGER_KIND,
        meta={"ghl_event": event.name, "types": list(event.types), "scopes": scopes,
              "filters": list(event.filters)},
    ))


SPECS = {event.name: _declare(event) for event in events()}
