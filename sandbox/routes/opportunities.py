"""Opportunities: get, create, update, status, delete, upsert, followers (apps/opportunities.json).

Every change emits its webhook events; an update emits `OpportunityUpdate` plus one event per
kind of change (stage, status, value, owner), so one stage move arrives twice, as from GHL.
"""

from __future__ import annotations

from typing import Any

from sandbox.api import Call, Operations
from sandbox.clock import iso_ms
from sandbox.crm import Record
from sandbox.errors import bad_request, unprocessable
from sandbox.fields import merge_custom_fields
from sandbox.ids import new_id
from sandbox.views import opportunity as view
from sandbox.views import opportunity_event

ops = Operations("opportunities")

REAL_STATUSES = ("open", "won", "lost", "abandoned")
CHANGE_EVENTS = (
    (("pipelineId", "pipelineStageId"), "OpportunityStageUpdate"),
    (("status",), "OpportunityStatusUpdate"),
    (("monetaryValue",), "OpportunityMonetaryValueUpdate"),
    (("assignedTo",), "OpportunityAssignedToUpdate"),
)


@ops.route("GET", "/opportunities/{id}")
def get_opportunity(call: Call) -> dict[str, Any]:
    record = call.owned(call.crm.opportunities.get(call.path["id"]), "Opportunity")
    return {"opportunity": view(call.crm, record)}


@ops.route("POST", "/opportunities/")
def create_opportunity(call: Call) -> dict[str, Any]:
    body = call.body
    location = call.location(body["locationId"])
    contact = call.crm.contacts.get(body["contactId"])
    if contact is None or contact["locationId"] != location["id"]:
        raise bad_request("Contact not found")
    record = _create(call, location, contact, body)
    return {"opportunity": view(call.crm, record)}


@ops.route("PUT", "/opportunities/{id}")
def update_opportunity(call: Call) -> dict[str, Any]:
    record = call.owned(call.crm.opportunities.get(call.path["id"]), "Opportunity")
    _update(call, record, call.body)
    return {"opportunity": view(call.crm, record)}


@ops.route("PUT", "/opportunities/{id}/status")
def update_status(call: Call) -> dict[str, Any]:
    record = call.owned(call.crm.opportunities.get(call.path["id"]), "Opportunity")
    _update(call, record, {k: v for k, v in call.body.items() if k in ("status", "lostReasonId")})
    return {"succeded": True}


@ops.route("DELETE", "/opportunities/{id}")
def delete_opportunity(call: Call) -> dict[str, Any]:
    record = call.owned(call.crm.opportunities.get(call.path["id"]), "Opportunity")
    call.crm.delete_opportunity(record["id"])
    call.emit("OpportunityDelete", record["locationId"], opportunity_event(record))
    return {"succeded": True}


@ops.route("POST", "/opportunities/upsert")
def upsert_opportunity(call: Call) -> dict[str, Any]:
    """Update the opportunity named by `id`, or the contact's one in the pipeline; else create.

    Both body shapes are accepted (NOTES.md §2.9): the 2026 one (followers fields, no contactId)
    and the earlier one keyed by `contactId`.
    """
    body = call.body
    location = call.location(body["locationId"])
    fields = {k: v for k, v in body.items()
              if k not in ("id", "locationId", "contactId", "followers", "isRemoveAllFollowers",
                           "followersActionType")}
    record: Record | None = None
    contact: Record | None = None
    if body.get("id"):
        record = call.owned(call.crm.opportunities.get(body["id"]), "Opportunity")
    elif body.get("contactId"):
        contact = call.crm.contacts.get(body["contactId"])
        if contact is None or contact["locationId"] != location["id"]:
            raise bad_request("Contact not found")
        record = call.crm.opportunity_for(contact["id"], body["pipelineId"])
    else:
        raise unprocessable(["contactId should not be empty when id is not given"])
    if record is None:
        assert contact is not None
        create_body = {"name": _default_name(contact), "status": "open", **fields}
        record = _create(call, location, contact, create_body)
        created = True
    else:
        _update(call, record, fields)
        created = False
    _apply_followers(call, record, body)
    return {"opportunity": view(call.crm, record), "new": created}


@ops.route("POST", "/opportunities/{id}/followers")
def add_followers(call: Call) -> dict[str, Any]:
    record = call.owned(call.crm.opportunities.get(call.path["id"]), "Opportunity")
    wanted = _known_users(call, record["locationId"], call.body["followers"])
    added = [user for user in dict.fromkeys(wanted) if user not in record["followers"]]
    record["followers"] = [*record["followers"], *added]
    call.crm.changed("opportunities")
    return {"followers": list(record["followers"]), "followersAdded": added}


@ops.route("DELETE", "/opportunities/{id}/followers")
def remove_followers(call: Call) -> dict[str, Any]:
    record = call.owned(call.crm.opportunities.get(call.path["id"]), "Opportunity")
    if call.query.get("isRemoveAllFollowers"):
        removed = list(record["followers"])
    else:
        gone = set(call.body["followers"])
        removed = [user for user in record["followers"] if user in gone]
    record["followers"] = [user for user in record["followers"] if user not in removed]
    call.crm.changed("opportunities")
    return {"followers": list(record["followers"]), "followersRemoved": removed}


# -- shared by create, update, status and upsert ----------------------------------------------


def _create(call: Call, location: Record, contact: Record, body: dict[str, Any]) -> Record:
    crm = call.crm
    pipeline_id = body["pipelineId"]
    _pipeline(call, location["id"], pipeline_id)
    if not location["settings"].get("allowDuplicateOpportunity") and crm.opportunity_for(
        contact["id"], pipeline_id
    ):
        raise bad_request("Can not create duplicate opportunity for the contact.")
    now = call.now_ms()
    record: Record = {
        "id": new_id(),
        "name": "",
        "monetaryValue": 0,
        "pipelineId": pipeline_id,
        "pipelineStageId": crm.stage_ids(pipeline_id)[0],
        "assignedTo": None,
        "status": "open",
        "source": body.get("source") or "",
        "lastStatusChangeAt": iso_ms(now),
        "lastStageChangeAt": iso_ms(now),
        "lastActionDate": iso_ms(now),
        "indexVersion": 1,
        "createdAt": iso_ms(now),
        "updatedAt": iso_ms(now),
        "contactId": contact["id"],
        "locationId": location["id"],
        "customFields": [],
        "followers": [],
        "_created": now,
        "_updated": now,
    }
    _apply(call, record, {k: v for k, v in body.items() if k not in ("locationId", "contactId")})
    if record["assignedTo"] is None:
        del record["assignedTo"]
    crm.add_opportunity(record)
    call.emit("OpportunityCreate", location["id"], opportunity_event(record))
    return record


def _update(call: Call, record: Record, changes: dict[str, Any]) -> None:
    before = dict(record)
    _apply(call, record, changes)
    now = call.now_ms()
    if record["status"] != before["status"]:
        record["lastStatusChangeAt"] = iso_ms(now)
    if record["pipelineStageId"] != before["pipelineStageId"]:
        record["lastStageChangeAt"] = iso_ms(now)
    record["updatedAt"] = record["lastActionDate"] = iso_ms(now)
    record["_updated"] = now
    call.crm.changed("opportunities")
    payload = opportunity_event(record)
    call.emit("OpportunityUpdate", record["locationId"], payload)
    for keys, event_type in CHANGE_EVENTS:
        if any(before.get(key) != record.get(key) for key in keys):
            call.emit(event_type, record["locationId"], payload)


def _apply(call: Call, record: Record, changes: dict[str, Any]) -> None:
    """Check and write the given fields (pipeline, stage, status, value, owner, custom fields)."""
    crm, location_id = call.crm, record["locationId"]
    problems: list[str] = []
    if "name" in changes:
        if not str(changes["name"] or "").strip():
            problems.append("name should not be empty")
        record["name"] = str(changes["name"] or "").strip()
    if "status" in changes:
        if changes["status"] not in REAL_STATUSES:
            values = ", ".join(REAL_STATUSES)
            problems.append(f"status must be one of the following values: {values}")
        else:
            record["status"] = changes["status"]
    if "monetaryValue" in changes:
        value = changes["monetaryValue"]
        if isinstance(value, bool) or not isinstance(value, int | float):
            problems.append(
                "monetaryValue must be a number conforming to the specified constraints"
            )
        else:
            record["monetaryValue"] = value
    if problems:
        raise unprocessable(problems)
    pipeline_id = changes.get("pipelineId") or record["pipelineId"]
    if pipeline_id != record["pipelineId"]:
        _pipeline(call, location_id, pipeline_id)
    stage_id = changes.get("pipelineStageId")
    if stage_id:
        if crm.stage_pipeline.get(stage_id) != pipeline_id:
            raise bad_request(f"Pipeline stage {stage_id} is not a stage of pipeline {pipeline_id}")
    elif pipeline_id != record["pipelineId"]:
        stage_id = crm.stage_ids(pipeline_id)[0]  # moving pipelines lands in the first stage
    record["pipelineId"] = pipeline_id
    if stage_id:
        record["pipelineStageId"] = stage_id
    if changes.get("assignedTo"):
        _known_users(call, location_id, [changes["assignedTo"]])
        record["assignedTo"] = changes["assignedTo"]
    if changes.get("lostReasonId"):
        reason = crm.lost_reasons.get(changes["lostReasonId"])
        if reason is None or reason["locationId"] != location_id:
            raise bad_request(f"Lost reason {changes['lostReasonId']} not found")
        record["lostReasonId"] = changes["lostReasonId"]
    if record["status"] != "lost":
        record.pop("lostReasonId", None)
    if "customFields" in changes:
        record["customFields"] = merge_custom_fields(
            crm, location_id=location_id, model="opportunity", current=record["customFields"],
            incoming=changes["customFields"], value_key="fieldValue",
        )


def _apply_followers(call: Call, record: Record, body: dict[str, Any]) -> None:
    if body.get("isRemoveAllFollowers"):
        record["followers"] = []
    followers = body.get("followers") or []
    if not followers:
        return
    if body.get("followersActionType") == "remove":
        record["followers"] = [u for u in record["followers"] if u not in set(followers)]
    else:
        wanted = _known_users(call, record["locationId"], followers)
        record["followers"] += [u for u in dict.fromkeys(wanted) if u not in record["followers"]]


def _pipeline(call: Call, location_id: str, pipeline_id: str) -> Record:
    pipeline = call.crm.pipelines.get(pipeline_id)
    if pipeline is None or pipeline["locationId"] != location_id:
        raise bad_request(f"Pipeline {pipeline_id} not found")
    return pipeline


def _known_users(call: Call, location_id: str, user_ids: list[str]) -> list[str]:
    unknown = [u for u in user_ids if location_id not in
               call.crm.users.get(u, {}).get("roles", {}).get("locationIds", [])]
    if unknown:
        raise bad_request(f"User(s) not found in this location: {', '.join(map(str, unknown))}")
    return list(user_ids)


def _default_name(contact: Record) -> str:
    name = " ".join(p for p in (contact.get("firstName"), contact.get("lastName")) if p)
    return name or contact.get("email") or contact.get("phone") or "Opportunity"
