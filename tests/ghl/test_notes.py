""""Attach note to opportunity" (on its contact, naming the opportunity), note and task CRUD,
free slots and booking, against the sandbox."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest

from nodes.ghl.errors import GhlNotFound
from tests.ghl.helpers import main


@pytest.fixture
def deal(node):
    return main(node("ghl.opportunities.search", {"limit": 1}))[0]


def test_a_note_on_an_opportunity_goes_to_its_contact(node, deal):
    users = main(node("ghl.users.list", {}))
    attached = main(node("ghl.notes.attach_to_opportunity", {
        "opportunity_id": "{{ item.id }}", "body": "Called, wants a quote.",
        "user_id": users[0]["id"]}, [deal]))[0]
    assert attached["contactId"] == deal["contactId"]
    assert attached["opportunityId"] == deal["id"]
    assert attached["body"] == (f"Called, wants a quote.\n\nOpportunity: {deal['name']} "
                                f"({deal['id']})")
    notes = main(node("ghl.notes.list", {"contactId": deal["contactId"]}))
    assert attached["id"] in {n["id"] for n in notes}


def test_note_crud(node, deal):
    contact_id = deal["contactId"]
    made = main(node("ghl.notes.create", {"contactId": contact_id, "body": "First"}))[0]
    assert main(node("ghl.notes.get", {"contactId": contact_id, "id": made["id"]}))[0][
        "body"] == "First"
    changed = main(node("ghl.notes.update", {"contactId": contact_id, "id": made["id"],
                                             "body": "Second"}))[0]
    assert changed["body"] == "Second"
    assert main(node("ghl.notes.delete", {"contactId": contact_id, "id": made["id"]}))[0][
        "succeded"] is True
    with pytest.raises(GhlNotFound):
        node("ghl.notes.get", {"contactId": contact_id, "id": made["id"]})


def test_task_crud(node, deal):
    contact_id = deal["contactId"]
    owner = main(node("ghl.users.list", {}))[1]["id"]
    due = (datetime.now(UTC) + timedelta(days=2)).strftime("%Y-%m-%dT%H:%M:%SZ")
    made = main(node("ghl.tasks.create", {"contactId": contact_id, "title": "Send quote",
                                          "dueDate": due, "assignedTo": owner}))[0]
    assert made["completed"] is False and made["assignedTo"] == owner
    listed = main(node("ghl.tasks.list", {"contactId": contact_id}))
    assert made["id"] in {t["id"] for t in listed}
    changed = main(node("ghl.tasks.update", {"contactId": contact_id, "taskId": made["id"],
                                             "title": "Send the quote"}))[0]
    assert changed["title"] == "Send the quote"
    done = main(node("ghl.tasks.complete", {"contactId": contact_id, "taskId": made["id"],
                                            "completed": True}))[0]
    assert done["completed"] is True
    assert main(node("ghl.tasks.get", {"contactId": contact_id, "taskId": made["id"]}))[0][
        "completed"] is True
    main(node("ghl.tasks.delete", {"contactId": contact_id, "taskId": made["id"]}))
    with pytest.raises(GhlNotFound):
        node("ghl.tasks.get", {"contactId": contact_id, "taskId": made["id"]})


def test_free_slots_then_booking_one(node, deal):
    calendar = main(node("ghl.calendars.list", {}))[0]
    start = (datetime.now(UTC) + timedelta(days=1)).strftime("%Y-%m-%d")
    end = (datetime.now(UTC) + timedelta(days=8)).strftime("%Y-%m-%d")
    slots = main(node("ghl.calendars.free_slots", {"calendarId": calendar["id"],
                                                   "startDate": start, "endDate": end,
                                                   "timezone": "UTC"}))
    assert slots and {"date", "slot"} <= set(slots[0])
    chosen = slots[0]["slot"]
    booked = main(node("ghl.calendars.book_appointment", {
        "calendarId": calendar["id"], "contactId": deal["contactId"], "startTime": chosen,
        "title": "Discovery call"}))[0]
    assert booked["calendarId"] == calendar["id"] and booked["id"]
    fetched = main(node("ghl.calendars.get_appointment", {"eventId": booked["id"]}))[0]
    assert fetched["event"]["title"] == "Discovery call"
    # Epoch milliseconds work as well as dates.
    from_ms = int((datetime.now(UTC) + timedelta(days=1)).timestamp() * 1000)
    again = main(node("ghl.calendars.free_slots", {"calendarId": calendar["id"],
                                                   "startDate": from_ms,
                                                   "endDate": from_ms + 3 * 86_400_000}))
    assert again
