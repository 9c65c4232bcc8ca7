"""Calendars (apps/calendars.json, Version 2021-04-15): list, get, free slots."""

from __future__ import annotations

from typing import Any

from sandbox.api import Call, Operations
from sandbox.crm import Record
from sandbox.errors import bad_request, not_found
from sandbox.slots import MAX_RANGE_MS, free_slots, zone
from sandbox.views import calendar as view

ops = Operations("calendars")


@ops.route("GET", "/calendars/")
def list_calendars(call: Call) -> dict[str, Any]:
    location = call.location(call.query["locationId"])
    calendars = call.crm.in_location(call.crm.calendars, location["id"])
    if call.query.get("groupId"):
        calendars = [c for c in calendars if c.get("groupId") == call.query["groupId"]]
    return {"calendars": [view(c) for c in calendars]}


@ops.route("GET", "/calendars/{calendarId}")
def get_calendar(call: Call) -> dict[str, Any]:
    return {"calendar": view(calendar_of(call, call.path["calendarId"]))}


@ops.route("GET", "/calendars/{calendarId}/free-slots")
def get_free_slots(call: Call) -> dict[str, Any]:
    """Slots between `startDate` and `endDate` (epoch ms, at most 31 days apart)."""
    calendar = calendar_of(call, call.path["calendarId"])
    start, end = int(call.query["startDate"]), int(call.query["endDate"])
    if end < start:
        raise bad_request("endDate must not be before startDate")
    if end - start > MAX_RANGE_MS:
        raise bad_request("Date range cannot be more than 31 days")
    location = call.crm.locations[calendar["locationId"]]
    try:
        location_tz = zone(location.get("timezone"))
        out_tz = zone(call.query.get("timezone"), location.get("timezone") or "UTC")
    except ValueError as err:
        raise bad_request(str(err)) from None
    users = None
    if call.query.get("userId"):
        users = [call.query["userId"]]
    elif call.query.get("userIds"):
        users = list(call.query["userIds"])
    return free_slots(call.crm, calendar, location_tz=location_tz, out_tz=out_tz,
                      start_ms=start, end_ms=end, now_ms=call.now_ms(), users=users)


def calendar_of(call: Call, calendar_id: str) -> Record:
    calendar = call.crm.calendars.get(calendar_id)
    if calendar is None:
        raise not_found("Calendar not found")
    return call.owned(calendar, "Calendar")
