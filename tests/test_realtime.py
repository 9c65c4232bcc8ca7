"""Live progress: a worker's events reach Socket.IO clients in the run's and workflow's rooms,
through Redis, over a real connection."""

from __future__ import annotations

import queue
import time
from typing import Any

import pytest
import socketio

from tests.helpers import doc, node


@pytest.fixture
def browser(live_server, owner):
    """A real Socket.IO client connected to the live server; collects every event."""
    client = socketio.Client(reconnection=False)
    events: queue.Queue[tuple[str, Any]] = queue.Queue()
    client.on("*", lambda event, data: events.put((event, data)))
    client.connect(live_server, transports=["websocket"], wait_timeout=10,
                   auth={"token": owner["token"]})
    client.events = events
    yield client
    client.disconnect()


def collect(client, until_event: str, timeout: float = 20) -> list[tuple[str, Any]]:
    received: list[tuple[str, Any]] = []
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        try:
            received.append(client.events.get(timeout=0.1))
        except queue.Empty:
            continue
        if received[-1][0] == until_event:
            return received
    raise AssertionError(f"no {until_event} among {[name for name, _ in received]}")


def test_a_browser_in_the_workflow_room_sees_the_run_live(api, worker, browser):
    workflow_id = api.post("/api/workflows", json={"document": doc(
        node("start", "core.trigger.manual"),
        node("double", "core.map", params={"fields": [{"target": "x", "value": 2}]}),
        edges=[("start", "double")], name="Live")}).json["id"]
    ack = browser.call("subscribe", {"room": f"workflow:{workflow_id}"})
    assert ack == {"ok": True, "room": f"workflow:{workflow_id}"}
    run_id = api.post(f"/api/workflows/{workflow_id}/run", json={}).json["run_id"]
    events = collect(browser, "run.finished")
    names = [name for name, _ in events]
    assert names[0] == "run.queued"
    assert names.index("run.started") < names.index("run.finished")
    assert events[-1][1]["id"] == run_id and events[-1][1]["status"] == "succeeded"


def test_the_run_room_gets_each_step_with_its_counts(api, start_worker, browser):
    workflow_id = api.post("/api/workflows", json={"document": doc(
        node("start", "core.trigger.manual"),
        node("keep", "core.filter", params={"conditions": {"rules": [
            {"left": "{{ item.n }}", "type": "number", "operator": "gt", "right": 1}]}}),
        edges=[("start", "keep")], name="Steps")}).json["id"]
    # The run waits in the queue until the browser listens; then a worker starts.
    run_id = api.post(f"/api/workflows/{workflow_id}/run",
                      json={"input": [{"n": 1}, {"n": 2}, {"n": 3}]}).json["run_id"]
    browser.call("subscribe", {"room": f"run:{run_id}"})
    start_worker()
    events = collect(browser, "run.finished")
    finished = {data["node_id"]: data for name, data in events if name == "step.finished"}
    assert list(finished) == ["start", "keep"]
    assert finished["start"]["output_counts"] == {"main": 3}
    assert finished["keep"]["output_counts"] == {"main": 2, "discarded": 1}
    assert finished["keep"]["status"] == "succeeded"


def test_subscribing_to_a_made_up_room_is_refused(browser):
    assert browser.call("subscribe", {"room": "everything"})["ok"] is False
    assert browser.call("subscribe", "run:1")["ok"] is False


def test_a_client_that_has_not_signed_in_is_refused(live_server):
    client = socketio.Client(reconnection=False)
    with pytest.raises(socketio.exceptions.ConnectionError):
        client.connect(live_server, transports=["websocket"], wait_timeout=5)


def test_a_step_that_ends_before_events_go_out_sends_only_its_end():
    """Events leave in batches; "started" is news only while the step still runs."""
    from server.runs.recorder import superseded_dropped

    room = ("run:1",)
    started = {"node_id": "a", "iteration": None, "attempt": 1}
    events = [("step.started", started, room),
              ("step.finished", {**started, "status": "succeeded"}, room),
              ("step.started", {"node_id": "a", "iteration": None, "attempt": 2}, room),
              ("step.started", {"node_id": "b", "iteration": None, "attempt": 1}, room),
              ("run.finished", {"id": 1}, room)]
    assert [(name, data.get("node_id"), data.get("attempt"))
            for name, data, _ in superseded_dropped(events)] == [
        ("step.finished", "a", 1), ("step.started", "a", 2), ("step.started", "b", 1),
        ("run.finished", None, None)]
