"""Finding contacts: the deprecated GET /contacts/ list and POST /contacts/search.

GET /contacts/ pages like opportunity search: `meta.startAfter` (dateAdded, ms) and
`meta.startAfterId` of the last row, newest first. POST /contacts/search takes the body GHL
documents outside the spec (its DTO is empty there, NOTES.md §10): `locationId`, `query`,
`filters` ({field, operator, value}, or {group: AND|OR, filters}), `sort`, `page`,
`pageLimit`, `searchAfter`; each returned contact carries its own `searchAfter`.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any
from urllib.parse import urlencode

from sandbox.api import Call, Operations
from sandbox.clock import parse_iso_ms
from sandbox.crm import Record
from sandbox.errors import bad_request, unprocessable
from sandbox.paging import Ordering, SortKey, position, walk
from sandbox.views import contact as view
from sandbox.views import full_name

ops = Operations("contact_search")

LIST_LIMIT, LIST_MAX = 20, 100
SEARCH_LIMIT, SEARCH_MAX = 20, 500
SEARCH_KEYS = {"locationId", "query", "filters", "sort", "page", "pageLimit", "searchAfter"}
SORTABLE: dict[str, Callable[[Record], Any]] = {
    "dateAdded": lambda c: c["_created"],
    "dateUpdated": lambda c: c["_updated"],
    "firstName": lambda c: str(c.get("firstName") or "").lower(),
    "lastName": lambda c: str(c.get("lastName") or "").lower(),
    "email": lambda c: str(c.get("email") or "").lower(),
    "companyName": lambda c: str(c.get("companyName") or "").lower(),
}
DATE_FIELDS = {"dateAdded": "_created", "dateUpdated": "_updated"}
OPERATORS = {"eq", "not_eq", "contains", "not_contains", "exists", "not_exists", "range"}


@ops.route("GET", "/contacts/")
def list_contacts(call: Call) -> dict[str, Any]:
    query = call.query
    location = call.location(query["locationId"])
    limit = int(query.get("limit", LIST_LIMIT))
    if not 1 <= limit <= LIST_MAX:
        raise unprocessable([f"limit must be between 1 and {LIST_MAX}"])
    ordering = _ordering(call, location["id"], "dateAdded")
    after = _after(ordering, query.get("startAfter"), query.get("startAfterId"), numeric=True)
    text = str(query.get("query") or "").strip().lower()
    accept = _text_filter(call, text)
    found = walk(ordering, descending=True, after=after, offset=0, limit=limit, accept=accept)
    total = call.state.sort_cache.count(
        ("contacts", location["id"], text), call.crm.versions["contacts"],
        lambda: sum(1 for key in ordering.keys if accept(key[1])),
    )
    records = [call.crm.contacts[i] for i in found.ids]
    skipped = position(ordering, descending=True, after=after) if not text else 0
    page = skipped // limit + 1
    meta: dict[str, Any] = {"total": total, "currentPage": page}
    if page > 1:
        meta["prevPage"] = page - 1
    if found.has_more and records:
        last = records[-1]
        meta.update(startAfterId=last["id"], startAfter=last["_created"], nextPage=page + 1)
        kept = [(k, v) for k, v in call.args.items(multi=True)
                if k not in ("startAfter", "startAfterId")]
        params = [*kept, ("startAfter", str(last["_created"])), ("startAfterId", last["id"])]
        meta["nextPageUrl"] = f"{call.base_url}/contacts/?{urlencode(params)}"
    return {"contacts": [view(r) for r in records], "count": total, "meta": meta}


@ops.route("POST", "/contacts/search")
def search_contacts(call: Call) -> dict[str, Any]:
    body = call.body
    unknown = sorted(set(body) - SEARCH_KEYS)
    if unknown:
        raise unprocessable([f"property {name} should not exist" for name in unknown])
    if not body.get("locationId"):
        raise unprocessable(["locationId should not be empty"])
    location = call.location(body["locationId"])
    limit = body.get("pageLimit", SEARCH_LIMIT)
    if not isinstance(limit, int) or isinstance(limit, bool) or not 1 <= limit <= SEARCH_MAX:
        raise unprocessable([f"pageLimit must be a number between 1 and {SEARCH_MAX}"])
    field, descending = _sort(body.get("sort"))
    ordering = _ordering(call, location["id"], field)
    after: SortKey | None = None
    if body.get("searchAfter"):
        cursor = body["searchAfter"]
        if not isinstance(cursor, list) or len(cursor) != 2:
            raise unprocessable(["searchAfter must be [sort value, contact id] of the last row"])
        after = (cursor[0], str(cursor[1]))
    page = body.get("page") or 1
    if not isinstance(page, int) or page < 1:
        raise unprocessable(["page must be a positive number"])
    text = str(body.get("query") or "").strip().lower()
    conditions = _conditions(body.get("filters") or [])
    by_text = _text_filter(call, text)

    def accept(contact_id: str) -> bool:
        return by_text(contact_id) and conditions(call.crm.contacts[contact_id])

    found = walk(ordering, descending=descending, after=after,
                 offset=0 if after else (page - 1) * limit, limit=limit, accept=accept)
    total = sum(1 for key in ordering.keys if accept(key[1]))
    contacts = []
    for contact_id in found.ids:
        record = call.crm.contacts[contact_id]
        contacts.append({**view(record), "searchAfter": list(ordering.key_of[contact_id])})
    return {"contacts": contacts, "total": total}


def _ordering(call: Call, location_id: str, field: str) -> Ordering:
    crm = call.crm
    return call.state.sort_cache.ordering(
        ("contacts", location_id, field),
        crm.versions["contacts"],
        lambda: (c for c in crm.contacts.values() if c["locationId"] == location_id),
        SORTABLE[field],
    )


def _after(
    ordering: Ordering, start_after: Any, start_after_id: Any, *, numeric: bool
) -> SortKey | None:
    if start_after_id and start_after not in (None, ""):
        try:
            return (int(float(start_after)), str(start_after_id))
        except ValueError:
            raise unprocessable(["startAfter must be a number (epoch milliseconds)"]) from None
    if start_after_id:
        key = ordering.key_of.get(str(start_after_id))
        if key is None:
            raise bad_request(f"startAfterId {start_after_id} is not a contact of this location")
        return key
    if start_after not in (None, "") and numeric:
        return (int(float(start_after)), "")
    return None


def _sort(sort: Any) -> tuple[str, bool]:
    if not sort:
        return "dateAdded", True
    if not isinstance(sort, list) or not isinstance(sort[0], dict):
        raise unprocessable(["sort must be an array of {field, direction}"])
    field, direction = sort[0].get("field"), str(sort[0].get("direction", "desc")).lower()
    if field not in SORTABLE:
        raise unprocessable([f"sort.0.field must be one of: {', '.join(SORTABLE)}"])
    if direction not in ("asc", "desc"):
        raise unprocessable(["sort.0.direction must be asc or desc"])
    return field, direction == "desc"


def _text_filter(call: Call, text: str) -> Callable[[str], bool]:
    if not text:
        return lambda _id: True
    contacts = call.crm.contacts

    def accept(contact_id: str) -> bool:
        c = contacts[contact_id]
        haystack = " ".join(str(v or "") for v in (
            full_name(c), c.get("email"), c.get("phone"), c.get("companyName"))).lower()
        return text in haystack

    return accept


def _conditions(filters: Any) -> Callable[[Record], bool]:
    """A predicate for GHL's filter list: all must hold (or any, inside an OR group)."""
    if not isinstance(filters, list):
        raise unprocessable(["filters must be an array"])
    checks = [_condition(item, index) for index, item in enumerate(filters)]
    return lambda contact: all(check(contact) for check in checks)


def _condition(item: Any, index: int) -> Callable[[Record], bool]:
    if not isinstance(item, dict):
        raise unprocessable([f"filters.{index} must be an object"])
    if "group" in item:
        inner = [_condition(sub, index) for sub in item.get("filters") or []]
        if str(item["group"]).upper() == "OR":
            return lambda contact: any(check(contact) for check in inner)
        return lambda contact: all(check(contact) for check in inner)
    field, operator, value = item.get("field"), item.get("operator"), item.get("value")
    if not field or operator not in OPERATORS:
        raise unprocessable([f"filters.{index} needs a field and an operator among "
                             f"{', '.join(sorted(OPERATORS))}"])

    def read(contact: Record) -> Any:
        if field in DATE_FIELDS:
            return contact[DATE_FIELDS[field]]
        return contact.get(field)

    if operator == "range":
        bounds = value if isinstance(value, dict) else {}
        limits = {k: _comparable(field, v) for k, v in bounds.items()}

        def in_range(contact: Record) -> bool:
            current = read(contact)
            if current is None:
                return False
            return all({"gt": current > v, "gte": current >= v, "lt": current < v,
                        "lte": current <= v}.get(k, True) for k, v in limits.items())

        return in_range
    if operator in ("exists", "not_exists"):
        wanted = operator == "exists"
        return lambda contact: (read(contact) not in (None, "", [])) == wanted
    expected = str(value).lower()

    def compare(contact: Record) -> bool:
        current = read(contact)
        values = [str(v).lower() for v in current] if isinstance(current, list) else [
            str(current).lower() if current is not None else ""]
        if operator in ("eq", "not_eq"):
            hit = expected in values
        else:
            hit = any(expected in v for v in values)
        return hit if operator in ("eq", "contains") else not hit

    return compare


def _comparable(field: str, value: Any) -> Any:
    if field in DATE_FIELDS and isinstance(value, str):
        try:
            return parse_iso_ms(value)
        except ValueError:
            raise unprocessable([f"{field} range bounds must be ISO dates or epoch ms"]) from None
    return value
