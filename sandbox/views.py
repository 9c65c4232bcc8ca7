"""Records as the API shows them, and as webhook payloads carry them.

Stored records already use the API's field names; a view drops internal keys (`_...`) and adds
what GHL computes on the way out (an opportunity's embedded contact, a contact's full name).
Webhook views carry exactly the fields the event docs list (nodes/ghl/spec/webhook-events).
"""

from __future__ import annotations

from typing import Any

from sandbox.crm import Crm, Record


def public(record: Record) -> Record:
    return {key: value for key, value in record.items() if not key.startswith("_")}


def full_name(contact: Record) -> str:
    name = " ".join(p for p in (contact.get("firstName"), contact.get("lastName")) if p)
    return name or str(contact.get("name") or "")


def contact_summary(contact: Record) -> Record:
    """The `contact` embedded in an opportunity (SearchOpportunitiesContactResponseSchema)."""
    summary = {
        "id": contact["id"],
        "name": full_name(contact),
        "companyName": contact.get("companyName"),
        "email": contact.get("email"),
        "phone": contact.get("phone"),
        "tags": list(contact.get("tags") or []),
    }
    return {key: value for key, value in summary.items() if value is not None}


def opportunity(
    crm: Crm,
    record: Record,
    *,
    notes: bool = False,
    tasks: bool = False,
    calendar_events: bool = False,
) -> Record:
    out = public(record)
    out["customFields"] = [dict(f) for f in record.get("customFields", [])]
    out["followers"] = list(record.get("followers", []))
    contact = crm.contacts.get(record["contactId"])
    if contact is not None:
        out["contact"] = contact_summary(contact)
    # Only search embeds these, and only when asked (getNotes, ...): GET by id never does (#305).
    if notes:
        out["notes"] = [note(n) for n in crm.notes_of(record["contactId"])]
    if tasks:
        out["tasks"] = [task(t) for t in crm.tasks_of(record["contactId"])]
    if calendar_events:
        out["calendarEvents"] = [event(e) for e in crm.appointments_of(record["contactId"])]
    return out


def contact(record: Record) -> Record:
    """A contact as GET /contacts/{contactId} shows it (GetContectByIdSchema)."""
    out = public(record)
    out["name"] = full_name(record)
    out["tags"] = list(record.get("tags") or [])
    out["customFields"] = [dict(f) for f in record.get("customFields", [])]
    for source, target in (("firstName", "firstNameLowerCase"), ("lastName", "lastNameLowerCase"),
                           ("email", "emailLowerCase")):
        if record.get(source):
            out[target] = str(record[source]).lower()
    if out["name"]:
        out["fullNameLowerCase"] = out["name"].lower()
    return {key: value for key, value in out.items() if value is not None}


def note(record: Record) -> Record:
    return public(record)


def task(record: Record) -> Record:
    return public(record)


def user(record: Record) -> Record:
    return public(record)


def pipeline(record: Record) -> Record:
    out = public(record)
    out["stages"] = [dict(stage) for stage in record["stages"]]
    return out


def calendar(record: Record) -> Record:
    return public(record)


def event(record: Record) -> Record:
    """An appointment as the calendar events endpoints show it (CalendarEventDTO)."""
    return public(record)


def appointment_reply(record: Record) -> Record:
    """The answer to booking or editing an appointment (AppointmentSchemaResponse)."""
    keys = ("id", "calendarId", "locationId", "contactId", "startTime", "endTime", "title",
            "appointmentStatus", "assignedUserId", "address", "isRecurring")
    out = {key: record[key] for key in keys if record.get(key) is not None}
    out["meetingLocationType"] = record.get("meetingLocationType") or "custom"
    return out


# -- webhook payloads (fields per nodes/ghl/spec/webhook-events/*.md) ---------------------------


def opportunity_event(record: Record) -> dict[str, Any]:
    return {
        "id": record["id"],
        "assignedTo": record.get("assignedTo"),
        "contactId": record["contactId"],
        "monetaryValue": record.get("monetaryValue"),
        "name": record.get("name"),
        "pipelineId": record["pipelineId"],
        "pipelineStageId": record.get("pipelineStageId"),
        "source": record.get("source"),
        "status": record["status"],
        "dateAdded": record["createdAt"],
    }


CONTACT_EVENT_FIELDS = (
    "id", "address1", "city", "state", "companyName", "country", "source", "dateAdded",
    "dateOfBirth", "dnd", "email", "firstName", "lastName", "phone", "postalCode", "website",
    "assignedTo",
)


def contact_event(record: Record, *, with_dnd_settings: bool = False) -> dict[str, Any]:
    out: dict[str, Any] = {key: record.get(key) for key in CONTACT_EVENT_FIELDS}
    out["name"] = full_name(record) or None
    out["tags"] = list(record.get("tags") or [])
    out["attachments"] = []
    out["customFields"] = [dict(f) for f in record.get("customFields", [])]
    if with_dnd_settings and record.get("dndSettings"):
        out["dndSettings"] = record["dndSettings"]
    return out


def note_event(record: Record) -> dict[str, Any]:
    return {key: record.get(key) for key in ("id", "body", "contactId", "dateAdded")}


def task_event(record: Record) -> dict[str, Any]:
    keys = ("id", "assignedTo", "body", "contactId", "title", "dateAdded", "dueDate")
    return {key: record.get(key) for key in keys}


def appointment_event(record: Record) -> dict[str, Any]:
    keys = ("id", "address", "title", "calendarId", "contactId", "groupId", "appointmentStatus",
            "assignedUserId", "users", "notes", "source", "startTime", "endTime", "dateAdded",
            "dateUpdated")
    return {"appointment": {key: record[key] for key in keys if record.get(key) is not None}}
