"""Contacts: create, get, update, delete, upsert, tags, followers, list and search."""

from __future__ import annotations

from typing import Any

from tests.sandbox.client import Ghl
from tests.sandbox.helpers import custom_field, new_contact, new_opportunity, users


def test_create_then_get(ghl: Ghl, location_id: str) -> None:
    score = custom_field(ghl, location_id, "contact.lead_score")
    contact = new_contact(ghl, location_id, email="Ada@Example.org", phone="+1 512-555-0199",
                          companyName="Analytical Engines", tags=["VIP", "webinar"],
                          dateOfBirth="12/10/1990",
                          customFields=[{"id": score["id"], "field_value": "88"}])
    fetched = ghl.get(f"/contacts/{contact['id']}").json()["contact"]
    assert fetched["name"] == "Test Person"
    assert fetched["email"] == "Ada@Example.org"
    assert fetched["emailLowerCase"] == "ada@example.org"
    assert fetched["tags"] == ["vip", "webinar"]
    assert fetched["dateOfBirth"] == "1990-12-10T00:00:00.000Z"
    assert fetched["customFields"] == [{"id": score["id"], "value": "88"}]
    assert fetched["locationId"] == location_id


def test_name_alone_is_split(ghl: Ghl, location_id: str) -> None:
    contact = ghl.post("/contacts/", json={"locationId": location_id, "name": "Grace Hopper",
                                           "email": "grace@example.org"}).json()["contact"]
    assert (contact["firstName"], contact["lastName"]) == ("Grace", "Hopper")


def test_duplicate_email_or_phone_is_refused(ghl: Ghl, location_id: str) -> None:
    first = new_contact(ghl, location_id, email="dup@example.org", phone="+15125550111")
    by_email = ghl.post("/contacts/", json={"locationId": location_id,
                                            "email": "DUP@example.org"})
    assert by_email.status_code == 400
    assert by_email.json() == {"statusCode": 400,
                               "message": "This location does not allow duplicated contacts.",
                               "meta": {"contactId": first["id"], "matchingField": "email"}}
    by_phone = ghl.post("/contacts/", json={"locationId": location_id, "phone": "+1 512 555 0111"})
    assert by_phone.json()["meta"]["matchingField"] == "phone"


def test_update(ghl: Ghl, location_id: str) -> None:
    contact = new_contact(ghl, location_id, email="old@example.org", city="Austin")
    owner = users(ghl, location_id)[0]["id"]
    response = ghl.put(f"/contacts/{contact['id']}",
                       json={"email": "new@example.org", "assignedTo": owner, "tags": ["a"]})
    assert response.status_code == 200
    body = response.json()
    assert body["succeded"] is True
    assert (body["contact"]["email"], body["contact"]["city"]) == ("new@example.org", "Austin")
    assert body["contact"]["assignedTo"] == owner
    # The old address is free again; the new one is taken.
    assert ghl.post("/contacts/", json={"locationId": location_id,
                                        "email": "old@example.org"}).status_code == 201
    assert ghl.post("/contacts/", json={"locationId": location_id,
                                        "email": "new@example.org"}).status_code == 400


def test_update_refuses_location_id(ghl: Ghl, location_id: str) -> None:
    contact = new_contact(ghl, location_id, email="strict@example.org")
    response = ghl.put(f"/contacts/{contact['id']}", json={"locationId": location_id})
    assert response.status_code == 422
    assert response.json()["message"] == ["property locationId should not exist"]


def test_delete_takes_notes_and_opportunities_along(ghl: Ghl, location_id: str) -> None:
    opportunity = new_opportunity(ghl, location_id)
    contact = opportunity["contactId"]
    ghl.post(f"/contacts/{contact}/notes", json={"body": "bye"})
    response = ghl.delete(f"/contacts/{contact}")
    assert response.json() == {"succeded": True}
    assert ghl.get(f"/contacts/{contact}").status_code == 404
    assert ghl.get(f"/opportunities/{opportunity['id']}").status_code == 404


def test_upsert_creates_then_updates(ghl: Ghl, location_id: str) -> None:
    body = {"locationId": location_id, "email": "up@example.org", "firstName": "Up"}
    first = ghl.post("/contacts/upsert", json=body)
    assert first.status_code == 200
    assert first.json()["new"] is True
    second = ghl.post("/contacts/upsert", json={**body, "phone": "+15125550123",
                                                "firstName": "Upper"}).json()
    assert second["new"] is False
    assert second["contact"]["id"] == first.json()["contact"]["id"]
    assert (second["contact"]["firstName"], second["contact"]["phone"]) == ("Upper",
                                                                            "+15125550123")
    by_phone = ghl.post("/contacts/upsert", json={"locationId": location_id,
                                                  "phone": "+15125550123"}).json()
    assert by_phone["contact"]["id"] == second["contact"]["id"]


def test_tags_add_and_remove(ghl: Ghl, location_id: str) -> None:
    contact = new_contact(ghl, location_id, email="tags@example.org", tags=["one"])
    added = ghl.post(f"/contacts/{contact['id']}/tags", json={"tags": ["two", "three", "one"]})
    assert added.status_code == 201
    assert added.json() == {"tags": ["one", "two", "three"]}
    removed = ghl.delete(f"/contacts/{contact['id']}/tags", json={"tags": ["two"]})
    assert removed.status_code == 200
    assert removed.json() == {"tags": ["one", "three"]}
    assert ghl.get(f"/contacts/{contact['id']}").json()["contact"]["tags"] == ["one", "three"]


def test_followers(ghl: Ghl, location_id: str) -> None:
    contact = new_contact(ghl, location_id, email="follow@example.org")
    team = [u["id"] for u in users(ghl, location_id)]
    added = ghl.post(f"/contacts/{contact['id']}/followers", json={"followers": team[:2]})
    assert added.status_code == 201
    assert added.json() == {"followers": team[:2], "followersAdded": team[:2]}
    removed = ghl.delete(f"/contacts/{contact['id']}/followers", json={"followers": [team[0]]})
    assert removed.json() == {"followers": [team[1]], "followersRemoved": [team[0]]}


def test_list_pages_by_cursor(ghl: Ghl, location_id: str) -> None:
    ids: list[str] = []
    params: dict[str, Any] = {"locationId": location_id, "limit": 45}
    while True:
        body = ghl.get("/contacts/", params=params).json()
        assert body["count"] == body["meta"]["total"] == 200
        ids += [c["id"] for c in body["contacts"]]
        if "startAfterId" not in body["meta"]:
            break
        params = {**params, "startAfter": body["meta"]["startAfter"],
                  "startAfterId": body["meta"]["startAfterId"]}
    assert len(ids) == len(set(ids)) == 200
    assert body["meta"]["currentPage"] == 5


def test_list_query(ghl: Ghl, location_id: str) -> None:
    contact = new_contact(ghl, location_id, email="needle@example.org")
    body = ghl.get("/contacts/", params={"locationId": location_id, "query": "needle@"}).json()
    assert [c["id"] for c in body["contacts"]] == [contact["id"]]


def search(ghl: Ghl, location_id: str, **body: Any) -> dict[str, Any]:
    response = ghl.post("/contacts/search", json={"locationId": location_id, **body})
    assert response.status_code == 200, response.text
    return response.json()  # type: ignore[no-any-return]


def test_search_pages_with_search_after(ghl: Ghl, location_id: str) -> None:
    ids: list[str] = []
    body: dict[str, Any] = {"pageLimit": 64}
    while True:
        page = search(ghl, location_id, **body)
        assert page["total"] == 200
        ids += [c["id"] for c in page["contacts"]]
        if len(page["contacts"]) < 64:
            break
        body["searchAfter"] = page["contacts"][-1]["searchAfter"]
    assert len(ids) == len(set(ids)) == 200


def test_search_filters_and_sort(ghl: Ghl, location_id: str) -> None:
    a = new_contact(ghl, location_id, email="f1@example.org", firstName="Aaron", tags=["vip"])
    b = new_contact(ghl, location_id, email="f2@example.org", firstName="Abby", tags=["vip"])
    new_contact(ghl, location_id, email="f3@example.org", firstName="Abe", tags=["cold"])
    found = search(ghl, location_id, filters=[
        {"field": "tags", "operator": "eq", "value": "vip"},
        {"field": "email", "operator": "contains", "value": "@example.org"},
    ], sort=[{"field": "firstName", "direction": "asc"}])
    assert [c["id"] for c in found["contacts"]] == [a["id"], b["id"]]
    either = search(ghl, location_id, filters=[{"group": "OR", "filters": [
        {"field": "email", "operator": "eq", "value": "f1@example.org"},
        {"field": "email", "operator": "eq", "value": "f3@example.org"},
    ]}])
    assert either["total"] == 2


def test_search_rejects_unknown_fields(ghl: Ghl, location_id: str) -> None:
    response = ghl.post("/contacts/search", json={"locationId": location_id, "limit": 5})
    assert response.status_code == 422
    assert response.json()["message"] == ["property limit should not exist"]
