"""Durable node state: values a node keeps between runs, changed one run at a time."""

from __future__ import annotations

import threading
import time

from server.state import NodeStateStore
from tests.helpers import doc, node


def test_changes_from_runs_at_once_are_not_lost(api, svc):
    """Eight runs take a turn at the same moment (a round-robin position, a counter)."""
    workflow_id = api.post("/api/workflows", json={"document": doc(
        node("start", "core.trigger.manual"), name="Turns")}).json["id"]
    store = NodeStateStore(svc, workflow_id=workflow_id, node_id="route")

    def slow_increment(value):
        time.sleep(0.02)  # the window in which another run would read the same value
        return (value or 0) + 1

    turns: list[int] = []
    threads = [threading.Thread(target=lambda: turns.append(store.update("n", slow_increment)))
               for _ in range(8)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert sorted(turns) == list(range(1, 9))  # each run got its own turn
    assert store.get("n") == 8
    assert NodeStateStore(svc, workflow_id=workflow_id, node_id="other").get("n") is None
