"""Tasks on a contact: list, create, get, update, complete, delete (apps/contacts.json).

Completing a task (through PUT .../completed or an update setting `completed`) emits
TaskComplete; there is no documented event for other task edits.
"""

from __future__ import annotations

from typing import Any

from sandbox.api import Call, Operations
from sandbox.clock import parse_iso_ms
from sandbox.crm import Record
from sandbox.errors import bad_request, not_found, unprocessable
from sandbox.ids import new_id
from sandbox.views import task as view
from sandbox.views import task_event

ops = Operations("tasks")
WRITABLE = ("title", "body", "dueDate", "completed", "assignedTo")


@ops.route("GET", "/contacts/{contactId}/tasks")
def list_tasks(call: Call) -> dict[str, Any]:
    contact = _contact(call)
    return {"tasks": [view(t) for t in call.crm.tasks_of(contact["id"])]}


@ops.route("POST", "/contacts/{contactId}/tasks")
def create_task(call: Call) -> dict[str, Any]:
    contact = _contact(call)
    task: Record = {"id": new_id(), "contactId": contact["id"], "completed": False,
                    "dateAdded": call.state.clock.iso()}
    _write(call, contact, task, call.body)
    call.crm.add_task(task)
    call.emit("TaskCreate", contact["locationId"], task_event(task))
    if task["completed"]:
        call.emit("TaskComplete", contact["locationId"], task_event(task))
    return {"task": view(task)}


@ops.route("GET", "/contacts/{contactId}/tasks/{taskId}")
def get_task(call: Call) -> dict[str, Any]:
    return {"task": view(_task(call, _contact(call)))}


@ops.route("PUT", "/contacts/{contactId}/tasks/{taskId}")
def update_task(call: Call) -> dict[str, Any]:
    contact = _contact(call)
    task = _task(call, contact)
    _change(call, contact, task, call.body)
    return {"task": view(task)}


@ops.route("PUT", "/contacts/{contactId}/tasks/{taskId}/completed")
def complete_task(call: Call) -> dict[str, Any]:
    contact = _contact(call)
    task = _task(call, contact)
    _change(call, contact, task, {"completed": call.body["completed"]})
    return {"task": view(task)}


@ops.route("DELETE", "/contacts/{contactId}/tasks/{taskId}")
def delete_task(call: Call) -> dict[str, Any]:
    contact = _contact(call)
    task = call.crm.delete_task(_task(call, contact)["id"])
    call.emit("TaskDelete", contact["locationId"], task_event(task))
    return {"succeded": True}


def _contact(call: Call) -> Record:
    return call.owned(call.crm.contacts.get(call.path["contactId"]), "Contact")


def _task(call: Call, contact: Record) -> Record:
    task = call.crm.tasks.get(call.path["taskId"])
    if task is None or task["contactId"] != contact["id"]:
        raise not_found("Task not found")
    return task


def _change(call: Call, contact: Record, task: Record, changes: dict[str, Any]) -> None:
    was_done = task["completed"]
    _write(call, contact, task, changes)
    if task["completed"] and not was_done:
        call.emit("TaskComplete", contact["locationId"], task_event(task))


def _write(call: Call, contact: Record, task: Record, body: dict[str, Any]) -> None:
    if "dueDate" in body:
        try:
            parse_iso_ms(str(body["dueDate"]))
        except ValueError:
            raise unprocessable(["dueDate must be a valid ISO 8601 date string"]) from None
    user_id = body.get("assignedTo")
    if user_id and contact["locationId"] not in (
        call.crm.users.get(user_id, {}).get("roles", {}).get("locationIds", [])
    ):
        raise bad_request(f"User {user_id} not found in this location")
    task.update({key: body[key] for key in WRITABLE if key in body})
