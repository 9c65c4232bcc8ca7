"""Users, the location, and its custom field definitions."""

from __future__ import annotations

from tests.sandbox.client import Ghl
from tests.sandbox.helpers import users


def test_users_of_the_location(ghl: Ghl, location_id: str) -> None:
    found = users(ghl, location_id)
    assert len(found) == 5
    assert all(location_id in u["roles"]["locationIds"] for u in found)
    one = ghl.get(f"/users/{found[0]['id']}").json()
    assert one["email"] == found[0]["email"]


def test_user_search(ghl: Ghl, sandbox_company: str, location_id: str) -> None:
    body = ghl.get("/users/search", params={"companyId": sandbox_company,
                                            "locationId": location_id, "query": "casey"}).json()
    assert body["count"] == 1
    assert body["users"][0]["firstName"] == "Casey"


def test_create_update_delete_user(ghl: Ghl, sandbox_company: str, location_id: str) -> None:
    created = ghl.post("/users/", json={
        "companyId": sandbox_company, "firstName": "Pat", "lastName": "Lee",
        "email": "pat@example.org", "password": "s3cret!", "type": "account", "role": "user",
        "locationIds": [location_id]})
    assert created.status_code == 201
    user = created.json()
    assert ghl.put(f"/users/{user['id']}", json={"firstName": "Patricia"}).json()["name"] == (
        "Patricia Lee")
    assert len(users(ghl, location_id)) == 6
    assert ghl.delete(f"/users/{user['id']}").json()["succeded"] is True
    assert len(users(ghl, location_id)) == 5


def test_location(ghl: Ghl, location_id: str) -> None:
    location = ghl.get(f"/locations/{location_id}").json()["location"]
    assert location["id"] == location_id
    assert location["settings"]["allowDuplicateContact"] is False


def test_location_update_needs_an_agency_token(ghl: Ghl, location_id: str) -> None:
    response = ghl.put(f"/locations/{location_id}", json={"name": "Renamed"})
    assert response.status_code == 401
    assert response.json()["message"].startswith("This authClass type is not allowed")


def test_custom_field_crud(ghl: Ghl, location_id: str) -> None:
    base = f"/locations/{location_id}/customFields"
    created = ghl.post(base, json={"name": "Renewal Date", "dataType": "DATE",
                                   "model": "opportunity"})
    assert created.status_code == 201
    field = created.json()["customField"]
    assert field["fieldKey"] == "opportunity.renewal_date"
    listed = ghl.get(base, params={"model": "opportunity"}).json()["customFields"]
    assert field["id"] in {f["id"] for f in listed}
    assert all(f["model"] == "opportunity" for f in listed)
    renamed = ghl.put(f"{base}/{field['id']}", json={"name": "Renewal"}).json()["customField"]
    assert renamed["name"] == "Renewal"
    assert ghl.get(f"{base}/{field['id']}").json()["customField"]["name"] == "Renewal"
    assert ghl.delete(f"{base}/{field['id']}").json() == {"succeded": True}
    assert ghl.get(f"{base}/{field['id']}").status_code == 404
