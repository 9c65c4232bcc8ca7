"""Triggers: manual, webhook, schedule, error and sub-workflow."""

from __future__ import annotations

import re
from typing import Any

from server.importers.n8n.context import MapContext, Mapped, NeedsAttention
from server.importers.n8n.mappers import maps

_WEEKDAYS = ["sun", "mon", "tue", "wed", "thu", "fri", "sat"]
_PATH = re.compile(r"[^A-Za-z0-9_\-./]")


@maps("manualTrigger", "start", trigger=True)
def manual(ctx: MapContext) -> Mapped:
    return Mapped("core.trigger.manual", {})


@maps("executeWorkflowTrigger", trigger=True)
def subworkflow(ctx: MapContext) -> Mapped:
    return Mapped("core.trigger.subworkflow", {})


@maps("errorTrigger", trigger=True)
def error(ctx: MapContext) -> Mapped:
    ctx.need("Flowlane's error trigger gives the failed run's workflow, run, error and node, "
             "not n8n's {execution, workflow} object: check the expressions that read it")
    return Mapped("core.trigger.error", {})


@maps("webhook", trigger=True)
def webhook(ctx: MapContext) -> Mapped:
    raw_path = ctx.plain(ctx.get("path"), "its path")
    # n8n listens on /webhook/<webhookId> when the path is empty.
    fallback = ctx.node.raw.get("webhookId") if isinstance(ctx.node.raw.get("webhookId"),
                                                           str) else f"n8n-{ctx.name}"
    path = _PATH.sub("-", raw_path.strip("/") or str(fallback))[:200].strip("/") or "n8n"
    if ":" in raw_path:
        ctx.need(f"its path {raw_path!r} has route parameters, which Flowlane webhooks do not "
                 "have; it listens on /webhook/" + path)
    elif raw_path and path != raw_path.strip("/"):
        ctx.need(f"its path {raw_path!r} was changed to {path!r} (Flowlane paths use letters, "
                 "digits, '-', '_', '.' and '/')")
    method = ctx.get("httpMethod", "GET")
    if isinstance(method, list):  # v2 "multiple methods"
        ctx.need("it listened on several HTTP methods; Flowlane listens on the first, "
                 f"{method[0] if method else 'GET'}")
        method = method[0] if method else "GET"
    method = str(method).upper()
    if method not in ("GET", "POST", "PUT", "PATCH", "DELETE"):
        ctx.need(f"it listened for {method}; Flowlane webhooks take GET, POST, PUT, PATCH or "
                 "DELETE, so it listens for POST")
        method = "POST"
    mode = ctx.get("responseMode", "onReceived")
    respond = "respond_node" if mode == "responseNode" else "immediately"
    if mode == "lastNode":
        ctx.need("it answered with the last node's data; Flowlane answers at once with the run "
                 "id, or from a 'Respond to webhook' node: add one to send data back")
    elif mode == "onReceived" and (ctx.get("responseCode", 200) != 200
                                   or ctx.option("responseData")):
        ctx.need("its custom immediate answer is not kept; Flowlane answers 202 with the run id")
    auth = ctx.get("authentication", "none")
    credential = None
    if auth == "headerAuth":
        credential = _credential_name(ctx, "httpHeaderAuth")
    elif auth not in ("none", None):
        ctx.need(f"it checked callers with {auth}; Flowlane webhooks check a secret header "
                 "only: set one up before activating it, or anyone can call it")
    return Mapped("core.trigger.webhook", {"path": path, "method": method, "respond": respond},
                  credential=credential)


def _credential_name(ctx: MapContext, n8n_type: str) -> str | None:
    entry = ctx.node.credentials.get(n8n_type)
    if isinstance(entry, dict) and isinstance(entry.get("name"), str) and entry["name"]:
        return str(entry["name"])[:200]
    return None


@maps("scheduleTrigger", trigger=True)
def schedule(ctx: MapContext) -> Mapped:
    rule = ctx.get("rule")
    intervals = rule.get("interval") if isinstance(rule, dict) else None
    if not isinstance(intervals, list) or not intervals:
        intervals = [{"field": "days"}]
    params = [schedule_params(ctx, entry if isinstance(entry, dict) else {})
              for entry in intervals]
    extra = [(f" ({index + 2})", entry) for index, entry in enumerate(params[1:])]
    if extra:
        ctx.need(f"it had {len(params)} schedule rules; each became its own Schedule trigger")
    return Mapped("core.trigger.schedule", params[0], extra_triggers=extra)


def schedule_params(ctx: MapContext, entry: dict[str, Any]) -> dict[str, Any]:
    """One n8n interval rule as Flowlane schedule params (presets or cron)."""
    field = entry.get("field", "days")
    hour = _int(entry.get("triggerAtHour", 0), 0, 23, "hour")
    minute = _int(entry.get("triggerAtMinute", 0), 0, 59, "minute")
    at = f"{hour:02d}:{minute:02d}"
    if field == "seconds":
        ctx.need("it ran every few seconds; Flowlane schedules run at most once a minute")
        return {"mode": "interval", "every_minutes": 1}
    if field == "minutes":
        every = _int(entry.get("minutesInterval", 5), 1, 1440, "minutes")
        return {"mode": "interval", "every_minutes": every}
    if field == "hours":
        every = _int(entry.get("hoursInterval", 1), 1, 24, "hours")
        return {"mode": "cron", "cron": f"{minute} */{every} * * *"}
    if field == "days":
        every = _int(entry.get("daysInterval", 1), 1, 31, "days")
        if every == 1:
            return {"mode": "daily", "time": at}
        return {"mode": "cron", "cron": f"{minute} {hour} */{every} * *"}
    if field == "weeks":
        days = entry.get("triggerAtDay", [0])
        days = days if isinstance(days, list) and days else [0]
        names = [_WEEKDAYS[d] for d in days if isinstance(d, int) and 0 <= d <= 6]
        if _int(entry.get("weeksInterval", 1), 1, 52, "weeks") > 1:
            ctx.need("it ran every few weeks; Flowlane's weekly schedule runs every week")
        return {"mode": "weekly", "time": at, "weekdays": list(dict.fromkeys(names or ["sun"]))}
    if field == "months":
        every = _int(entry.get("monthsInterval", 1), 1, 12, "months")
        day = _int(entry.get("triggerAtDayOfMonth", 1), 1, 31, "day of month")
        return {"mode": "cron", "cron": f"{minute} {hour} {day} */{every} *"}
    if field == "cronExpression":
        return {"mode": "cron", "cron": _cron(ctx, entry.get("expression", ""))}
    raise NeedsAttention(f"its schedule rule {field!r} is not one Flowlane knows")


def _cron(ctx: MapContext, expression: Any) -> str:
    text = ctx.plain(expression, "its cron expression")
    fields = text.split()
    if len(fields) == 6:  # n8n allows a leading seconds field
        ctx.need(f"its cron expression {text!r} has a seconds field; Flowlane runs "
                 f"{' '.join(fields[1:])!r}")
        fields = fields[1:]
    if len(fields) != 5:
        raise NeedsAttention(f"its cron expression {text!r} does not have five fields")
    return " ".join(fields)


def _int(value: Any, low: int, high: int, what: str) -> int:
    if isinstance(value, str) and value.strip().isdigit():
        value = int(value)
    if isinstance(value, float) and value.is_integer():
        value = int(value)
    if not isinstance(value, int) or isinstance(value, bool) or not low <= value <= high:
        raise NeedsAttention(f"its schedule {what} ({value!r}) is not a whole number from "
                             f"{low} to {high}")
    return value
