"""Imported n8n HighLevel workflows run on a worker against the HighLevel sandbox (the
simulator over real HTTP), and do to its data what n8n's HighLevel node does."""

from __future__ import annotations

from collections.abc import Iterator

import httpx
import pytest

from nodes import registry
from tests.importers.conftest import import_n8n, load


@pytest.fixture
def ghl() -> Iterator[tuple[object, httpx.Client]]:
    if registry.get("ghl.opportunities.search") is None:
        pytest.skip("the HighLevel nodes are not registered in this build")
    from sandbox import SandboxServer

    with SandboxServer(rate_limit=1_000_000) as server:
        client = httpx.Client(base_url=server.url, timeout=30, headers={
            "Authorization": f"Bearer {server.token}", "Version": "2021-07-28"})
        yield server, client
        client.close()


def test_highlevel_search_update_get_task_and_upsert(api, worker, run_imported, ghl):
    sandbox, client = ghl
    created = api.post("/api/credentials", json={
        "name": "HighLevel account", "kind": "ghl_pit",
        "data": {"token": sandbox.token, "location_id": sandbox.location_id,
                 "base_url": sandbox.url}})
    assert created.status_code == 201, created.get_json()
    pipeline = client.get("/opportunities/pipelines",
                          params={"locationId": sandbox.location_id}).json()["pipelines"][0]
    query = {"location_id": sandbox.location_id, "pipeline_id": pipeline["id"],
             "status": "open", "limit": 1}
    total = client.get("/opportunities/search", params=query).json()["meta"]["total"]
    imported = import_n8n(api, load("highlevel_run.json"))
    assert imported["report"]["summary"]["needs_attention"] == 0
    run, steps = run_imported(imported, [{"pipeline": pipeline["id"], "email": "nia@lead.test",
                                          "first": "Nia"}])
    assert run.status == "succeeded", run.error
    found = steps["Open deals"]["output"]["main"]
    assert len(found) == total > 3  # "return all" followed every page, filters kept
    assert {(o["pipelineId"], o["status"]) for o in found} == {(pipeline["id"], "open")}
    won = steps["Mark won"]["output"]["main"]
    assert [o["id"] for o in won] == [o["id"] for o in found[:3]]
    for opportunity in won:
        stored = client.get(f"/opportunities/{opportunity['id']}").json()["opportunity"]
        assert stored["status"] == "won"
    contacts = steps["Their contact"]["output"]["main"]
    assert [c["id"] for c in contacts] == [o["contactId"] for o in found[:3]]
    for contact in contacts:
        tasks = client.get(f"/contacts/{contact['id']}/tasks").json()["tasks"]
        assert f"Thank {contact['firstName']}" in [task["title"] for task in tasks]
    [lead] = steps["New lead"]["output"]["main"]
    stored = client.get(f"/contacts/{lead.get('id') or lead['contact']['id']}").json()["contact"]
    assert stored["email"] == "nia@lead.test" and stored["firstName"] == "Nia"
    assert {"n8n", "imported"} <= set(stored["tags"])
