"""Many clients at once, as the benchmark runs them: no lost or doubled writes, whole reads."""

from __future__ import annotations

from concurrent.futures import ThreadPoolExecutor

import httpx

from tests.sandbox.client import Ghl
from tests.sandbox.helpers import new_contact, pipelines, search_all


def test_racing_upserts_create_one_opportunity_per_contact(ghl: Ghl, location_id: str,
                                                           sandbox_url: str) -> None:
    pipeline = pipelines(ghl, location_id)[0]["id"]
    contacts = [new_contact(ghl, location_id, email=f"race{i}@example.org")["id"]
                for i in range(10)]
    headers = {"Authorization": f"Bearer {ghl.token}", "Version": "2021-07-28"}

    def upsert(job: tuple[str, int]) -> int:
        contact, value = job
        response = httpx.post(f"{sandbox_url}/opportunities/upsert", headers=headers, json={
            "pipelineId": pipeline, "locationId": location_id, "contactId": contact,
            "name": "Raced", "monetaryValue": value})
        assert response.status_code == 200, response.text
        return 1 if response.json()["new"] else 0

    jobs = [(contact, value) for value in range(6) for contact in contacts]
    with ThreadPoolExecutor(max_workers=8) as pool:
        created = sum(pool.map(upsert, jobs))
    assert created == len(contacts)
    for contact in contacts:
        found = ghl.get("/opportunities/search", params={
            "location_id": location_id, "contact_id": contact}).json()
        assert found["meta"]["total"] == 1


def test_ten_thousand_opportunities_read_page_by_page(ghl: Ghl, location_id: str,
                                                      admin: httpx.Client) -> None:
    admin.post("/reset", json={"opportunities": 10_000}).raise_for_status()
    ids, metas = search_all(ghl, {"location_id": location_id, "limit": 100})
    assert len(ids) == len(set(ids)) == 10_000
    assert len(metas) == 100
    assert admin.get("/stats").json()["responses429"] == 0
