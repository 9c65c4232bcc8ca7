"""Opportunity search: GET /opportunities/search (filters, cursor pages) and POST (searchAfter).

GET takes the spec's snake_case filters (`location_id`, `pipeline_id`, `pipeline_stage_id`,
`contact_id`, `assigned_to`) beside camelCase ones (NOTES.md §8.1) and pages by cursor:
`meta.startAfter` + `meta.startAfterId` (or `meta.nextPageUrl`, which carries every filter)
lead to the next page until a page comes back without them. `limit` is 1..100, default 20.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import UTC, datetime
from typing import Any
from urllib.parse import urlencode

from sandbox.api import Call, Operations
from sandbox.crm import Record
from sandbox.errors import bad_request, unprocessable
from sandbox.paging import Ordering, SortKey, walk
from sandbox.views import full_name
from sandbox.views import opportunity as view

ops = Operations("opportunity_search")

DEFAULT_LIMIT, MAX_LIMIT = 20, 100
# `order` is free text in the spec; v3 documents added_asc/added_desc/name_asc/name_desc.
# updated_asc/updated_desc are a sandbox addition for pollers that follow changes.
ORDERS: dict[str, tuple[str, bool]] = {
    "added_asc": ("added", False),
    "added_desc": ("added", True),
    "name_asc": ("name", False),
    "name_desc": ("name", True),
    "updated_asc": ("updated", False),
    "updated_desc": ("updated", True),
}
DEFAULT_ORDER = "added_desc"
SORT_VALUES: dict[str, Callable[[Record], Any]] = {
    "added": lambda r: r["_created"],
    "updated": lambda r: r["_updated"],
    "name": lambda r: str(r.get("name") or "").lower(),
}
CURSOR_PARAMS = ("startAfter", "startAfterId", "page")


@ops.route("GET", "/opportunities/search")
def search(call: Call) -> dict[str, Any]:
    query = call.query
    location = call.location(query["location_id"])
    limit = _limit(query.get("limit", DEFAULT_LIMIT), "limit")
    order = query.get("order") or DEFAULT_ORDER
    if order not in ORDERS:
        raise unprocessable([f"order must be one of the following values: {', '.join(ORDERS)}"])
    kind, descending = ORDERS[order]
    page = max(1, int(query.get("page", 1)))
    ordering = _ordering(call, location["id"], kind)
    after = _cursor(ordering, kind, descending, query.get("startAfter"), query.get("startAfterId"))
    accept, filter_key = _filters(call, query)
    found = walk(
        ordering,
        descending=descending,
        after=after,
        offset=0 if after else (page - 1) * limit,
        limit=limit,
        accept=accept,
    )
    total = call.state.sort_cache.count(
        ("opportunities", location["id"], filter_key),
        call.crm.versions["opportunities"],
        lambda: sum(1 for key in ordering.keys if accept(key[1])),
    )
    records = [call.crm.opportunities[i] for i in found.ids]
    meta: dict[str, Any] = {"total": total, "currentPage": page}
    if page > 1:
        meta["prevPage"] = page - 1
    if found.has_more and records:
        last = records[-1]
        cursor = {"startAfter": last["_updated"] if kind == "updated" else last["_created"],
                  "startAfterId": last["id"]}
        meta.update(cursor, nextPage=page + 1)
        kept = [(k, v) for k, v in call.args.items(multi=True) if k not in CURSOR_PARAMS]
        params = [*kept, ("startAfter", str(cursor["startAfter"])),
                  ("startAfterId", last["id"]), ("page", str(page + 1))]
        meta["nextPageUrl"] = f"{call.base_url}/opportunities/search?{urlencode(params)}"
    return {
        "opportunities": [
            view(call.crm, r, notes=bool(query.get("getNotes")), tasks=bool(query.get("getTasks")),
                 calendar_events=bool(query.get("getCalendarEvents")))
            for r in records
        ],
        "meta": meta,
        "aggregations": {},
    }


@ops.route("POST", "/opportunities/search")
def search_advanced(call: Call) -> dict[str, Any]:
    """The body search: `query`, `limit`, `page`, `searchAfter` = [added ms, id] of the last row."""
    body = call.body
    location = call.location(body["locationId"])
    limit = _limit(body.get("limit", DEFAULT_LIMIT), "limit")
    page = body.get("page") or 1
    if isinstance(page, bool) or not isinstance(page, int | float):
        raise unprocessable(["page must be a number conforming to the specified constraints"])
    ordering = _ordering(call, location["id"], "added")
    after: SortKey | None = None
    search_after = body.get("searchAfter") or []
    if search_after:
        if len(search_after) != 2:
            raise unprocessable(["searchAfter must hold the sort value and the id of a row"])
        after = _cursor(ordering, "added", True, search_after[0], str(search_after[1]))
    text = str(body.get("query") or "").strip()
    query = {"q": text} if text else {}
    accept, filter_key = _filters(call, query)
    found = walk(ordering, descending=True, after=after,
                 offset=0 if after else (max(1, int(page)) - 1) * limit, limit=limit,
                 accept=accept)
    total = call.state.sort_cache.count(
        ("opportunities", location["id"], filter_key),
        call.crm.versions["opportunities"],
        lambda: sum(1 for key in ordering.keys if accept(key[1])),
    )
    details = body.get("additionalDetails") or {}
    return {
        "opportunities": [
            view(call.crm, call.crm.opportunities[i], notes=bool(details.get("notes")),
                 tasks=bool(details.get("tasks")),
                 calendar_events=bool(details.get("calendarEvents")))
            for i in found.ids
        ],
        "total": total,
        "aggregations": {},
    }


def _limit(value: Any, name: str) -> int:
    if isinstance(value, bool) or not isinstance(value, int | float):
        raise unprocessable([f"{name} must be a number conforming to the specified constraints"])
    if value > MAX_LIMIT:
        raise unprocessable([f"{name} must not be greater than {MAX_LIMIT}"])
    if value < 1:
        raise unprocessable([f"{name} must not be less than 1"])
    return int(value)


def _ordering(call: Call, location_id: str, kind: str) -> Ordering:
    crm = call.crm
    return call.state.sort_cache.ordering(
        ("opportunities", location_id, kind),
        crm.versions["opportunities"],
        lambda: (r for r in crm.opportunities.values() if r["locationId"] == location_id),
        SORT_VALUES[kind],
    )


def _cursor(
    ordering: Ordering, kind: str, descending: bool, start_after: Any, start_after_id: str | None
) -> SortKey | None:
    """Where the previous page ended. A numeric cursor stays valid when its row has moved."""
    if start_after in (None, "") and not start_after_id:
        return None
    if kind != "name" and start_after not in (None, ""):
        try:
            value = int(float(start_after))
        except (TypeError, ValueError):
            raise unprocessable(["startAfter must be a number (epoch milliseconds)"]) from None
        if start_after_id:
            return (value, start_after_id)
        return (value, "" if descending else "\U0010ffff")
    key = ordering.key_of.get(start_after_id or "")
    if key is None:
        raise bad_request(f"startAfterId {start_after_id} is not a row of this search")
    return key


def _filters(call: Call, query: dict[str, Any]) -> tuple[Callable[[str], bool], tuple[Any, ...]]:
    """A predicate over opportunity ids for the query's filters, and a key naming them."""
    crm = call.crm
    equal = {field: query[param] for param, field in (
        ("pipeline_id", "pipelineId"), ("pipeline_stage_id", "pipelineStageId"),
        ("contact_id", "contactId"), ("assigned_to", "assignedTo"), ("id", "id"),
        ("campaignId", "campaignId"),
    ) if query.get(param)}
    status = query.get("status")
    if status and status != "all":
        equal["status"] = status
    text = str(query.get("q") or "").strip().lower()
    country = query.get("country")
    start = _day(query.get("date"), "date")
    end = _day(query.get("endDate"), "endDate")
    end_ms = end + 86_400_000 if end is not None else None

    def accept(record_id: str) -> bool:
        record = crm.opportunities[record_id]
        for field, value in equal.items():
            if record.get(field) != value:
                return False
        if start is not None and record["_created"] < start:
            return False
        if end_ms is not None and record["_created"] >= end_ms:
            return False
        if text or country:
            contact = crm.contacts.get(record["contactId"], {})
            if country and contact.get("country") != country:
                return False
            if text:
                haystack = " ".join(str(v or "") for v in (
                    record.get("name"), full_name(contact), contact.get("email"),
                    contact.get("phone"), contact.get("companyName"))).lower()
                if text not in haystack:
                    return False
        return True

    key = (tuple(sorted(equal.items())), text, country, start, end)
    return accept, key


def _day(value: Any, name: str) -> int | None:
    """Midnight UTC (epoch ms) of a `mm-dd-yyyy` date (the spec's format; ISO also accepted)."""
    if not value:
        return None
    for pattern in ("%m-%d-%Y", "%Y-%m-%d"):
        try:
            day = datetime.strptime(str(value)[:10], pattern).replace(tzinfo=UTC)
        except ValueError:
            continue
        return int(day.timestamp() * 1000)
    raise unprocessable([f"{name} must be a date in mm-dd-yyyy format"])

