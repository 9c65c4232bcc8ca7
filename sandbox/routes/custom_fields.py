"""A location's custom fields (apps/locations.json /locations/{locationId}/customFields):
definitions for contacts and opportunities, referred to by id or `fieldKey` when writing values."""

from __future__ import annotations

import re
from typing import Any

from sandbox.api import Call, Operations
from sandbox.crm import Record
from sandbox.errors import bad_request, not_found
from sandbox.ids import new_id

ops = Operations("custom_fields")
BASE = "/locations/{locationId}/customFields"
WRITABLE = ("name", "placeholder", "position", "acceptedFormat", "isMultipleFile",
            "maxNumberOfFiles")


@ops.route("GET", BASE)
def list_fields(call: Call) -> dict[str, Any]:
    location = call.location(call.path["locationId"])
    model = call.query.get("model")
    fields = [f for f in call.crm.in_location(call.crm.custom_fields, location["id"])
              if model in (None, "all") or f["model"] == model]
    return {"customFields": [dict(f) for f in sorted(fields, key=lambda f: f["position"])]}


@ops.route("POST", BASE)
def create_field(call: Call) -> dict[str, Any]:
    location = call.location(call.path["locationId"])
    body = call.body
    model = body.get("model") or "contact"
    key = f"{model}.{_slug(body['name'])}"
    if any(f["fieldKey"] == key for f in call.crm.in_location(call.crm.custom_fields,
                                                              location["id"])):
        raise bad_request(f"A custom field with the key {key} already exists")
    field: Record = {
        "id": new_id(),
        "name": body["name"],
        "fieldKey": key,
        "placeholder": body.get("placeholder", ""),
        "dataType": body["dataType"],
        "position": body.get("position", 0),
        "picklistOptions": [o.get("label", "") if isinstance(o, dict) else str(o)
                            for o in body.get("textBoxListOptions") or []],
        "locationId": location["id"],
        "model": model,
    }
    call.crm.custom_fields[field["id"]] = field
    return {"customField": dict(field)}


@ops.route("GET", BASE + "/{id}")
def get_field(call: Call) -> dict[str, Any]:
    return {"customField": dict(_field(call))}


@ops.route("PUT", BASE + "/{id}")
def update_field(call: Call) -> dict[str, Any]:
    field = _field(call)
    field.update({key: call.body[key] for key in WRITABLE if key in call.body})
    if "textBoxListOptions" in call.body:
        field["picklistOptions"] = [o.get("label", "") if isinstance(o, dict) else str(o)
                                    for o in call.body["textBoxListOptions"]]
    return {"customField": dict(field)}


@ops.route("DELETE", BASE + "/{id}")
def delete_field(call: Call) -> dict[str, Any]:
    field = _field(call)
    del call.crm.custom_fields[field["id"]]
    return {"succeded": True}


def _field(call: Call) -> Record:
    location = call.location(call.path["locationId"])
    field = call.crm.custom_fields.get(call.path["id"])
    if field is None or field["locationId"] != location["id"]:
        raise not_found("Custom field not found")
    return field


def _slug(name: str) -> str:
    return re.sub(r"[^a-z0-9]+", "_", name.lower()).strip("_") or "field"
