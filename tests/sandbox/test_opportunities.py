"""Opportunities: each operation's request and its effect, read back through the API."""

from __future__ import annotations

import httpx

from tests.sandbox.client import Ghl
from tests.sandbox.helpers import (
    custom_field,
    new_contact,
    new_opportunity,
    pipelines,
    users,
)


def test_create_then_get(ghl: Ghl, location_id: str) -> None:
    pipeline = pipelines(ghl, location_id)[1]
    owner = users(ghl, location_id)[2]
    contact = new_contact(ghl, location_id, email="dana@example.org", companyName="Dana Co")
    response = ghl.post("/opportunities/", json={
        "pipelineId": pipeline["id"], "locationId": location_id, "name": "Dana Co - pilot",
        "status": "open", "contactId": contact["id"], "monetaryValue": 1250,
        "assignedTo": owner["id"], "pipelineStageId": pipeline["stages"][1]["id"],
    })
    assert response.status_code == 201
    created = response.json()["opportunity"]
    assert created["pipelineStageId"] == pipeline["stages"][1]["id"]

    fetched = ghl.get(f"/opportunities/{created['id']}").json()["opportunity"]
    assert fetched["name"] == "Dana Co - pilot"
    assert fetched["monetaryValue"] == 1250
    assert fetched["assignedTo"] == owner["id"]
    assert fetched["contact"]["email"] == "dana@example.org"
    assert fetched["contact"]["companyName"] == "Dana Co"
    assert "notes" not in fetched  # GET by id never embeds notes (GHL issue #305)


def test_create_lands_in_the_first_stage_by_default(ghl: Ghl, location_id: str) -> None:
    created = new_opportunity(ghl, location_id)
    first = pipelines(ghl, location_id)[0]["stages"][0]["id"]
    assert created["pipelineStageId"] == first


def test_create_without_required_fields_is_422_with_a_message_list(
    ghl: Ghl, location_id: str
) -> None:
    response = ghl.post("/opportunities/", json={"locationId": location_id, "status": "maybe"})
    assert response.status_code == 422
    body = response.json()
    assert body["error"] == "Unprocessable Entity"
    assert "name should not be empty" in body["message"]
    assert "pipelineId should not be empty" in body["message"]
    assert any(m.startswith("status must be one of the following values") for m in body["message"])


def test_unknown_body_field_is_rejected(ghl: Ghl, location_id: str) -> None:
    opportunity = new_opportunity(ghl, location_id)
    response = ghl.put(f"/opportunities/{opportunity['id']}",
                       json={"name": "x", "locationId": location_id})
    assert response.status_code == 422
    assert response.json()["message"] == ["property locationId should not exist"]


def test_duplicate_opportunity_for_a_contact_in_a_pipeline(ghl: Ghl, location_id: str) -> None:
    first = new_opportunity(ghl, location_id)
    response = ghl.post("/opportunities/", json={
        "pipelineId": first["pipelineId"], "locationId": location_id, "name": "Again",
        "status": "open", "contactId": first["contactId"],
    })
    assert response.status_code == 400
    assert response.json()["message"] == "Can not create duplicate opportunity for the contact."


def test_update_moves_stage_and_keeps_other_fields(ghl: Ghl, location_id: str) -> None:
    opportunity = new_opportunity(ghl, location_id, monetaryValue=500)
    stage = pipelines(ghl, location_id)[0]["stages"][3]["id"]
    response = ghl.put(f"/opportunities/{opportunity['id']}",
                       json={"pipelineStageId": stage, "name": "Renamed"})
    assert response.status_code == 200
    updated = response.json()["opportunity"]
    assert updated["pipelineStageId"] == stage
    assert updated["name"] == "Renamed"
    assert updated["monetaryValue"] == 500
    assert updated["lastStageChangeAt"] >= opportunity["lastStageChangeAt"]


def test_update_to_another_pipeline_lands_in_its_first_stage(ghl: Ghl, location_id: str) -> None:
    opportunity = new_opportunity(ghl, location_id)
    other = pipelines(ghl, location_id)[1]
    updated = ghl.put(f"/opportunities/{opportunity['id']}",
                      json={"pipelineId": other["id"]}).json()["opportunity"]
    assert (updated["pipelineId"], updated["pipelineStageId"]) == (other["id"],
                                                                   other["stages"][0]["id"])


def test_stage_of_another_pipeline_is_refused(ghl: Ghl, location_id: str) -> None:
    opportunity = new_opportunity(ghl, location_id)
    foreign = pipelines(ghl, location_id)[1]["stages"][0]["id"]
    response = ghl.put(f"/opportunities/{opportunity['id']}", json={"pipelineStageId": foreign})
    assert response.status_code == 400


def test_status_update(ghl: Ghl, location_id: str) -> None:
    opportunity = new_opportunity(ghl, location_id)
    reasons = ghl.get("/opportunities/lost-reason", params={"locationId": location_id}).json()
    reason = reasons["lostReasons"][0]["id"]
    response = ghl.put(f"/opportunities/{opportunity['id']}/status",
                       json={"status": "lost", "lostReasonId": reason})
    assert response.status_code == 200
    assert response.json() == {"succeded": True}  # sic, as the spec spells it
    fetched = ghl.get(f"/opportunities/{opportunity['id']}").json()["opportunity"]
    assert (fetched["status"], fetched["lostReasonId"]) == ("lost", reason)
    ghl.put(f"/opportunities/{opportunity['id']}/status", json={"status": "won"})
    fetched = ghl.get(f"/opportunities/{opportunity['id']}").json()["opportunity"]
    assert fetched["status"] == "won" and "lostReasonId" not in fetched


def test_status_needs_a_valid_value(ghl: Ghl, location_id: str) -> None:
    opportunity = new_opportunity(ghl, location_id)
    response = ghl.put(f"/opportunities/{opportunity['id']}/status", json={"status": "done"})
    assert response.status_code == 422


def test_delete(ghl: Ghl, location_id: str) -> None:
    opportunity = new_opportunity(ghl, location_id)
    response = ghl.delete(f"/opportunities/{opportunity['id']}")
    assert response.status_code == 200
    assert response.json() == {"succeded": True}
    missing = ghl.get(f"/opportunities/{opportunity['id']}")
    assert missing.status_code == 404
    assert missing.json()["message"] == "Opportunity not found"


def test_upsert_creates_then_updates_by_contact_and_pipeline(ghl: Ghl, location_id: str) -> None:
    pipeline = pipelines(ghl, location_id)[0]
    contact = new_contact(ghl, location_id, email="upsert@example.org")
    body = {"pipelineId": pipeline["id"], "locationId": location_id, "contactId": contact["id"],
            "name": "Upserted", "status": "open", "monetaryValue": 100}
    first = ghl.post("/opportunities/upsert", json=body)
    assert first.status_code == 200
    assert first.json()["new"] is True
    created = first.json()["opportunity"]

    stage = pipeline["stages"][2]["id"]
    second = ghl.post("/opportunities/upsert",
                      json={**body, "monetaryValue": 900, "pipelineStageId": stage})
    assert second.json()["new"] is False
    updated = second.json()["opportunity"]
    assert updated["id"] == created["id"]
    assert (updated["monetaryValue"], updated["pipelineStageId"]) == (900, stage)


def test_upsert_by_id_with_the_2026_body_shape(ghl: Ghl, location_id: str) -> None:
    opportunity = new_opportunity(ghl, location_id)
    follower = users(ghl, location_id)[1]["id"]
    response = ghl.post("/opportunities/upsert", json={
        "id": opportunity["id"], "pipelineId": opportunity["pipelineId"],
        "locationId": location_id, "followers": [follower], "isRemoveAllFollowers": False,
        "followersActionType": "add", "status": "won",
    })
    assert response.status_code == 200
    body = response.json()
    assert body["new"] is False
    assert body["opportunity"]["status"] == "won"
    assert body["opportunity"]["followers"] == [follower]


def test_followers_add_and_remove(ghl: Ghl, location_id: str) -> None:
    opportunity = new_opportunity(ghl, location_id)
    team = [u["id"] for u in users(ghl, location_id)]
    added = ghl.post(f"/opportunities/{opportunity['id']}/followers",
                     json={"followers": team[:3]})
    assert added.status_code == 201
    assert added.json() == {"followers": team[:3], "followersAdded": team[:3]}
    again = ghl.post(f"/opportunities/{opportunity['id']}/followers",
                     json={"followers": team[2:4]}).json()
    assert again == {"followers": team[:4], "followersAdded": [team[3]]}

    removed = ghl.delete(f"/opportunities/{opportunity['id']}/followers",
                         json={"followers": [team[0]]})
    assert removed.status_code == 200
    assert removed.json() == {"followers": team[1:4], "followersRemoved": [team[0]]}
    everyone = ghl.delete(f"/opportunities/{opportunity['id']}/followers",
                          params={"isRemoveAllFollowers": "true"}, json={"followers": []})
    assert everyone.json() == {"followers": [], "followersRemoved": team[1:4]}
    fetched = ghl.get(f"/opportunities/{opportunity['id']}").json()["opportunity"]
    assert fetched["followers"] == []


def test_followers_must_be_users(ghl: Ghl, location_id: str) -> None:
    opportunity = new_opportunity(ghl, location_id)
    response = ghl.post(f"/opportunities/{opportunity['id']}/followers",
                        json={"followers": [opportunity["contactId"]]})
    assert response.status_code == 400


def test_custom_fields_round_trip(ghl: Ghl, location_id: str) -> None:
    """Written as {id | key, field_value}, read back as {id, fieldValue}. (The spec allows `key`
    instead of `id` for string values only.)"""
    source = custom_field(ghl, location_id, "opportunity.deal_source")
    products = custom_field(ghl, location_id, "opportunity.products")
    opportunity = new_opportunity(ghl, location_id, customFields=[
        {"key": "opportunity.deal_source", "field_value": "Trade show"},
        {"id": products["id"], "field_value": ["SEO retainer", "CRM setup"]},
    ])
    fetched = ghl.get(f"/opportunities/{opportunity['id']}").json()["opportunity"]
    values = {f["id"]: f["fieldValue"] for f in fetched["customFields"]}
    assert values == {source["id"]: "Trade show", products["id"]: ["SEO retainer", "CRM setup"]}

    ghl.put(f"/opportunities/{opportunity['id']}",
            json={"customFields": [{"key": "deal_source", "field_value": "Referral"}]})
    fetched = ghl.get(f"/opportunities/{opportunity['id']}").json()["opportunity"]
    values = {f["id"]: f["fieldValue"] for f in fetched["customFields"]}
    assert values[source["id"]] == "Referral"
    assert values[products["id"]] == ["SEO retainer", "CRM setup"]


def test_unknown_custom_field_is_422(ghl: Ghl, location_id: str) -> None:
    opportunity = new_opportunity(ghl, location_id)
    response = ghl.put(f"/opportunities/{opportunity['id']}",
                       json={"customFields": [{"id": "nope", "field_value": "x"}]})
    assert response.status_code == 422


def test_pipelines_have_stages(ghl: Ghl, location_id: str) -> None:
    found = pipelines(ghl, location_id)
    assert [p["name"] for p in found] == ["Sales Pipeline", "Customer Onboarding"]
    for pipeline in found:
        assert pipeline["locationId"] == location_id
        assert [s["position"] for s in pipeline["stages"]] == list(range(len(pipeline["stages"])))
        assert all(set(s) >= {"id", "name", "position"} for s in pipeline["stages"])


def test_trailing_slash_does_not_matter(ghl: Ghl, location_id: str) -> None:
    pipeline = pipelines(ghl, location_id)[0]
    contact = new_contact(ghl, location_id, email="slash@example.org")
    response = ghl.post("/opportunities", json={
        "pipelineId": pipeline["id"], "locationId": location_id, "name": "No slash",
        "status": "open", "contactId": contact["id"],
    })
    assert response.status_code == 201


def test_seed_is_deterministic(ghl: Ghl, location_id: str, admin: httpx.Client) -> None:
    first = ghl.get("/opportunities/search",
                    params={"location_id": location_id, "limit": 5}).json()["opportunities"]
    admin.post("/reset").raise_for_status()
    again = ghl.get("/opportunities/search",
                    params={"location_id": location_id, "limit": 5}).json()["opportunities"]
    assert [o["id"] for o in first] == [o["id"] for o in again]
