"""Runs on real worker processes: durable, resumable, never lost."""

from __future__ import annotations

import threading
import time
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import pytest

from server.db import Run, Step
from server.runs import sweeper
from tests.helpers import doc, node, wait_for_run


def create(api, document) -> int:
    response = api.post("/api/workflows", json={"document": document})
    assert response.status_code == 201, response.json
    return response.json["id"]


def run_now(api, workflow_id: int, payload=None) -> int:
    response = api.post(f"/api/workflows/{workflow_id}/run", json={"input": payload})
    assert response.status_code == 202, response.json
    return response.json["run_id"]


@pytest.fixture
def slow_server():
    """An HTTP server that answers after 3 s: a node that is mid-flight when a worker dies."""
    class Slow(BaseHTTPRequestHandler):
        def do_GET(self) -> None:
            time.sleep(3)
            body = b'{"slow": true}'
            self.send_response(200)
            self.send_header("Content-Type", "application/json")
            self.send_header("Content-Length", str(len(body)))
            self.end_headers()
            self.wfile.write(body)

        def log_message(self, *args) -> None:
            pass

    server = ThreadingHTTPServer(("127.0.0.1", 0), Slow)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    yield f"http://127.0.0.1:{server.server_address[1]}/"
    server.shutdown()


def test_a_run_executes_on_a_worker_and_records_every_step(api, svc, worker):
    workflow_id = create(api, doc(
        node("start", "core.trigger.manual"),
        node("double", "core.map", params={"fields": [
            {"target": "doubled", "value": "{{ item.n * 2 }}"}]}),
        edges=[("start", "double")],
    ))
    run_id = run_now(api, workflow_id, [{"n": 1}, {"n": 2}])
    run = wait_for_run(svc, run_id)
    assert run.status == "succeeded"
    detail = api.get(f"/api/runs/{run_id}").json
    assert [s["node_id"] for s in detail["steps"]] == ["start", "double"]
    assert detail["steps"][1]["output"] == {"main": [{"n": 1, "doubled": 2},
                                                     {"n": 2, "doubled": 4}]}


def test_a_run_survives_its_worker_being_killed(api, svc, start_worker, slow_server):
    workflow_id = create(api, doc(
        node("start", "core.trigger.manual"),
        node("slow", "core.http", params={"url": slow_server}),
        node("after", "core.map", params={"fields": [{"target": "done", "value": True}]}),
        edges=[("start", "slow"), ("slow", "after")],
    ))
    first = start_worker()
    run_id = run_now(api, workflow_id)
    # Wait until the first worker is inside the slow node (the trigger step is recorded).
    deadline = time.monotonic() + 20
    while time.monotonic() < deadline:
        with svc.db.session() as session:
            if session.query(Step).filter_by(run_id=run_id, node_id="start").count():
                break
        time.sleep(0.05)
    first.kill()
    with svc.db.session() as session:
        assert session.get(Run, run_id).status == "running"
    start_worker()
    # The sweeper notices the silent heartbeat and hands the run to the other worker.
    deadline = time.monotonic() + 30
    while time.monotonic() < deadline:
        handed = sweeper.sweep(svc)
        if run_id in handed["stale"]:
            break
        time.sleep(0.5)
    run = wait_for_run(svc, run_id)
    assert run.status == "succeeded"
    assert run.claims == 2
    detail = api.get(f"/api/runs/{run_id}").json
    names = [(s["node_id"], s["status"]) for s in detail["steps"]]
    assert names.count(("start", "succeeded")) == 1  # resumed, not restarted
    assert ("after", "succeeded") in names
