"""Contacts: create, get, update, delete, upsert, tags, followers (apps/contacts.json).

The location's "allow duplicate contact" setting holds, as in GHL: creating a second contact
with an existing email or phone answers 400 naming the contact it matched; upsert updates it.
Deleting a contact deletes its notes, tasks, appointments and opportunities with it.
"""

from __future__ import annotations

import uuid
from datetime import UTC, datetime
from typing import Any

from sandbox.api import Call, Operations
from sandbox.clock import iso_ms
from sandbox.crm import Record
from sandbox.errors import bad_request, unprocessable
from sandbox.fields import merge_custom_fields
from sandbox.ids import new_id
from sandbox.views import contact as view
from sandbox.views import contact_event, opportunity_event

ops = Operations("contacts")

PLAIN_FIELDS = (
    "firstName", "lastName", "email", "phone", "address1", "city", "state", "postalCode",
    "website", "timezone", "dnd", "dndSettings", "inboundDndSettings", "source", "country",
    "companyName", "assignedTo", "gender",
)
DATE_FORMATS = ("%Y/%m/%d", "%m/%d/%Y", "%Y-%m-%d", "%m-%d-%Y", "%Y.%m.%d", "%m.%d.%Y",
                "%Y_%m_%d", "%m_%d_%Y")


@ops.route("POST", "/contacts/")
def create_contact(call: Call) -> dict[str, Any]:
    location = call.location(call.body["locationId"])
    return {"contact": view(_create(call, location, call.body))}


@ops.route("GET", "/contacts/{contactId}")
def get_contact(call: Call) -> dict[str, Any]:
    return {"contact": view(_contact(call))}


@ops.route("PUT", "/contacts/{contactId}")
def update_contact(call: Call) -> dict[str, Any]:
    record = _contact(call)
    _update(call, record, call.body)
    return {"succeded": True, "contact": view(record)}


@ops.route("DELETE", "/contacts/{contactId}")
def delete_contact(call: Call) -> dict[str, Any]:
    record = _contact(call)
    contact, opportunities = call.crm.delete_contact(record["id"])
    for opportunity in opportunities:
        call.emit("OpportunityDelete", opportunity["locationId"], opportunity_event(opportunity))
    call.emit("ContactDelete", contact["locationId"], contact_event(contact))
    return {"succeded": True}


@ops.route("POST", "/contacts/upsert")
def upsert_contact(call: Call) -> dict[str, Any]:
    body = call.body
    location = call.location(body["locationId"])
    allow_duplicates = location["settings"].get("allowDuplicateContact")
    match = None
    if not (allow_duplicates and body.get("createNewIfDuplicateAllowed")):
        match = call.crm.duplicate_contact(location["id"], body.get("email"), body.get("phone"))
    fields = {k: v for k, v in body.items() if k != "createNewIfDuplicateAllowed"}
    if match is None:
        record = _create(call, location, fields)
        created = True
    else:
        record = match[0]
        _update(call, record, {k: v for k, v in fields.items() if k != "locationId"})
        created = False
    return {"new": created, "contact": view(record), "traceId": str(uuid.uuid4())}


@ops.route("POST", "/contacts/{contactId}/tags")
def add_tags(call: Call) -> dict[str, Any]:
    record = _contact(call)
    tags = [*record["tags"], *(t for t in call.body["tags"] if t not in record["tags"])]
    _update(call, record, {"tags": tags})
    return {"tags": list(record["tags"])}


@ops.route("DELETE", "/contacts/{contactId}/tags")
def remove_tags(call: Call) -> dict[str, Any]:
    record = _contact(call)
    gone = {str(t).lower() for t in call.body["tags"]}
    _update(call, record, {"tags": [t for t in record["tags"] if t not in gone]})
    return {"tags": list(record["tags"])}


@ops.route("POST", "/contacts/{contactId}/followers")
def add_followers(call: Call) -> dict[str, Any]:
    record = _contact(call)
    _users(call, record["locationId"], call.body["followers"])
    added = [u for u in dict.fromkeys(call.body["followers"]) if u not in record["followers"]]
    record["followers"] = [*record["followers"], *added]
    call.crm.changed("contacts")
    return {"followers": list(record["followers"]), "followersAdded": added}


@ops.route("DELETE", "/contacts/{contactId}/followers")
def remove_followers(call: Call) -> dict[str, Any]:
    record = _contact(call)
    gone = set(call.body["followers"])
    removed = [u for u in record["followers"] if u in gone]
    record["followers"] = [u for u in record["followers"] if u not in gone]
    call.crm.changed("contacts")
    return {"followers": list(record["followers"]), "followersRemoved": removed}


# -- shared ---------------------------------------------------------------------------------


def _contact(call: Call) -> Record:
    return call.owned(call.crm.contacts.get(call.path["contactId"]), "Contact")


def _create(call: Call, location: Record, body: dict[str, Any]) -> Record:
    now = call.now_ms()
    record: Record = {
        "id": new_id(),
        "locationId": location["id"],
        "type": "lead",
        "tags": [],
        "customFields": [],
        "followers": [],
        "dnd": False,
        "source": "public api",
        "dateAdded": iso_ms(now),
        "dateUpdated": iso_ms(now),
        "_created": now,
        "_updated": now,
    }
    _check_duplicate(call, location, body, exclude=None)
    _write(call, record, body)
    call.crm.add_contact(record)
    call.emit("ContactCreate", location["id"], contact_event(record))
    return record


def _update(call: Call, record: Record, changes: dict[str, Any]) -> None:
    location = call.crm.locations[record["locationId"]]
    before = {"tags": list(record["tags"]), "dnd": record.get("dnd"),
              "dndSettings": record.get("dndSettings")}
    if "email" in changes or "phone" in changes:
        probe = {"email": changes.get("email"), "phone": changes.get("phone")}
        _check_duplicate(call, location, probe, exclude=record["id"])
    staged = dict(record)
    _write(call, staged, changes)
    now = call.now_ms()
    staged["dateUpdated"], staged["_updated"] = iso_ms(now), now
    call.crm.update_contact(record, staged)
    call.emit("ContactUpdate", record["locationId"], contact_event(record))
    if record["tags"] != before["tags"]:
        call.emit("ContactTagUpdate", record["locationId"], contact_event(record))
    if (record.get("dnd"), record.get("dndSettings")) != (before["dnd"], before["dndSettings"]):
        call.emit("ContactDndUpdate", record["locationId"],
                  contact_event(record, with_dnd_settings=True))


def _write(call: Call, record: Record, body: dict[str, Any]) -> None:
    """Check and copy the writable fields of a create/update/upsert body into `record`."""
    problems: list[str] = []
    for name in PLAIN_FIELDS:
        if name in body:
            record[name] = body[name]
    if body.get("name") and not (body.get("firstName") or body.get("lastName")):
        first, _, last = str(body["name"]).strip().partition(" ")
        record["firstName"], record["lastName"] = first, last or None
    if record.get("email") and "@" not in str(record["email"]):
        problems.append("email must be an email")
    if "tags" in body:
        record["tags"] = list(dict.fromkeys(str(t).strip().lower() for t in body["tags"] if t))
    if body.get("dateOfBirth"):
        record["dateOfBirth"] = _birth_date(body["dateOfBirth"], problems)
    if problems:
        raise unprocessable(problems)
    if body.get("assignedTo"):
        _users(call, record["locationId"], [body["assignedTo"]])
    if "customFields" in body:
        record["customFields"] = merge_custom_fields(
            call.crm, location_id=record["locationId"], model="contact",
            current=record["customFields"], incoming=body["customFields"], value_key="value",
        )
    for key in [k for k, v in record.items() if v is None]:
        del record[key]


def _check_duplicate(
    call: Call, location: Record, body: dict[str, Any], *, exclude: str | None
) -> None:
    if location["settings"].get("allowDuplicateContact"):
        return
    match = call.crm.duplicate_contact(location["id"], body.get("email"), body.get("phone"),
                                       exclude=exclude)
    if match:
        contact, field = match
        raise bad_request("This location does not allow duplicated contacts.",
                          meta={"contactId": contact["id"], "matchingField": field})


def _birth_date(value: Any, problems: list[str]) -> str | None:
    for pattern in DATE_FORMATS:
        try:
            day = datetime.strptime(str(value)[:10], pattern).replace(tzinfo=UTC)
        except ValueError:
            continue
        return iso_ms(int(day.timestamp() * 1000))
    problems.append("dateOfBirth must be a date such as YYYY-MM-DD or MM/DD/YYYY")
    return None


def _users(call: Call, location_id: str, user_ids: list[str]) -> None:
    unknown = [u for u in user_ids if location_id not in
               call.crm.users.get(u, {}).get("roles", {}).get("locationIds", [])]
    if unknown:
        raise bad_request(f"User(s) not found in this location: {', '.join(map(str, unknown))}")
