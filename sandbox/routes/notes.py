"""Notes on a contact: list, create, get, update, delete (apps/contacts.json).

Notes belong to contacts in the public API; "a note on an opportunity" is a note on its contact.
"""

from __future__ import annotations

from typing import Any

from sandbox.api import Call, Operations
from sandbox.crm import Record
from sandbox.errors import bad_request, not_found
from sandbox.ids import new_id
from sandbox.views import note as view
from sandbox.views import note_event

ops = Operations("notes")
WRITABLE = ("body", "userId", "title", "color", "pinned")


@ops.route("GET", "/contacts/{contactId}/notes")
def list_notes(call: Call) -> dict[str, Any]:
    contact = _contact(call)
    notes = sorted(call.crm.notes_of(contact["id"]), key=lambda n: n["dateAdded"], reverse=True)
    return {"notes": [view(n) for n in notes]}


@ops.route("POST", "/contacts/{contactId}/notes")
def create_note(call: Call) -> dict[str, Any]:
    contact = _contact(call)
    note: Record = {"id": new_id(), "body": "", "dateAdded": call.state.clock.iso(),
                    "contactId": contact["id"], "pinned": False}
    _write(call, contact, note, call.body)
    call.crm.add_note(note)
    call.emit("NoteCreate", contact["locationId"], note_event(note))
    return {"note": view(note)}


@ops.route("GET", "/contacts/{contactId}/notes/{id}")
def get_note(call: Call) -> dict[str, Any]:
    return {"note": view(_note(call, _contact(call)))}


@ops.route("PUT", "/contacts/{contactId}/notes/{id}")
def update_note(call: Call) -> dict[str, Any]:
    contact = _contact(call)
    note = _note(call, contact)
    _write(call, contact, note, call.body)
    call.emit("NoteUpdate", contact["locationId"], note_event(note))
    return {"note": view(note)}


@ops.route("DELETE", "/contacts/{contactId}/notes/{id}")
def delete_note(call: Call) -> dict[str, Any]:
    contact = _contact(call)
    note = call.crm.delete_note(_note(call, contact)["id"])
    call.emit("NoteDelete", contact["locationId"], note_event(note))
    return {"succeded": True}


def _contact(call: Call) -> Record:
    return call.owned(call.crm.contacts.get(call.path["contactId"]), "Contact")


def _note(call: Call, contact: Record) -> Record:
    note = call.crm.notes.get(call.path["id"])
    if note is None or note["contactId"] != contact["id"]:
        raise not_found("Note not found")
    return note


def _write(call: Call, contact: Record, note: Record, body: dict[str, Any]) -> None:
    user_id = body.get("userId")
    if user_id and contact["locationId"] not in (
        call.crm.users.get(user_id, {}).get("roles", {}).get("locationIds", [])
    ):
        raise bad_request(f"User {user_id} not found in this location")
    note.update({key: body[key] for key in WRITABLE if key in body})
