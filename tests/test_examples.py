"""The example workflows run end to end through a real worker process."""

from __future__ import annotations

from tests.helpers import load_example, wait_for_run


def set_param(document, node_id, name, value):
    for node in document["nodes"]:
        if node["id"] == node_id:
            node["params"][name] = value
            return document
    raise KeyError(node_id)


def import_example(api, document, activate=False) -> int:
    response = api.post("/api/workflows/import", json=document)
    assert response.status_code == 201, response.json
    workflow_id = response.json["workflow"]["id"]
    if activate:
        assert api.post(f"/api/workflows/{workflow_id}/activate").status_code == 200
    return workflow_id


def steps_by_node(api, run_id):
    return {step["node_id"]: step for step in api.get(f"/api/runs/{run_id}").json["steps"]
            if step["iteration"] is None}


def test_qualify_lead_notifies_for_a_big_lead_and_answers_the_caller(api, svc, worker, receiver):
    document = set_param(load_example("core-webhook-qualify-lead.json"), "notify", "url",
                         f"{receiver.url}/sales")
    import_example(api, document, activate=True)
    response = api.post("/webhook/example-qualify-lead",
                        json={"name": "Ada", "email": "ADA@EXAMPLE.COM", "budget": 2500})
    assert response.status_code == 200
    assert response.json == {"qualified": True,
                             "message": "Thanks, a rep will call you today."}
    assert receiver.requests[0]["body"] == {
        "text": "New lead: Ada (ADA@EXAMPLE.COM), budget $2,500.00",
        "lead": {"email": "ada@example.com", "budget": 2500},
    }


def test_qualify_lead_answers_a_small_lead_without_notifying(api, svc, worker, receiver):
    document = set_param(load_example("core-webhook-qualify-lead.json"), "notify", "url",
                         f"{receiver.url}/sales")
    import_example(api, document, activate=True)
    response = api.post("/webhook/example-qualify-lead",
                        json={"name": "Bob", "email": "bob@example.com", "budget": 200})
    assert response.json["qualified"] is False
    assert receiver.requests == []


def test_commission_digest_totals_each_rep_through_the_loop(api, svc, worker, receiver):
    receiver.reply("/deals/won", [
        {"id": 1, "owner": "ann", "value": 1000}, {"id": 2, "owner": "bo", "value": 500},
        {"id": 3, "owner": "ann", "value": 2000}, {"id": 4, "owner": "cy", "value": 100},
        {"id": 5, "owner": "bo", "value": 250}])
    document = set_param(load_example("core-schedule-commission-digest.json"), "fetch", "url",
                         f"{receiver.url}/deals/won")
    workflow_id = import_example(api, document)
    started = api.post(f"/api/workflows/{workflow_id}/run", json={
        "trigger_node": "every_morning",
        "input": {"scheduled_for": "2026-11-28T13:00:00+00:00"}})
    run = wait_for_run(svc, started.json["run_id"])
    assert run.status == "succeeded", run.error
    assert receiver.requests[0]["path"] == "/deals/won?since=2026-11-27"
    steps = steps_by_node(api, run.id)
    assert steps["by_rep"]["output"]["main"] == [
        {"owner": "ann", "commission": 300.0, "won_value": 3000, "deals": 2},
        {"owner": "bo", "commission": 75.0, "won_value": 750, "deals": 2},
        {"owner": "cy", "commission": 10.0, "won_value": 100, "deals": 1},
    ]
    detail = api.get(f"/api/runs/{run.id}").json
    batches = [s["iteration"] for s in detail["steps"] if s["node_id"] == "commission"]
    assert batches == [0, 1, 2]  # five deals in batches of two


def test_route_by_stage_counts_each_action(api, svc, worker):
    workflow_id = import_example(api, load_example("core-manual-route-by-stage.json"))
    started = api.post(f"/api/workflows/{workflow_id}/run", json={})
    run = wait_for_run(svc, started.json["run_id"])
    assert run.status == "succeeded", run.error
    counts = steps_by_node(api, run.id)["count"]["output"]["main"]
    assert counts == [
        {"action": "thank-you call", "deals": ["Acme renewal", "Umbrella expansion"],
         "value": 6200},
        {"action": "follow-up in 90 days", "deals": ["Globex pilot"], "value": 300},
    ]
