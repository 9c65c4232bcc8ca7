"""n8n's HighLevel node (resources contact, opportunity, task, calendar) onto Flowlane's
HighLevel nodes.

Each n8n operation names the HighLevel API operation it calls; the Flowlane node is the
curated one when registered (`ghl.opportunities.search`, ...), else the node generated for
that operation of the official spec. Values are collected under their API names and placed
on the node's params schema by `fit`. A HighLevel node without `resource`/`operation` means
the defaults (contact, "create or update"): `defaults.apply` has filled them in.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from server.importers.n8n.context import MapContext, Mapped, NeedsAttention
from server.importers.n8n.fit import find_type, fit
from server.importers.n8n.mappers import maps


@dataclass(frozen=True)
class Target:
    types: tuple[str, ...]
    operation_id: str
    method: str
    path: str


TARGETS: dict[tuple[str, str], Target] = {
    ("contact", "create"): Target(("ghl.contacts.upsert",), "upsert-contact", "POST",
                                  "/contacts/upsert"),
    ("contact", "update"): Target(("ghl.contacts.update",), "update-contact", "PUT",
                                  "/contacts/{contactId}"),
    ("contact", "get"): Target(("ghl.contacts.get",), "get-contact", "GET",
                               "/contacts/{contactId}"),
    ("contact", "delete"): Target(("ghl.contacts.delete",), "delete-contact", "DELETE",
                                  "/contacts/{contactId}"),
    ("contact", "getAll"): Target(("ghl.contacts.search", "ghl.contacts.list"),
                                  "search-contacts-advanced", "POST", "/contacts/search"),
    ("contact", "lookup"): Target((), "get-duplicate-contact", "GET",
                                  "/contacts/search/duplicate"),
    ("opportunity", "create"): Target(("ghl.opportunities.create",), "create-opportunity",
                                      "POST", "/opportunities"),
    ("opportunity", "update"): Target(("ghl.opportunities.update",), "update-opportunity",
                                      "PUT", "/opportunities/{id}"),
    ("opportunity", "get"): Target(("ghl.opportunities.get",), "get-opportunity", "GET",
                                   "/opportunities/{id}"),
    ("opportunity", "delete"): Target(("ghl.opportunities.delete",), "delete-opportunity",
                                      "DELETE", "/opportunities/{id}"),
    ("opportunity", "getAll"): Target(("ghl.opportunities.search",), "search-opportunity",
                                      "GET", "/opportunities/search"),
    ("task", "create"): Target(("ghl.tasks.create",), "create-task", "POST",
                               "/contacts/{contactId}/tasks"),
    ("task", "update"): Target(("ghl.tasks.update",), "update-task", "PUT",
                               "/contacts/{contactId}/tasks/{taskId}"),
    ("task", "get"): Target(("ghl.tasks.get",), "get-task", "GET",
                            "/contacts/{contactId}/tasks/{taskId}"),
    ("task", "delete"): Target(("ghl.tasks.delete",), "delete-task", "DELETE",
                               "/contacts/{contactId}/tasks/{taskId}"),
    ("task", "getAll"): Target(("ghl.tasks.list", "ghl.tasks.get_all"), "get-all-tasks", "GET",
                               "/contacts/{contactId}/tasks"),
    ("calendar", "bookAppointment"): Target(
        ("ghl.calendars.book_appointment", "ghl.appointments.create"), "create-appointment",
        "POST", "/calendars/events/appointments"),
    ("calendar", "getFreeSlots"): Target(("ghl.calendars.free_slots", "ghl.calendars.slots"),
                                         "get-slots", "GET", "/calendars/{calendarId}/free-slots"),
}

ALIASES: dict[str, list[str]] = {
    "id": ["opportunityId", "opportunity_id"],
    "pipelineStageId": ["stageId", "stage_id"],
    "pipeline_stage_id": ["pipelineStageId", "stageId"],
    "assigned_to": ["assignedTo"],
    "q": ["query", "search"],
    "query": ["q", "search"],
    "return_all": ["returnAll", "all", "paginate", "fetch_all"],
    "limit": ["pageLimit", "page_limit", "page_size"],
    "max_items": ["maxItems"],
    "date": ["startDate", "start_date"],
    "customFields": ["custom_fields"],
    "number": ["phone"],
}
_CONTACT_FIELDS = ("address1", "city", "dnd", "firstName", "lastName", "name", "postalCode",
                   "source", "state", "timezone", "website", "email", "phone", "companyName",
                   "country", "dateOfBirth", "gender")
_LOCATION = {"locationid", "location_id", "location"}


@maps("highLevel")
def high_level(ctx: MapContext) -> Mapped:
    resource, operation = str(ctx.get("resource")), str(ctx.get("operation"))
    target = TARGETS.get((resource, operation))
    if target is None:
        raise NeedsAttention(f"the HighLevel {resource} operation {operation!r} has no "
                             "Flowlane equivalent")
    spec = find_type(list(target.types), target.operation_id, (target.method, target.path))
    if spec is None:
        raise NeedsAttention(f"Flowlane's HighLevel node for {target.method} {target.path} "
                             f"({target.types[0]}) is not available in this version yet")
    if ctx.version < 2:
        ctx.need("it used HighLevel's retired API v1; Flowlane calls API v2: connect a Private "
                 "Integration Token or the OAuth app")
    values = _VALUES[resource](ctx, operation)
    fitted = fit(spec, values, ALIASES)
    missing = [name for name in fitted.missing if name.lower() not in _LOCATION]
    if missing:
        raise NeedsAttention(f"{spec.type} needs {', '.join(missing)}, which this node does not "
                             "give")
    for name in fitted.unplaced:
        if name in ("return_all", "max_items") and values.get(name) in (True, 0):
            continue  # the Flowlane node always returns everything
        if name == "limit":
            ctx.need(f"{spec.type} returns every result; n8n stopped after "
                     f"{values['limit']}: add a Limit step if that mattered")
            continue
        ctx.need(f"its HighLevel field {name!r} has no place on {spec.type}")
    return Mapped(spec.type, fitted.params, credential=_credential(ctx, spec.credential))


def _credential(ctx: MapContext, wanted: str | None) -> str | None:
    for n8n_type in ("highLevelOAuth2Api", "highLevelApi"):
        entry = ctx.node.credentials.get(n8n_type)
        if isinstance(entry, dict) and entry.get("name") and wanted:
            return str(entry["name"])[:200]
    return None


# -- values per resource, under their API names ------------------------------------------------


def _contact(ctx: MapContext, operation: str) -> dict[str, Any]:
    values: dict[str, Any] = {}
    if operation in ("get", "delete", "update"):
        values["contactId"] = ctx.param("contactId", "")
    if operation == "create":
        values.update(email=ctx.param("email") or None, phone=ctx.param("phone") or None)
        values.update(_contact_fields(ctx, "additionalFields"))
    elif operation == "update":
        values.update(_contact_fields(ctx, "updateFields"))
    elif operation == "getAll":
        values.update(_many(ctx, 50))
        query = ctx.option("query", None, "filters")
        values["query"] = ctx.value(query, "filters.query") if query else None
        for option in ("order", "sortBy"):
            if ctx.option(option):
                ctx.need(f"its {option} option is not carried over")
    elif operation == "lookup":
        values.update(email=ctx.param("email") or None, number=ctx.param("phone") or None)
    return values


def _contact_fields(ctx: MapContext, holder: str) -> dict[str, Any]:
    fields = ctx.get(holder) if isinstance(ctx.get(holder), dict) else {}
    values = {name: ctx.value(fields[name], f"{holder}.{name}") for name in _CONTACT_FIELDS
              if name in fields}
    if "tags" in fields:
        values["tags"] = _tags(ctx, fields["tags"], f"{holder}.tags")
    custom = fields.get("customFields")
    entries = custom.get("values") if isinstance(custom, dict) else None
    if entries:  # Flowlane's HighLevel nodes take {id, value} and send {id, field_value}
        values["customFields"] = [
            {"id": ctx.value(entry.get("fieldId", ""), f"{holder}.customFields"),
             "value": ctx.value(entry.get("fieldValue", ""), f"{holder}.customFields")}
            for entry in entries if isinstance(entry, dict)]
    if fields.get("notes"):
        ctx.need("n8n also added its 'Note' to the contact; add a HighLevel 'Create note' step "
                 "after it")
    return values


def _tags(ctx: MapContext, raw: Any, where: str) -> Any:
    if isinstance(raw, str) and not raw.startswith("="):
        return [tag.strip() for tag in raw.split(",") if tag.strip()]
    return ctx.value(raw, where)


def _many(ctx: MapContext, default_limit: int) -> dict[str, Any]:
    """n8n's "Return All" / "Limit" pair."""
    if ctx.get("returnAll"):
        return {"return_all": True, "max_items": 0}  # 0: no limit, as n8n's "return all"
    return {"return_all": False, "limit": ctx.param("limit", default_limit)}


def _opportunity(ctx: MapContext, operation: str) -> dict[str, Any]:
    values: dict[str, Any] = {}
    if operation in ("get", "delete", "update"):
        values["id"] = ctx.param("opportunityId", "")
    if operation == "create":
        extra = ctx.get("additionalFields") if isinstance(ctx.get("additionalFields"),
                                                          dict) else {}
        values.update(pipelineId=ctx.param("pipelineId", ""),
                      contactId=ctx.param("contactId", "") or None,
                      name=ctx.param("name", "") or ctx.param("title", "") or None,
                      status=ctx.param("status", "open"),
                      pipelineStageId=ctx.value(extra.get("stageId", ctx.get("stageId")),
                                                "stageId") or None)
        values.update(_named(ctx, extra, "additionalFields",
                             ("assignedTo", "monetaryValue", "companyName")))
        if "tags" in extra:
            values["tags"] = _tags(ctx, extra["tags"], "additionalFields.tags")
        if ctx.get("contactIdentifier"):
            values["contactId"] = ctx.param("contactIdentifier")
    elif operation == "update":
        fields = ctx.get("updateFields") if isinstance(ctx.get("updateFields"), dict) else {}
        values.update(_named(ctx, fields, "updateFields",
                             ("assignedTo", "monetaryValue", "name", "pipelineId", "status")))
        if "stageId" in fields:
            values["pipelineStageId"] = ctx.value(fields["stageId"], "updateFields.stageId")
        if "title" in fields:
            values["name"] = ctx.value(fields["title"], "updateFields.title")
    elif operation == "getAll":
        values.update(_many(ctx, 20))
        filters = ctx.get("filters") if isinstance(ctx.get("filters"), dict) else {}
        renamed = {"assignedTo": "assigned_to", "pipelineId": "pipeline_id",
                   "stageId": "pipeline_stage_id", "startDate": "date", "query": "q",
                   "status": "status", "campaignId": "campaignId", "endDate": "endDate"}
        for name, api_name in renamed.items():
            if name in filters and filters[name] not in ("", None):
                values[api_name] = ctx.value(filters[name], f"filters.{name}")
    return values


def _named(ctx: MapContext, fields: dict[str, Any], holder: str,
           names: tuple[str, ...]) -> dict[str, Any]:
    return {name: ctx.value(fields[name], f"{holder}.{name}") for name in names
            if name in fields and fields[name] not in ("", None)}


def _task(ctx: MapContext, operation: str) -> dict[str, Any]:
    values: dict[str, Any] = {"contactId": ctx.param("contactId", "")}
    if operation in ("get", "delete", "update"):
        values["taskId"] = ctx.param("taskId", "")
    if operation == "create":
        extra = ctx.get("additionalFields") if isinstance(ctx.get("additionalFields"),
                                                          dict) else {}
        values.update(title=ctx.param("title", ""), dueDate=ctx.param("dueDate", ""),
                      completed=ctx.param("completed", False))
        values.update(_named(ctx, extra, "additionalFields", ("assignedTo", "body")))
    elif operation == "update":
        fields = ctx.get("updateFields") if isinstance(ctx.get("updateFields"), dict) else {}
        values.update(_named(ctx, fields, "updateFields",
                             ("assignedTo", "completed", "body", "dueDate", "title")))
    elif operation == "getAll":
        values.update(_many(ctx, 20))
    return values


def _calendar(ctx: MapContext, operation: str) -> dict[str, Any]:
    extra = ctx.get("additionalFields") if isinstance(ctx.get("additionalFields"), dict) else {}
    values: dict[str, Any] = {"calendarId": ctx.param("calendarId", "")}
    if operation == "bookAppointment":
        values.update(locationId=ctx.param("locationId") or None,
                      contactId=ctx.param("contactId", ""), startTime=ctx.param("startTime", ""))
        values.update(_named(ctx, extra, "additionalFields",
                             ("endTime", "title", "appointmentStatus", "assignedUserId",
                              "address", "ignoreDateRange", "toNotify")))
    else:
        values.update(startDate=ctx.param("startDate", ""), endDate=ctx.param("endDate", ""))
        values.update(_named(ctx, extra, "additionalFields",
                             ("timezone", "userId", "enableLookBusy")))
        user_ids = extra.get("userIds")
        if isinstance(user_ids, dict) and user_ids.get("userIds"):
            values["userIds"] = _tags(ctx, user_ids["userIds"], "additionalFields.userIds")
    return values


_VALUES = {"contact": _contact, "opportunity": _opportunity, "task": _task,
           "calendar": _calendar}
