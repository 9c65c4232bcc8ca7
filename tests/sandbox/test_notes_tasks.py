"""Notes and tasks of a contact: full CRUD, read back through the API."""

from __future__ import annotations

from tests.sandbox.client import Ghl
from tests.sandbox.helpers import new_contact, users


def test_note_crud(ghl: Ghl, location_id: str) -> None:
    contact = new_contact(ghl, location_id, email="notes@example.org")["id"]
    author = users(ghl, location_id)[0]["id"]
    created = ghl.post(f"/contacts/{contact}/notes",
                       json={"body": "First call went well", "userId": author,
                             "title": "Call", "color": "#FFAA00", "pinned": True})
    assert created.status_code == 201
    note = created.json()["note"]
    assert (note["contactId"], note["userId"], note["pinned"]) == (contact, author, True)

    assert ghl.get(f"/contacts/{contact}/notes/{note['id']}").json()["note"] == note
    updated = ghl.put(f"/contacts/{contact}/notes/{note['id']}", json={"body": "Edited"})
    assert updated.json()["note"]["body"] == "Edited"
    assert updated.json()["note"]["title"] == "Call"
    listed = ghl.get(f"/contacts/{contact}/notes").json()["notes"]
    assert [n["id"] for n in listed] == [note["id"]]

    deleted = ghl.delete(f"/contacts/{contact}/notes/{note['id']}")
    assert deleted.json() == {"succeded": True}
    assert ghl.get(f"/contacts/{contact}/notes").json()["notes"] == []
    assert ghl.get(f"/contacts/{contact}/notes/{note['id']}").status_code == 404


def test_note_body_is_required(ghl: Ghl, location_id: str) -> None:
    contact = new_contact(ghl, location_id, email="nobody@example.org")["id"]
    response = ghl.post(f"/contacts/{contact}/notes", json={"title": "empty"})
    assert response.status_code == 422
    assert response.json()["message"] == ["body should not be empty"]


def test_notes_of_an_unknown_contact(ghl: Ghl) -> None:
    response = ghl.get("/contacts/doesNotExist000000000/notes")
    assert response.status_code == 404
    assert response.json()["message"] == "Contact not found"


def test_task_crud_and_completion(ghl: Ghl, location_id: str) -> None:
    contact = new_contact(ghl, location_id, email="tasks@example.org")["id"]
    owner = users(ghl, location_id)[1]["id"]
    created = ghl.post(f"/contacts/{contact}/tasks", json={
        "title": "Send proposal", "body": "PDF", "dueDate": "2030-05-01T09:00:00Z",
        "completed": False, "assignedTo": owner})
    assert created.status_code == 201
    task = created.json()["task"]
    assert (task["title"], task["assignedTo"], task["completed"]) == ("Send proposal", owner,
                                                                      False)
    assert ghl.get(f"/contacts/{contact}/tasks/{task['id']}").json()["task"]["body"] == "PDF"

    updated = ghl.put(f"/contacts/{contact}/tasks/{task['id']}", json={"title": "Send v2"})
    assert updated.json()["task"]["title"] == "Send v2"
    done = ghl.put(f"/contacts/{contact}/tasks/{task['id']}/completed", json={"completed": True})
    assert done.json()["task"]["completed"] is True
    assert [t["completed"] for t in ghl.get(f"/contacts/{contact}/tasks").json()["tasks"]] == [
        True]

    assert ghl.delete(f"/contacts/{contact}/tasks/{task['id']}").json() == {"succeded": True}
    assert ghl.get(f"/contacts/{contact}/tasks").json()["tasks"] == []


def test_task_requires_title_due_date_and_completed(ghl: Ghl, location_id: str) -> None:
    contact = new_contact(ghl, location_id, email="tasks2@example.org")["id"]
    response = ghl.post(f"/contacts/{contact}/tasks", json={"body": "?"})
    assert response.status_code == 422
    assert set(response.json()["message"]) == {"title should not be empty",
                                               "dueDate should not be empty",
                                               "completed should not be empty"}
