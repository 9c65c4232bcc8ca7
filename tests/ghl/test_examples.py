"""The HighLevel example workflows run end to end against the sandbox, in a worker process."""

from __future__ import annotations

from collections import Counter

from sqlalchemy import select

from server.db import Run
from tests.ghl.helpers import main
from tests.helpers import load_example, wait_for_run
from tests.sandbox.client import wait_for


def imported(api, name, **changes):
    document = load_example(name)
    for node in document["nodes"]:
        node["params"].update(changes.get(node["id"], {}))
    answer = api.post("/api/workflows/import", json=document)
    assert answer.status_code == 201, answer.json
    return answer.json["workflow"]["id"]


def steps(api, run_id):
    return {s["node_id"]: s for s in api.get(f"/api/runs/{run_id}").json["steps"]}


def test_stage_changed_alerts_the_owner(api, svc, worker, receiver, admin, live_server,
                                        node, connection):
    workflow_id = imported(api, "ghl-stage-changed-alert-owner.json",
                           alert_owner={"url": f"{receiver.url}/alerts"})
    assert api.post(f"/api/workflows/{workflow_id}/activate").status_code == 200
    admin.post("/webhooks", json={"urls": [f"{live_server}/hooks/ghl"]})
    deal = main(node("ghl.opportunities.search", {"limit": 1}))[0]
    pipeline = next(p for p in main(node("ghl.opportunities.pipelines", {}))
                    if p["id"] == deal["pipelineId"])
    stage = next(s for s in pipeline["stages"] if s["id"] != deal["pipelineStageId"])
    owner = next(u for u in main(node("ghl.users.list", {})) if u["id"] == deal["assignedTo"])
    node("ghl.opportunities.update", {"id": deal["id"], "pipelineStageId": stage["id"]})
    wait_for(lambda: receiver.requests, timeout=60)
    with svc.db.session() as session:
        [run_id] = session.scalars(select(Run.id).where(Run.workflow_id == workflow_id)).all()
    assert wait_for_run(svc, run_id).status == "succeeded"
    [alert] = receiver.requests
    assert alert["body"]["to"] == owner["email"]
    assert alert["body"]["stage"] == stage["name"]
    assert alert["body"]["text"].startswith(f"{owner['name']}: {deal['name']} moved to "
                                            f"{stage['name']} ({pipeline['name']})")
    assert alert["body"]["opportunity_id"] == deal["id"]


def test_daily_open_opportunities_are_totalled_by_stage(api, svc, worker, node, connection):
    workflow_id = imported(api, "ghl-daily-open-opportunities-by-stage.json")
    started = api.post(f"/api/workflows/{workflow_id}/run", json={
        "trigger_node": "every_morning", "input": {"scheduled_for": "2026-12-01T12:30:00Z"}})
    run = wait_for_run(svc, started.json["run_id"], timeout=60)
    assert run.status == "succeeded", run.error
    totals = steps(api, run.id)["biggest_first"]["output"]["main"]
    expected = Counter()
    value = Counter()
    for deal in main(node("ghl.opportunities.search", {"status": "open", "return_all": True,
                                                       "max_items": 0})):
        expected[deal["pipelineStageId"]] += 1
        value[deal["pipelineStageId"]] += deal.get("monetaryValue") or 0
    assert {t["pipelineStageId"]: t["deals"] for t in totals} == dict(expected)
    assert {t["pipelineStageId"]: t["value"] for t in totals} == dict(value)
    assert [t["value"] for t in totals] == sorted((t["value"] for t in totals), reverse=True)


def test_a_webhook_lead_is_upserted_without_duplicates(api, svc, worker, node, connection,
                                                      spec_trace):
    pipeline = main(node("ghl.opportunities.pipelines", {}))[0]["id"]
    workflow_id = imported(api, "ghl-webhook-upsert-lead.json", deal={"pipelineId": pipeline})
    assert api.post(f"/api/workflows/{workflow_id}/activate").status_code == 200
    lead = {"email": "Pat.Lee@Example.org", "first_name": "Pat", "last_name": "Lee",
            "phone": "+15550009999", "product": "SEO retainer", "value": 1800}
    first = api.post("/webhook/ghl-upsert-lead", json=lead).json["run_id"]
    assert wait_for_run(svc, first, timeout=60).status == "succeeded"
    second = api.post("/webhook/ghl-upsert-lead", json={**lead, "value": 2400}).json["run_id"]
    assert wait_for_run(svc, second, timeout=60).status == "succeeded"
    made, again = steps(api, first)["deal"], steps(api, second)["deal"]
    assert made["output"]["main"][0]["new"] is True
    assert again["output"]["main"][0]["new"] is False
    contact_id = steps(api, first)["contact"]["output"]["main"][0]["contact"]["id"]
    found = main(node("ghl.opportunities.search", {"contact_id": contact_id}))
    assert len(found) == 1
    assert found[0]["monetaryValue"] == 2400 and found[0]["name"] == "Pat Lee - SEO retainer"
    assert found[0]["contact"]["email"] == "pat.lee@example.org"
    # The worker's requests were traced (and are checked against the spec) too.
    assert '"/opportunities/upsert"' in spec_trace.read_text()
