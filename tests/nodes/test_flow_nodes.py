"""Respond to webhook, Stop with error, No-op and Execute sub-workflow."""

from __future__ import annotations

from typing import Any

from nodes.registry import Items, NodeError
from server.engine.executor import RunInfo
from server.engine.memory import MemoryServices
from tests.helpers import doc, node
from tests.nodes.support import fail_node, run_node, run_valid


def test_respond_sends_the_first_item_by_default():
    services = MemoryServices()
    out = run_node("core.respond_webhook", {}, [{"id": 1}, {"id": 2}], services=services)
    assert services.responses == [(0, 200, {"id": 1}, {})]
    assert out["main"] == [{"id": 1}, {"id": 2}]


def test_respond_with_status_headers_and_a_rendered_body():
    services = MemoryServices()
    params = {"status": 201, "headers": {"X-Run": "{{ run.id }}"},
              "body": {"ok": True, "name": "{{ item.name }}", "tags": "{{ item.tags }}"}}
    run_node("core.respond_webhook", params, [{"name": "Ada", "tags": ["a"]}], services=services)
    assert services.responses == [(0, 201, {"ok": True, "name": "Ada", "tags": ["a"]},
                                   {"X-Run": "0"})]


def test_respond_then_the_run_carries_on():
    services = MemoryServices()
    document = doc(node("t", "core.trigger.webhook", params={"path": "p"}),
                   node("r", "core.respond_webhook", params={"status": 202}),
                   node("after", "core.noop"), edges=[("t", "r"), ("r", "after")])
    outcome, _ = run_valid(document, {"body": {"x": 1}}, services=services)
    assert services.responses[0][1:3] == (202, {"body": {"x": 1}})
    assert outcome.results["after"]["main"] == [{"body": {"x": 1}}]


def test_stop_with_error_fails_the_run_with_the_rendered_message():
    error = fail_node("core.stop", {"message": "Deal {{ item.id }} has no owner"}, [{"id": 7}])
    assert error["message"] == "Deal 7 has no owner"
    assert error["node_id"] == "n" and error["type"] == "NodeError"


def test_stop_with_error_ends_the_run_there():
    document = doc(node("t", "core.trigger.manual"), node("a", "core.noop"),
                   node("stop", "core.stop", params={"message": "no"}), node("b", "core.noop"),
                   edges=[("t", "stop"), ("t", "a"), ("a", "b")])
    outcome, recorder = run_valid(document, [{}])
    assert outcome.status == "failed"
    assert [s.node.id for s in recorder.steps] == ["t", "a", "stop"]
    assert "b" not in outcome.results


def test_noop_passes_items_through():
    items = [{"a": 1}, {"b": [1, 2]}]
    assert run_node("core.noop", {}, items) == {"main": items}


class SubWorkflows(MemoryServices):
    """Runs sub-workflows from a dict of documents with the real engine, in this process.

    The real host looks workflows up in the database and runs them through the queue; the
    node's contract (items in, the sub-workflow's last items out) is what is tested here.
    """

    def __init__(self, documents: dict[Any, dict]) -> None:
        super().__init__()
        self.documents = documents
        self.calls: list[tuple[Any, Items, bool]] = []

    def run_workflow(self, run: RunInfo, ref: int | str, items: Items, wait: bool) -> Items:
        self.calls.append((ref, items, wait))
        if ref not in self.documents:
            raise NodeError(f"There is no workflow {ref!r}.")
        outcome, _ = run_valid(self.documents[ref], items)
        if outcome.status != "succeeded":
            raise NodeError(f"The sub-workflow failed: {outcome.error['message']}")
        return list(outcome.results.get("double", {}).get("main", [])) if wait else []


DOUBLER = doc(node("in", "core.trigger.subworkflow"),
              node("double", "core.map", params={"fields": [
                  {"target": "n", "value": "{{ item.n * 2 }}"}]}),
              edges=[("in", "double")], name="Doubler")


def test_execute_sub_workflow_once_with_all_items():
    services = SubWorkflows({"Doubler": DOUBLER})
    out = run_node("core.execute_workflow", {"workflow": "Doubler"}, [{"n": 1}, {"n": 2}],
                   services=services)
    assert out["main"] == [{"n": 2}, {"n": 4}]
    assert services.calls == [("Doubler", [{"n": 1}, {"n": 2}], True)]


def test_execute_sub_workflow_per_item():
    services = SubWorkflows({7: DOUBLER})
    out = run_node("core.execute_workflow", {"workflow": 7, "mode": "each_item"},
                   [{"n": 1}, {"n": 2}], services=services)
    assert out["main"] == [{"n": 2}, {"n": 4}]
    assert [call[1] for call in services.calls] == [[{"n": 1}], [{"n": 2}]]


def test_execute_sub_workflow_without_waiting():
    services = SubWorkflows({"Doubler": DOUBLER})
    run_node("core.execute_workflow", {"workflow": "Doubler", "wait": False}, [{"n": 1}],
             services=services)
    assert services.calls[0][2] is False


def test_execute_sub_workflow_by_expression():
    services = SubWorkflows({"Doubler": DOUBLER})
    run_node("core.execute_workflow", {"workflow": "{{ item.flow }}"},
             [{"flow": "Doubler", "n": 1}], services=services)
    assert services.calls[0][0] == "Doubler"


def test_execute_sub_workflow_errors_fail_the_node():
    error = fail_node("core.execute_workflow", {"workflow": "Missing"}, [{}],
                      services=SubWorkflows({}))
    assert error["message"] == "There is no workflow 'Missing'."
    error = fail_node("core.execute_workflow", {"workflow": ""}, [{}], services=SubWorkflows({}))
    assert error["message"] == "Choose the workflow to execute."


def test_execute_sub_workflow_in_memory_says_it_needs_a_server():
    error = fail_node("core.execute_workflow", {"workflow": 1}, [{}])
    assert "need a Flowlane server" in error["message"]
