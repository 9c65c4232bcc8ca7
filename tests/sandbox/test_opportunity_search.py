"""Opportunity search: the spec's filters and cursor pagination, GET and POST."""

from __future__ import annotations

from datetime import datetime
from typing import Any
from urllib.parse import parse_qsl, urlsplit

import httpx

from tests.sandbox.client import Ghl
from tests.sandbox.helpers import new_opportunity, pipelines, search_all, users


def everything(ghl: Ghl, location_id: str, **filters: Any) -> list[dict[str, Any]]:
    """All matching rows, read in pages of 100 by offset (a second path to compare with)."""
    rows: list[dict[str, Any]] = []
    page = 1
    while True:
        body = ghl.get("/opportunities/search", params={
            "location_id": location_id, "limit": 100, "page": page, **filters}).json()
        rows += body["opportunities"]
        if "nextPage" not in body["meta"]:
            return rows
        page += 1


def test_default_page_and_meta(ghl: Ghl, location_id: str) -> None:
    response = ghl.get("/opportunities/search", params={"location_id": location_id})
    assert response.status_code == 200
    body = response.json()
    assert len(body["opportunities"]) == 20  # the default limit
    meta = body["meta"]
    assert meta["total"] == 200
    assert (meta["currentPage"], meta["nextPage"]) == (1, 2)
    assert "prevPage" not in meta
    last = body["opportunities"][-1]
    assert meta["startAfterId"] == last["id"]
    assert isinstance(meta["startAfter"], int)
    assert body["aggregations"] == {}


def test_cursor_pagination_reads_everything_once(ghl: Ghl, location_id: str) -> None:
    ids, metas = search_all(ghl, {"location_id": location_id, "limit": 17})
    assert len(ids) == len(set(ids)) == 200
    assert all(m["total"] == 200 for m in metas)
    assert [m["currentPage"] for m in metas[:3]] == [1, 1, 1]  # the cursor alone carries no page
    assert metas[-1].keys().isdisjoint({"startAfterId", "startAfter", "nextPage", "nextPageUrl"})
    assert {o["id"] for o in everything(ghl, location_id)} == set(ids)


def test_next_page_url_keeps_every_filter(ghl: Ghl, location_id: str) -> None:
    pipeline = pipelines(ghl, location_id)[0]["id"]
    params = {"location_id": location_id, "pipeline_id": pipeline, "status": "open", "limit": 9}
    seen: list[str] = []
    response = ghl.get("/opportunities/search", params=params)
    pages = 1
    while True:
        body = response.json()
        seen += [o["id"] for o in body["opportunities"]]
        assert all(o["pipelineId"] == pipeline and o["status"] == "open"
                   for o in body["opportunities"])
        url = body["meta"].get("nextPageUrl")
        if not url:
            break
        parts = urlsplit(url)
        query = dict(parse_qsl(parts.query))
        assert query["pipeline_id"] == pipeline and query["status"] == "open"
        assert int(query["page"]) == body["meta"]["currentPage"] + 1
        response = ghl.get(parts.path, params=query)
        pages += 1
    assert len(seen) == len(set(seen)) == body["meta"]["total"]
    assert pages > 1
    assert body["meta"]["currentPage"] == pages


def test_pages_stay_whole_when_data_changes_between_them(ghl: Ghl, location_id: str) -> None:
    """A row created or deleted mid-read neither repeats nor hides the rows that stay."""
    original = {o["id"] for o in everything(ghl, location_id)}
    first = ghl.get("/opportunities/search", params={"location_id": location_id, "limit": 50})
    meta = first.json()["meta"]
    seen = [o["id"] for o in first.json()["opportunities"]]
    created = new_opportunity(ghl, location_id)
    ghl.delete(f"/opportunities/{seen[10]}")
    rest, _ = search_all(ghl, {"location_id": location_id, "limit": 50,
                               "startAfter": meta["startAfter"],
                               "startAfterId": meta["startAfterId"]})
    assert not set(seen) & set(rest)
    assert set(seen) | set(rest) == original
    assert created["id"] not in rest  # newest first: it sorts before the cursor


def test_filters(ghl: Ghl, location_id: str) -> None:
    sales = pipelines(ghl, location_id)[0]
    stage = sales["stages"][1]["id"]
    owner = users(ghl, location_id)[0]["id"]
    all_rows = everything(ghl, location_id)

    def ids(**filters: Any) -> set[str]:
        return {o["id"] for o in everything(ghl, location_id, **filters)}

    assert ids(pipeline_id=sales["id"]) == {o["id"] for o in all_rows
                                            if o["pipelineId"] == sales["id"]}
    assert ids(pipeline_stage_id=stage) == {o["id"] for o in all_rows
                                            if o["pipelineStageId"] == stage}
    assert ids(status="won") == {o["id"] for o in all_rows if o["status"] == "won"}
    assert ids(status="all") == {o["id"] for o in all_rows}
    assert ids(assigned_to=owner) == {o["id"] for o in all_rows if o.get("assignedTo") == owner}
    one = all_rows[7]
    assert ids(contact_id=one["contactId"]) == {one["id"]}
    assert ids(id=one["id"]) == {one["id"]}
    assert ids(q=one["contact"]["email"]) == {one["id"]}
    assert one["id"] in ids(q=one["name"].split(" - ")[0].upper())


def test_date_range(ghl: Ghl, location_id: str) -> None:
    rows = everything(ghl, location_id, order="added_asc")
    day = rows[100]["createdAt"][:10]  # yyyy-mm-dd
    year, month, date = day.split("-")
    wanted = {o["id"] for o in rows if o["createdAt"][:10] == day}
    found = {o["id"] for o in everything(ghl, location_id, date=f"{month}-{date}-{year}",
                                         endDate=f"{month}-{date}-{year}")}
    assert found == wanted and found


def test_orders(ghl: Ghl, location_id: str) -> None:
    newest = everything(ghl, location_id)
    assert [o["createdAt"] for o in newest] == sorted((o["createdAt"] for o in newest),
                                                      reverse=True)
    oldest = everything(ghl, location_id, order="added_asc")
    assert [o["id"] for o in oldest] == [o["id"] for o in reversed(newest)]
    names = [o["name"].lower() for o in everything(ghl, location_id, order="name_asc")]
    assert names == sorted(names)


def test_limit_bounds(ghl: Ghl, location_id: str) -> None:
    too_many = ghl.get("/opportunities/search", params={"location_id": location_id,
                                                         "limit": 101})
    assert too_many.status_code == 422
    assert too_many.json()["message"] == ["limit must not be greater than 100"]
    hundred = ghl.get("/opportunities/search", params={"location_id": location_id, "limit": 100})
    assert len(hundred.json()["opportunities"]) == 100


def test_location_is_required_and_snake_case(ghl: Ghl, location_id: str) -> None:
    camel = ghl.get("/opportunities/search", params={"locationId": location_id})
    assert camel.status_code == 422
    assert camel.json()["message"] == ["location_id should not be empty"]


def test_embedded_notes_tasks_and_events_on_request(ghl: Ghl, location_id: str) -> None:
    opportunity = new_opportunity(ghl, location_id)
    contact = opportunity["contactId"]
    ghl.post(f"/contacts/{contact}/notes", json={"body": "Met at the expo"})
    ghl.post(f"/contacts/{contact}/tasks", json={"title": "Call back", "completed": False,
                                                 "dueDate": "2030-01-02T10:00:00Z"})
    plain = ghl.get("/opportunities/search", params={"location_id": location_id,
                                                     "contact_id": contact}).json()
    assert "notes" not in plain["opportunities"][0]
    rich = ghl.get("/opportunities/search", params={
        "location_id": location_id, "contact_id": contact, "getNotes": "true",
        "getTasks": "true", "getCalendarEvents": "true"}).json()["opportunities"][0]
    assert [n["body"] for n in rich["notes"]] == ["Met at the expo"]
    assert [t["title"] for t in rich["tasks"]] == ["Call back"]
    assert rich["calendarEvents"] == []


def test_post_search_pages_with_search_after(ghl: Ghl, location_id: str) -> None:
    details = {"notes": False, "tasks": False, "calendarEvents": False,
               "unReadConversations": False}
    body: dict[str, Any] = {"locationId": location_id, "query": "", "limit": 60, "page": 1,
                            "searchAfter": [], "additionalDetails": details}
    ids: list[str] = []
    while True:
        response = ghl.post("/opportunities/search", json=body)
        assert response.status_code == 200
        page = response.json()
        assert page["total"] == 200
        ids += [o["id"] for o in page["opportunities"]]
        if len(page["opportunities"]) < 60:
            break
        last = page["opportunities"][-1]
        created_ms = int(iso_ms(last["createdAt"]))
        body["searchAfter"] = [str(created_ms), last["id"]]
    assert len(ids) == len(set(ids)) == 200


def test_post_search_query(ghl: Ghl, location_id: str) -> None:
    opportunity = new_opportunity(ghl, location_id, name="Zebra Stripes Inc - pilot")
    response = ghl.post("/opportunities/search", json={
        "locationId": location_id, "query": "zebra stripes", "limit": 10, "page": 1,
        "searchAfter": [], "additionalDetails": {"notes": True, "tasks": False,
                                                 "calendarEvents": False,
                                                 "unReadConversations": False}})
    found = response.json()
    assert [o["id"] for o in found["opportunities"]] == [opportunity["id"]]
    assert found["opportunities"][0]["notes"] == []


def iso_ms(stamp: str) -> float:
    return datetime.fromisoformat(stamp.replace("Z", "+00:00")).timestamp() * 1000


def test_a_second_location_is_invisible(ghl: Ghl, location_id: str,
                                         admin: httpx.Client) -> None:
    other = admin.post("/locations", json={"opportunities": 5}).json()["id"]
    response = ghl.get("/opportunities/search", params={"location_id": other})
    assert response.status_code == 401
    assert response.json()["message"] == "The token does not have access to this location."
    token = admin.post("/tokens", json={"locationId": other}).json()["token"]
    theirs = ghl.get("/opportunities/search", params={"location_id": other}, token=token).json()
    assert theirs["meta"]["total"] == 5
    mine = ghl.get("/opportunities/search", params={"location_id": location_id}).json()
    assert mine["meta"]["total"] == 200
