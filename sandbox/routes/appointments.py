"""Appointments (calendar events): book, get, edit, delete, list by time, list by contact.

Booking checks the slot the way GHL's widget does (inside open hours, a team member free)
unless `ignoreFreeSlotValidation` is true; a taken slot answers 400.
"""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any

from sandbox.api import Call, Operations
from sandbox.clock import parse_iso_ms
from sandbox.crm import Record
from sandbox.errors import bad_request, not_found, unprocessable
from sandbox.ids import new_id
from sandbox.routes.calendars import calendar_of
from sandbox.slots import duration_ms, free_member, slot_starts, zone
from sandbox.views import appointment_event, appointment_reply, event

ops = Operations("appointments")
SLOT_TAKEN = "The slot you have selected is no longer available."
WRITABLE = ("title", "appointmentStatus", "address", "meetingLocationType", "description")


@ops.route("POST", "/calendars/events/appointments")
def book(call: Call) -> dict[str, Any]:
    body = call.body
    location = call.location(body["locationId"])
    calendar = calendar_of(call, body["calendarId"])
    contact = call.crm.contacts.get(body["contactId"])
    if contact is None or contact["locationId"] != location["id"]:
        raise bad_request("Contact not found")
    start, end = _times(body, calendar)
    assigned = _assignee(call, calendar, start, end, body)
    now = call.state.clock.iso()
    record: Record = {
        "id": new_id(),
        "calendarId": calendar["id"],
        "locationId": location["id"],
        "contactId": contact["id"],
        "groupId": calendar.get("groupId", ""),
        "title": body.get("title") or f"{calendar['name']}",
        "appointmentStatus": body.get("appointmentStatus") or "confirmed",
        "assignedUserId": assigned,
        "users": [assigned],
        "notes": "",
        "source": "public api",
        "isRecurring": False,
        "startTime": _local(start, location),
        "endTime": _local(end, location),
        "dateAdded": now,
        "dateUpdated": now,
        "createdBy": {"source": "third_party"},
        "_start": start,
        "_end": end,
    }
    record.update({key: body[key] for key in WRITABLE if key in body})
    call.crm.add_appointment(record)
    call.emit("AppointmentCreate", location["id"], appointment_event(record))
    return appointment_reply(record)


@ops.route("GET", "/calendars/events/appointments/{eventId}")
def get_appointment(call: Call) -> dict[str, Any]:
    return {"event": event(_appointment(call))}


@ops.route("PUT", "/calendars/events/appointments/{eventId}")
def edit_appointment(call: Call) -> dict[str, Any]:
    record = _appointment(call)
    body = call.body
    calendar = calendar_of(call, body.get("calendarId") or record["calendarId"])
    location = call.crm.locations[record["locationId"]]
    if any(key in body for key in ("startTime", "endTime", "calendarId", "assignedUserId")):
        merged = {"startTime": record["startTime"], "endTime": None, **body}
        if "startTime" not in body and "endTime" not in body:
            merged["endTime"] = record["endTime"]
        start, end = _times(merged, calendar)
        assigned = _assignee(call, calendar, start, end,
                             {**body, "assignedUserId": body.get("assignedUserId")
                              or record["assignedUserId"]}, ignore=record["id"])
        record.update(calendarId=calendar["id"], assignedUserId=assigned, users=[assigned],
                      startTime=_local(start, location), endTime=_local(end, location),
                      _start=start, _end=end)
    record.update({key: body[key] for key in WRITABLE if key in body})
    record["dateUpdated"] = call.state.clock.iso()
    call.emit("AppointmentUpdate", record["locationId"], appointment_event(record))
    return appointment_reply(record)


@ops.route("DELETE", "/calendars/events/{eventId}")
def delete_event(call: Call) -> dict[str, Any]:
    record = _appointment(call)
    call.crm.delete_appointment(record["id"])
    call.emit("AppointmentDelete", record["locationId"], appointment_event(record))
    return {"succeeded": True}


@ops.route("GET", "/calendars/events")
def list_events(call: Call) -> dict[str, Any]:
    query = call.query
    location = call.location(query["locationId"])
    if not any(query.get(k) for k in ("calendarId", "userId", "groupId")):
        raise unprocessable(["one of calendarId, userId or groupId should not be empty"])
    try:
        start, end = int(query["startTime"]), int(query["endTime"])
    except ValueError:
        raise unprocessable(["startTime and endTime must be epoch milliseconds"]) from None
    events = [e for e in call.crm.in_location(call.crm.appointments, location["id"])
              if e["_start"] < end and start < e["_end"]
              and (not query.get("calendarId") or e["calendarId"] == query["calendarId"])
              and (not query.get("userId") or query["userId"] in e["users"])
              and (not query.get("groupId") or e["groupId"] == query["groupId"])]
    return {"events": [event(e) for e in sorted(events, key=lambda e: e["_start"])]}


@ops.route("GET", "/contacts/{contactId}/appointments")
def contact_appointments(call: Call) -> dict[str, Any]:
    contact = call.owned(call.crm.contacts.get(call.path["contactId"]), "Contact")
    events = sorted(call.crm.appointments_of(contact["id"]), key=lambda e: e["_start"])
    return {"events": [{k: v for k, v in event(e).items() if k != "createdBy"} for e in events]}


def _appointment(call: Call) -> Record:
    record = call.crm.appointments.get(call.path["eventId"])
    if record is None:
        raise not_found("Appointment not found")
    return call.owned(record, "Appointment")


def _times(body: dict[str, Any], calendar: Record) -> tuple[int, int]:
    try:
        start = parse_iso_ms(str(body["startTime"]))
        end = parse_iso_ms(str(body["endTime"])) if body.get("endTime") else (
            start + duration_ms(calendar))
    except ValueError:
        raise unprocessable(["startTime and endTime must be ISO 8601 date-times"]) from None
    if end <= start:
        raise bad_request("endTime must be after startTime")
    return start, end


def _assignee(call: Call, calendar: Record, start: int, end: int, body: dict[str, Any],
              *, ignore: str | None = None) -> str:
    wanted = body.get("assignedUserId")
    members = [m["userId"] for m in calendar.get("teamMembers", [])]
    if wanted and wanted not in members and not body.get("ignoreFreeSlotValidation"):
        raise bad_request(f"User {wanted} is not a team member of this calendar")
    if body.get("ignoreFreeSlotValidation"):
        return str(wanted or (members[0] if members else ""))
    location = call.crm.locations[calendar["locationId"]]
    tz = zone(location.get("timezone"))
    starts = {int(m.timestamp() * 1000) for m in slot_starts(calendar, tz, start, start)}
    if start not in starts or start < call.now_ms():
        raise bad_request(SLOT_TAKEN)
    free = free_member(call.crm, calendar, start, end, users=[wanted] if wanted else None,
                       ignore=ignore)
    if free is None:
        raise bad_request(SLOT_TAKEN)
    return free


def _local(epoch_ms: int, location: Record) -> str:
    tz = zone(location.get("timezone"))
    return datetime.fromtimestamp(epoch_ms / 1000, tz=UTC).astimezone(tz).isoformat(
        timespec="seconds")

