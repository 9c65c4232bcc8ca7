"""Runs through the API: filters, cursors, retry from the failed step, cancel, error
workflows, sub-workflows and Wait continuations, on real worker processes."""

from __future__ import annotations

import json
import threading
import time

from server.scheduler import Scheduler
from tests.helpers import doc, node, wait_for_run


def create(api, document) -> int:
    response = api.post("/api/workflows", json={"document": document})
    assert response.status_code == 201, response.json
    return response.json["id"]


def run(api, workflow_id, payload=None, **extra) -> int:
    response = api.post(f"/api/workflows/{workflow_id}/run", json={"input": payload, **extra})
    assert response.status_code == 202, response.json
    return response.json["run_id"]


FLAKY = doc(
    node("start", "core.trigger.manual"),
    node("first", "core.map", params={"fields": [{"target": "seen", "value": True}]}),
    node("check", "core.if", params={"conditions": {"rules": [
        {"left": "{{ item.ok }}", "type": "boolean", "operator": "true"}]}}),
    node("fail", "core.stop", params={"message": "not ok: {{ item.id }}"}),
    node("done", "core.noop"),
    edges=[("start", "first"), ("first", "check"), ("check", "false", "fail"),
           ("check", "true", "done")],
    name="Flaky",
)


def test_runs_list_filters_and_pages_with_a_cursor(api, svc, worker):
    flaky = create(api, FLAKY)
    ok_ids = [run(api, flaky, {"ok": True, "id": i}) for i in range(3)]
    bad_id = run(api, flaky, {"ok": False, "id": "needle-42"})
    for run_id in [*ok_ids, bad_id]:
        wait_for_run(svc, run_id)
    failed = api.get(f"/api/runs?workflow_id={flaky}&status=failed").json["runs"]
    assert [r["id"] for r in failed] == [bad_id]
    assert failed[0]["error"] == "not ok: needle-42"
    assert [r["id"] for r in api.get("/api/runs?q=needle-42").json["runs"]] == [bad_id]
    assert api.get("/api/runs?trigger=webhook").json["runs"] == []
    future = api.get("/api/runs?since=2999-01-01T00:00:00Z").json["runs"]
    assert future == []
    seen, cursor = [], None
    while True:
        page = api.get("/api/runs?limit=2" + (f"&cursor={cursor}" if cursor else "")).json
        seen += [r["id"] for r in page["runs"]]
        cursor = page["next_cursor"]
        if cursor is None:
            break
    assert seen == sorted([*ok_ids, bad_id], reverse=True)


def test_retry_from_the_failed_step_on_the_latest_version(api, svc, worker):
    flaky = create(api, FLAKY)
    failed_id = run(api, flaky, {"ok": False, "id": 7})
    assert wait_for_run(svc, failed_id).status == "failed"
    detail = api.get(f"/api/runs/{failed_id}").json
    assert detail["error"]["node_id"] == "fail"
    assert detail["steps"][-1]["input"] == {"main": [{"ok": False, "id": 7, "seen": True}]}
    # Fix the cause: the Stop node now lets items through (a No-op).
    fixed = json.loads(json.dumps(FLAKY))
    fixed["nodes"][3] = node("fail", "core.noop")
    api.put(f"/api/workflows/{flaky}", json={"document": fixed})
    retried = api.post(f"/api/runs/{failed_id}/retry", json={"from": "failed",
                                                              "version": "latest"})
    assert retried.status_code == 202
    new_id = retried.json["run_id"]
    assert wait_for_run(svc, new_id).status == "succeeded"
    steps = api.get(f"/api/runs/{new_id}").json["steps"]
    origins = {s["node_id"]: s["origin"] for s in steps}
    assert origins == {"start": "copied", "first": "copied", "check": "copied", "fail": "ran"}
    parent = api.get(f"/api/runs/{failed_id}").json
    assert parent["status"] == "failed"  # the retried run is left as it was
    assert [c["id"] for c in parent["children"]] == [new_id]


def test_retry_from_start_on_the_original_version(api, svc, worker):
    flaky = create(api, FLAKY)
    first = run(api, flaky, {"ok": True})
    wait_for_run(svc, first)
    again = api.post(f"/api/runs/{first}/retry", json={}).json["run_id"]
    assert wait_for_run(svc, again).status == "succeeded"
    steps = api.get(f"/api/runs/{again}").json["steps"]
    assert {s["origin"] for s in steps} == {"ran"}
    assert api.post(f"/api/runs/{first}/retry", json={"from": "failed"}).status_code == 409


def test_cancel_a_queued_run_and_a_running_one(api, svc, start_worker):
    slow = create(api, doc(
        node("start", "core.trigger.manual"),
        node("loop", "core.loop", params={"batch_size": 1}),
        node("pause", "core.http", params={"url": "http://127.0.0.1:9/unreachable",
                                            "timeout_s": 0.2},
             on_error="continue", retry={"max_attempts": 10, "backoff_s": 1}),
        edges=[("start", "loop"), ("loop", "loop", "pause"), ("pause", "loop")],
        name="Slow",
    ))
    queued = run(api, slow, [{"n": 1}])
    assert api.post(f"/api/runs/{queued}/cancel").json["status"] == "cancelled"
    start_worker()
    running = run(api, slow, [{"n": i} for i in range(50)])
    wait_for_run(svc, running, statuses=("running",))
    assert api.post(f"/api/runs/{running}/cancel").json["cancel_requested"] is True
    finished = wait_for_run(svc, running)
    assert finished.status == "cancelled"
    assert api.post(f"/api/runs/{running}/cancel").status_code == 409
    with svc.db.session() as session:
        from server.db import Run
        assert session.get(Run, queued).claims == 0  # the cancelled queued run never ran


def test_a_failed_run_starts_the_error_workflow(api, svc, worker):
    handler = create(api, doc(
        node("failed", "core.trigger.error"),
        node("note", "core.map", params={"fields": [
            {"target": "summary",
             "value": "{{ item.workflow.name }} failed: {{ item.error.message }}"}]}),
        edges=[("failed", "note")], name="On failure",
    ))
    failing = create(api, {**FLAKY, "settings": {"error_workflow": handler}})
    failed_id = run(api, failing, {"ok": False, "id": 1})
    assert wait_for_run(svc, failed_id).status == "failed"
    children = []
    deadline = time.monotonic() + 20
    while not children and time.monotonic() < deadline:
        children = api.get(f"/api/runs/{failed_id}").json["children"]
        time.sleep(0.1)
    error_run = wait_for_run(svc, children[0]["id"])
    assert error_run.trigger_kind == "error"
    steps = api.get(f"/api/runs/{error_run.id}").json["steps"]
    assert steps[-1]["output"]["main"][0]["summary"] == "Flaky failed: not ok: 1"


def test_execute_sub_workflow_returns_its_last_items(api, svc, worker):
    child = create(api, doc(
        node("called", "core.trigger.subworkflow"),
        node("tax", "core.map", params={"fields": [
            {"target": "with_tax", "value": "{{ item.net * 1.2 }}", "type": "number"}]}),
        edges=[("called", "tax")], name="Add tax",
    ))
    parent = create(api, doc(
        node("start", "core.trigger.manual"),
        node("call", "core.execute_workflow", params={"workflow": "Add tax"}),
        edges=[("start", "call")], name="Invoice",
    ))
    run_id = run(api, parent, [{"net": 10}, {"net": 100}])
    assert wait_for_run(svc, run_id).status == "succeeded"
    detail = api.get(f"/api/runs/{run_id}").json
    assert detail["steps"][-1]["output"]["main"] == [{"net": 10, "with_tax": 12},
                                                     {"net": 100, "with_tax": 120}]
    assert detail["children"][0]["relation"] == "subworkflow"
    assert detail["children"][0]["workflow_id"] == child


def test_wait_parks_the_run_and_a_scheduled_job_continues_it(api, svc, worker):
    workflow_id = create(api, doc(
        node("start", "core.trigger.manual"),
        node("pause", "core.wait", params={"mode": "duration", "amount": 1, "unit": "seconds"}),
        node("after", "core.map", params={"fields": [{"target": "resumed", "value": True}]}),
        edges=[("start", "pause"), ("pause", "after")], name="Patience",
    ))
    run_id = run(api, workflow_id, {"n": 1})
    parked = wait_for_run(svc, run_id, statuses=("waiting",))
    assert parked.wait_until is not None
    scheduler = Scheduler(svc, tick=0.2)
    thread = threading.Thread(target=scheduler.run_forever, daemon=True)
    thread.start()
    try:
        finished = wait_for_run(svc, run_id)
    finally:
        scheduler.stop()
        thread.join(5)
    assert finished.status == "succeeded"
    steps = api.get(f"/api/runs/{run_id}").json["steps"]
    assert [(s["node_id"], s["status"]) for s in steps] == [
        ("start", "succeeded"), ("pause", "succeeded"), ("after", "succeeded")]
    assert steps[-1]["output"]["main"] == [{"n": 1, "resumed": True}]


def test_filters_by_date_range_trigger_kind_and_text_in_the_trigger_payload(api, svc, worker):
    flaky = create(api, FLAKY)
    needle = run(api, flaky, {"ok": True, "id": "haystack-needle-9"})
    other = run(api, flaky, {"ok": True, "id": "plain"})
    for run_id in (needle, other):
        wait_for_run(svc, run_id)
    mine = f"/api/runs?workflow_id={flaky}"
    assert [r["id"] for r in api.get(f"{mine}&q=needle-9").json["runs"]] == [needle]
    assert [r["id"] for r in api.get(f"{mine}&q=HAYSTACK").json["runs"]] == [needle]
    # % and _ are searched for as themselves, not as wildcards.
    assert api.get(f"{mine}&q=%25").json["runs"] == []
    assert api.get(f"{mine}&q=needle_9").json["runs"] == []
    assert [r["id"] for r in api.get(f"{mine}&trigger=manual").json["runs"]] == [other, needle]
    assert api.get(f"{mine}&until=2000-01-01").json["runs"] == []
    today = api.get(f"{mine}&since=2000-01-01&until=2999-01-01T00:00:00%2B02:00").json["runs"]
    assert [r["id"] for r in today] == [other, needle]
    counts = api.get(f"/api/runs/counts?workflow_id={flaky}&q=needle-9").json["counts"]
    assert counts["succeeded"] == 1 and counts["failed"] == 0


def test_run_detail_names_its_parent_children_and_the_latest_version(api, svc, worker):
    flaky = create(api, FLAKY)
    failed_id = run(api, flaky, {"ok": False, "id": 3})
    assert wait_for_run(svc, failed_id).status == "failed"
    api.put(f"/api/workflows/{flaky}", json={"document": {**FLAKY, "name": "Flaky v2"}})
    retry_id = api.post(f"/api/runs/{failed_id}/retry", json={"from": "start"}).json["run_id"]
    wait_for_run(svc, retry_id)
    failed = api.get(f"/api/runs/{failed_id}").json
    assert (failed["version"], failed["latest_version"]) == (1, 2)
    assert failed["parent"] is None
    assert failed["children"][0]["id"] == retry_id
    assert failed["children"][0]["relation"] == "retry"
    assert failed["children"][0]["workflow_name"] == "Flaky v2"
    retried = api.get(f"/api/runs/{retry_id}").json
    assert retried["version"] == 1  # retried on the original version by default
    assert retried["parent"]["id"] == failed_id
    assert retried["parent"]["status"] == "failed"
    assert retried["parent_relation"] == "retry"


def test_retry_refuses_runs_in_flight_and_bad_bodies(api, svc):
    flaky = create(api, FLAKY)
    queued = run(api, flaky, {"ok": True})  # no worker: it stays queued
    assert api.post(f"/api/runs/{queued}/retry", json={}).status_code == 409
    bad = api.post(f"/api/runs/{queued}/retry", json={"from": "middle"})
    assert bad.status_code in (400, 422)
    assert bad.headers["Content-Type"].startswith("application/problem+json")
    assert api.post("/api/runs/999999/retry", json={}).status_code == 404
    assert api.get(f"/api/runs/{queued}").json["status"] == "queued"
