"""The CRM records of every location, held in memory with the indexes requests need.

Records are plain dicts in the API's own field names; keys starting with `_` are internal
(epoch-ms sort keys) and never leave the sandbox. `Crm` does no locking itself: every request
handler runs under `SandboxState.lock`, so a handler's reads and writes are one step.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable
from typing import Any

Record = dict[str, Any]


def norm_email(value: Any) -> str:
    return str(value or "").strip().lower()


def norm_phone(value: Any) -> str:
    """Digits only: "+1 202-555-0107" and "+12025550107" are one phone to the duplicate check."""
    return "".join(ch for ch in str(value or "") if ch.isdigit())


class Crm:
    def __init__(self) -> None:
        self.companies: dict[str, Record] = {}
        self.locations: dict[str, Record] = {}
        self.users: dict[str, Record] = {}
        self.pipelines: dict[str, Record] = {}
        self.stage_pipeline: dict[str, str] = {}
        self.lost_reasons: dict[str, Record] = {}
        self.custom_fields: dict[str, Record] = {}
        self.contacts: dict[str, Record] = {}
        self.opportunities: dict[str, Record] = {}
        self.notes: dict[str, Record] = {}
        self.tasks: dict[str, Record] = {}
        self.calendars: dict[str, Record] = {}
        self.appointments: dict[str, Record] = {}
        self.media: dict[str, Record] = {}  # uploads, as received (no bytes kept)
        # Change counters: cached search orderings and counts are valid for one version.
        self.versions: dict[str, int] = defaultdict(int)
        self._opps_by_contact: dict[str, set[str]] = defaultdict(set)
        self._contacts_by_email: dict[tuple[str, str], set[str]] = defaultdict(set)
        self._contacts_by_phone: dict[tuple[str, str], set[str]] = defaultdict(set)
        self._notes_by_contact: dict[str, dict[str, None]] = defaultdict(dict)
        self._tasks_by_contact: dict[str, dict[str, None]] = defaultdict(dict)
        self._appointments_by_contact: dict[str, dict[str, None]] = defaultdict(dict)

    def changed(self, kind: str) -> None:
        self.versions[kind] += 1

    # -- pipelines and stages -------------------------------------------------------------

    def add_pipeline(self, pipeline: Record) -> None:
        self.pipelines[pipeline["id"]] = pipeline
        for stage in pipeline["stages"]:
            self.stage_pipeline[stage["id"]] = pipeline["id"]

    def stage_ids(self, pipeline_id: str) -> list[str]:
        return [stage["id"] for stage in self.pipelines[pipeline_id]["stages"]]

    # -- opportunities ----------------------------------------------------------------------

    def add_opportunity(self, opportunity: Record) -> None:
        self.opportunities[opportunity["id"]] = opportunity
        self._opps_by_contact[opportunity["contactId"]].add(opportunity["id"])
        self.changed("opportunities")

    def delete_opportunity(self, opportunity_id: str) -> Record:
        opportunity = self.opportunities.pop(opportunity_id)
        self._opps_by_contact[opportunity["contactId"]].discard(opportunity_id)
        self.changed("opportunities")
        return opportunity

    def opportunities_of_contact(self, contact_id: str) -> list[Record]:
        return [self.opportunities[i] for i in sorted(self._opps_by_contact.get(contact_id, ()))]

    def opportunity_for(self, contact_id: str, pipeline_id: str) -> Record | None:
        """The contact's opportunity in the pipeline (the upsert match), oldest first."""
        matches = [
            o for o in self.opportunities_of_contact(contact_id) if o["pipelineId"] == pipeline_id
        ]
        return min(matches, key=lambda o: o["_created"]) if matches else None

    # -- contacts ----------------------------------------------------------------------------

    def add_contact(self, contact: Record) -> None:
        self.contacts[contact["id"]] = contact
        self._index_contact(contact)
        self.changed("contacts")

    def update_contact(self, contact: Record, replacement: Record) -> None:
        """Give `contact` the fields of `replacement` (same record object, new content)."""
        self._unindex_contact(contact)
        contact.clear()
        contact.update(replacement)
        self._index_contact(contact)
        self.changed("contacts")

    def delete_contact(self, contact_id: str) -> tuple[Record, list[Record]]:
        """Remove a contact with its notes, tasks, appointments and opportunities (as GHL does).

        Returns the contact and the opportunities that went with it (they emit delete events).
        """
        contact = self.contacts.pop(contact_id)
        self._unindex_contact(contact)
        for note_id in list(self._notes_by_contact.pop(contact_id, {})):
            self.notes.pop(note_id, None)
        for task_id in list(self._tasks_by_contact.pop(contact_id, {})):
            self.tasks.pop(task_id, None)
        for event_id in list(self._appointments_by_contact.pop(contact_id, {})):
            self.appointments.pop(event_id, None)
        removed = [
            self.delete_opportunity(o["id"]) for o in self.opportunities_of_contact(contact_id)
        ]
        self.changed("contacts")
        return contact, removed

    def duplicate_contact(
        self, location_id: str, email: Any, phone: Any, *, exclude: str | None = None
    ) -> tuple[Record, str] | None:
        """An existing contact with the same email (first) or phone, and which field matched."""
        for field, index, key in (
            ("email", self._contacts_by_email, norm_email(email)),
            ("phone", self._contacts_by_phone, norm_phone(phone)),
        ):
            if not key:
                continue
            ids = sorted(i for i in index.get((location_id, key), ()) if i != exclude)
            if ids:
                return min((self.contacts[i] for i in ids), key=lambda c: c["_created"]), field
        return None

    def _index_contact(self, contact: Record) -> None:
        location = contact["locationId"]
        if email := norm_email(contact.get("email")):
            self._contacts_by_email[(location, email)].add(contact["id"])
        if phone := norm_phone(contact.get("phone")):
            self._contacts_by_phone[(location, phone)].add(contact["id"])

    def _unindex_contact(self, contact: Record) -> None:
        location = contact["locationId"]
        if email := norm_email(contact.get("email")):
            self._contacts_by_email[(location, email)].discard(contact["id"])
        if phone := norm_phone(contact.get("phone")):
            self._contacts_by_phone[(location, phone)].discard(contact["id"])

    # -- notes, tasks, appointments (children of a contact) --------------------------------

    def add_note(self, note: Record) -> None:
        self.notes[note["id"]] = note
        self._notes_by_contact[note["contactId"]][note["id"]] = None

    def delete_note(self, note_id: str) -> Record:
        note = self.notes.pop(note_id)
        self._notes_by_contact[note["contactId"]].pop(note_id, None)
        return note

    def notes_of(self, contact_id: str) -> list[Record]:
        return self._children(self.notes, self._notes_by_contact.get(contact_id, {}))

    def add_task(self, task: Record) -> None:
        self.tasks[task["id"]] = task
        self._tasks_by_contact[task["contactId"]][task["id"]] = None

    def delete_task(self, task_id: str) -> Record:
        task = self.tasks.pop(task_id)
        self._tasks_by_contact[task["contactId"]].pop(task_id, None)
        return task

    def tasks_of(self, contact_id: str) -> list[Record]:
        return self._children(self.tasks, self._tasks_by_contact.get(contact_id, {}))

    def add_appointment(self, event: Record) -> None:
        self.appointments[event["id"]] = event
        self._appointments_by_contact[event["contactId"]][event["id"]] = None

    def delete_appointment(self, event_id: str) -> Record:
        event = self.appointments.pop(event_id)
        self._appointments_by_contact[event["contactId"]].pop(event_id, None)
        return event

    def appointments_of(self, contact_id: str) -> list[Record]:
        return self._children(self.appointments, self._appointments_by_contact.get(contact_id, {}))

    @staticmethod
    def _children(table: dict[str, Record], ids: Iterable[str]) -> list[Record]:
        return [table[i] for i in ids if i in table]

    # -- lookups by location ------------------------------------------------------------------

    def in_location(self, table: dict[str, Record], location_id: str) -> list[Record]:
        return [r for r in table.values() if r.get("locationId") == location_id]
