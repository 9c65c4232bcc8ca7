"""Small lookups shared by the sandbox tests, all through the public API."""

from __future__ import annotations

from typing import Any

from tests.sandbox.client import Ghl


def pipelines(ghl: Ghl, location_id: str) -> list[dict[str, Any]]:
    response = ghl.get("/opportunities/pipelines", params={"locationId": location_id})
    assert response.status_code == 200
    return response.json()["pipelines"]  # type: ignore[no-any-return]


def users(ghl: Ghl, location_id: str) -> list[dict[str, Any]]:
    response = ghl.get("/users/", params={"locationId": location_id})
    assert response.status_code == 200
    return response.json()["users"]  # type: ignore[no-any-return]


def custom_field(ghl: Ghl, location_id: str, key: str) -> dict[str, Any]:
    response = ghl.get(f"/locations/{location_id}/customFields", params={"model": "all"})
    assert response.status_code == 200
    return next(f for f in response.json()["customFields"] if f["fieldKey"] == key)


def new_contact(ghl: Ghl, location_id: str, **fields: Any) -> dict[str, Any]:
    body = {"locationId": location_id, "firstName": "Test", "lastName": "Person", **fields}
    response = ghl.post("/contacts/", json=body)
    assert response.status_code == 201, response.text
    return response.json()["contact"]  # type: ignore[no-any-return]


def new_opportunity(ghl: Ghl, location_id: str, **fields: Any) -> dict[str, Any]:
    pipeline = pipelines(ghl, location_id)[0]
    contact_id = fields.pop("contactId", None) or new_contact(
        ghl, location_id, email=f"opp-{len(fields)}-{id(fields)}@example.org")["id"]
    body = {"pipelineId": pipeline["id"], "locationId": location_id, "name": "Test deal",
            "status": "open", "contactId": contact_id, **fields}
    response = ghl.post("/opportunities/", json=body)
    assert response.status_code == 201, response.text
    return response.json()["opportunity"]  # type: ignore[no-any-return]


def search_all(ghl: Ghl, params: dict[str, Any]) -> tuple[list[str], list[dict[str, Any]]]:
    """Every id of a GET /opportunities/search, following meta's cursor page after page."""
    ids: list[str] = []
    metas: list[dict[str, Any]] = []
    query = dict(params)
    for _ in range(1000):
        response = ghl.get("/opportunities/search", params=query)
        assert response.status_code == 200, response.text
        body = response.json()
        ids += [o["id"] for o in body["opportunities"]]
        metas.append(body["meta"])
        if "startAfterId" not in body["meta"]:
            return ids, metas
        query = {**params, "startAfter": body["meta"]["startAfter"],
                 "startAfterId": body["meta"]["startAfterId"]}
    raise AssertionError("pagination did not end")
