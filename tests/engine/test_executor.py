"""Executor semantics: order, branches and joins, skipped branches, retries and backoff,
on_error, timeouts, deadline, cancellation, pinned data, disabled nodes, resuming."""

from __future__ import annotations

import itertools
import time
from datetime import UTC, datetime
from typing import Any

import pytest

from server.engine import executor as executor_module
from server.engine.executor import Executor, Outcome, RunInfo
from server.engine.graph import Graph
from server.engine.memory import MemoryRecorder, MemoryServices
from tests.helpers import doc, node
from tests.nodes.support import run_valid

TRIGGER = node("t", "core.trigger.manual")


def setter(target: str, value: Any) -> dict:
    return {"fields": [{"target": target, "value": value}]}


def ran(recorder: MemoryRecorder) -> list[str]:
    return [step.node.id for step in recorder.steps]


def execute(document: dict, payload: Any = None, *, start: str = "t",
            recorder: MemoryRecorder | None = None, **options: Any) -> tuple[Outcome,
                                                                            MemoryRecorder]:
    """Run with the executor's own options (pinned, completed, deadline), as a worker does."""
    recorder = recorder or MemoryRecorder()
    info = RunInfo(id=1, workflow_id=1, workflow_name="Test", trigger_kind="manual",
                   started_at=datetime.now(UTC).isoformat())
    runner = Executor(Graph(document), info, MemoryServices(), recorder,
                      trigger_payload=payload, **options)
    return runner.execute(start), recorder


# -- order, branches, joins ----------------------------------------------------------------

def test_nodes_run_in_dependency_order_not_document_order():
    document = doc(node("c", "core.map", params=setter("c", "{{ item.b + 1 }}")),
                   node("b", "core.map", params=setter("b", "{{ item.a + 1 }}")),
                   node("a", "core.map", params=setter("a", 1)), TRIGGER,
                   edges=[("b", "c"), ("a", "b"), ("t", "a")])
    outcome, recorder = run_valid(document, [{}])
    assert ran(recorder) == ["t", "a", "b", "c"]
    assert outcome.results["c"]["main"] == [{"a": 1, "b": 2, "c": 3}]


def test_a_branch_feeds_every_node_wired_to_it():
    document = doc(TRIGGER, node("x", "core.map", params=setter("path", "x")),
                   node("y", "core.map", params=setter("path", "y")),
                   edges=[("t", "x"), ("t", "y")])
    outcome, _ = run_valid(document, [{"id": 1}])
    assert outcome.results["x"]["main"] == [{"id": 1, "path": "x"}]
    assert outcome.results["y"]["main"] == [{"id": 1, "path": "y"}]


def test_a_join_runs_once_with_the_items_of_every_branch():
    document = doc(TRIGGER, node("x", "core.map", params=setter("path", "x")),
                   node("y", "core.map", params=setter("path", "y")),
                   node("join", "core.aggregate", params={"fields": [{"field": "path"}]}),
                   edges=[("t", "x"), ("t", "y"), ("x", "join"), ("y", "join")])
    outcome, recorder = run_valid(document, [{"id": 1}, {"id": 2}])
    assert ran(recorder).count("join") == 1
    assert outcome.results["join"]["main"] == [{"path": ["x", "x", "y", "y"]}]


def is_big() -> dict:
    return {"conditions": {"rules": [{"left": "{{ item.v }}", "type": "number",
                                      "operator": "gt", "right": 10}]}}


def test_a_branch_that_gets_no_items_is_skipped_with_everything_after_it():
    document = doc(TRIGGER, node("if", "core.if", params=is_big()),
                   node("big", "core.noop"), node("big2", "core.noop"),
                   node("small", "core.noop"),
                   edges=[("t", "if"), ("if", "true", "big"), ("big", "big2"),
                          ("if", "false", "small")])
    outcome, recorder = run_valid(document, [{"v": 1}])
    assert ran(recorder) == ["t", "if", "small"]
    assert "big" not in outcome.results and "big2" not in outcome.results


def test_a_join_after_a_skipped_branch_runs_with_what_arrived():
    document = doc(TRIGGER, node("if", "core.if", params=is_big()),
                   node("big", "core.map", params=setter("size", "big")),
                   node("small", "core.map", params=setter("size", "small")),
                   node("join", "core.noop"),
                   edges=[("t", "if"), ("if", "true", "big"), ("if", "false", "small"),
                          ("big", "join"), ("small", "join")])
    outcome, _ = run_valid(document, [{"v": 1}, {"v": 20}, {"v": 2}])
    assert outcome.results["join"]["main"] == [{"v": 20, "size": "big"},
                                                {"v": 1, "size": "small"},
                                                {"v": 2, "size": "small"}]


def test_only_the_started_trigger_runs():
    document = doc(TRIGGER, node("hook", "core.trigger.webhook", params={"path": "p"}),
                   node("a", "core.noop"), node("b", "core.noop"),
                   edges=[("t", "a"), ("hook", "b")])
    _, recorder = run_valid(document, [{}])
    assert ran(recorder) == ["t", "a"]
    _, recorder = run_valid(document, {"body": 1}, start="hook")
    assert ran(recorder) == ["hook", "b"]


def test_steps_record_inputs_outputs_and_rendered_params():
    document = doc(TRIGGER, node("m", "core.map", params=setter("x", "{{ item.n * 10 }}")),
                   edges=[("t", "m")])
    _, recorder = run_valid(document, [{"n": 1}, {"n": 2}])
    step = recorder.steps[1]
    assert (step.status, step.attempt, step.iteration, step.origin) == ("succeeded", 1, None,
                                                                        "ran")
    assert step.input == {"main": [{"n": 1}, {"n": 2}]}
    assert step.output == {"main": [{"n": 1, "x": 10}, {"n": 2, "x": 20}]}
    assert step.params == {"fields": [{"target": "x", "value": 10}]}
    assert step.started_at <= step.finished_at


# -- retries -------------------------------------------------------------------------------

def flaky(server, max_attempts: int, failures: int = 2, **fields: Any) -> dict:
    return doc(TRIGGER, node("call", "core.http", params={"url": f"{server.url}/flaky/{failures}"},
                             retry={"max_attempts": max_attempts, "backoff_s": 0}, **fields),
               node("after", "core.noop"), edges=[("t", "call"), ("call", "after")])


def test_a_failing_node_is_retried_until_it_succeeds(http_server):
    outcome, recorder = run_valid(flaky(http_server, max_attempts=3), [{}])
    assert outcome.status == "succeeded"
    calls = [(s.attempt, s.status) for s in recorder.steps if s.node.id == "call"]
    assert calls == [(1, "failed"), (2, "failed"), (3, "succeeded")]
    assert outcome.results["after"]["main"] == [{"ok": True, "call": 3}]


def test_retries_stop_at_max_attempts(http_server):
    outcome, recorder = run_valid(flaky(http_server, max_attempts=2, failures=5), [{}])
    assert outcome.status == "failed"
    assert [s.attempt for s in recorder.steps if s.node.id == "call"] == [1, 2]
    assert http_server.calls["flaky"] == 2
    assert outcome.error["details"]["status"] == 500


def test_no_retry_by_default(http_server):
    document = flaky(http_server, max_attempts=1)
    del document["nodes"][1]["retry"]
    outcome, _ = run_valid(document, [{}])
    assert outcome.status == "failed" and http_server.calls["flaky"] == 1


class FakeClock:
    """Stands in for `time` in the executor so that backoff delays are measured, not slept."""

    def __init__(self) -> None:
        self.now = 1000.0
        self.slept: list[float] = []

    def monotonic(self) -> float:
        return self.now

    def sleep(self, seconds: float) -> None:
        self.slept.append(seconds)
        self.now += seconds


class Jitter:
    def __init__(self, factor: float) -> None:
        self.factor = factor
        self.ranges: list[tuple[float, float]] = []

    def uniform(self, low: float, high: float) -> float:
        self.ranges.append((low, high))
        return low + (high - low) * self.factor


class ClockRecorder(MemoryRecorder):
    def __init__(self, clock: FakeClock) -> None:
        super().__init__()
        self.clock = clock
        self.started: list[float] = []

    def step_started(self, node, iteration, attempt) -> None:
        if node.id == "call":
            self.started.append(self.clock.now)


@pytest.mark.parametrize(("factor", "gaps"), [
    (1.0, [2.0, 4.0, 8.0, 10.0]),  # 2 s doubling, capped at max_backoff_s
    (0.0, [1.0, 2.0, 4.0, 5.0]),  # the jitter takes off up to half
])
def test_backoff_doubles_with_jitter_up_to_a_ceiling(http_server, monkeypatch, factor, gaps):
    clock, jitter = FakeClock(), Jitter(factor)
    monkeypatch.setattr(executor_module, "time", clock)
    monkeypatch.setattr(executor_module, "random", jitter)
    document = flaky(http_server, max_attempts=5, failures=4)
    document["nodes"][1]["retry"] = {"max_attempts": 5, "backoff_s": 2, "max_backoff_s": 10}
    recorder = ClockRecorder(clock)
    outcome, _ = execute(document, [{}], recorder=recorder)
    assert outcome.status == "succeeded"
    started = recorder.started
    assert [round(b - a, 6) for a, b in itertools.pairwise(started)] == gaps
    assert jitter.ranges == [(0.5, 1.0)] * 4


def test_cancelling_during_backoff_ends_the_run(http_server, monkeypatch):
    clock = FakeClock()
    monkeypatch.setattr(executor_module, "time", clock)

    class CancelWhileWaiting(MemoryRecorder):
        def cancel_requested(self) -> bool:
            return bool(clock.slept)

    document = flaky(http_server, max_attempts=5, failures=4)
    document["nodes"][1]["retry"] = {"max_attempts": 5, "backoff_s": 60}
    outcome, _ = execute(document, [{}], recorder=CancelWhileWaiting())
    assert outcome.status == "cancelled"
    assert outcome.error == {"message": "The run was cancelled."}
    assert http_server.calls["flaky"] == 1
    assert sum(clock.slept) < 60


# -- on_error ------------------------------------------------------------------------------

def failing(on_error: str | None = None, **extra: Any) -> dict:
    fields = {"on_error": on_error} if on_error else {}
    return doc(TRIGGER,
               node("check", "core.map", name="Check", params=setter("n", "{{ item.n }}"),
                    **fields, **extra),
               node("next", "core.noop"), node("errors", "core.noop"),
               edges=[("t", "check"), ("check", "next"),
                      *([("check", "error", "errors")] if on_error == "error_output" else [])])


def test_on_error_stop_fails_the_run_at_that_node():
    outcome, recorder = run_valid(failing("stop"), [{"id": 1}])
    assert outcome.status == "failed"
    assert outcome.error["node_id"] == "check" and outcome.error["node_name"] == "Check"
    assert outcome.error["type"] == "ExpressionError"
    assert "there is no field 'n'" in outcome.error["message"]
    assert ran(recorder) == ["t", "check"]
    assert recorder.steps[1].status == "failed" and recorder.steps[1].error == {
        key: outcome.error[key] for key in ("message", "type", "details")}


def test_stop_is_the_default():
    outcome, _ = run_valid(failing(), [{"id": 1}])
    assert outcome.status == "failed"


def test_on_error_continue_passes_items_on_with_the_error():
    outcome, _ = run_valid(failing("continue"), [{"id": 1}, {"id": 2}])
    assert outcome.status == "succeeded"
    items = outcome.results["next"]["main"]
    assert [i["id"] for i in items] == [1, 2]
    assert all("there is no field 'n'" in i["error"] for i in items)


def test_on_error_output_routes_items_to_the_error_port():
    outcome, _ = run_valid(failing("error_output"), [{"id": 1}])
    assert outcome.status == "succeeded"
    assert "next" not in outcome.results
    [item] = outcome.results["errors"]["main"]
    assert item["id"] == 1 and "there is no field 'n'" in item["error"]


def test_on_error_applies_after_the_last_retry(http_server):
    document = flaky(http_server, max_attempts=2, failures=5, on_error="continue")
    outcome, recorder = run_valid(document, [{"id": 7}])
    assert outcome.status == "succeeded"
    assert [s.status for s in recorder.steps if s.node.id == "call"] == ["failed", "failed"]
    assert outcome.results["after"]["main"][0]["id"] == 7


# -- time limits and cancellation ----------------------------------------------------------

def slow(server, seconds: float, **fields: Any) -> dict:
    return doc(TRIGGER, node("slow", "core.http", name="Slow call",
                             params={"url": f"{server.url}/slow/{seconds}"}, **fields),
               node("after", "core.noop"), edges=[("t", "slow"), ("slow", "after")])


def test_a_node_past_its_timeout_fails_with_a_timeout_error(http_server):
    outcome, _ = run_valid(slow(http_server, 3, timeout_s=0.3), [{}])
    assert outcome.status == "failed"
    assert outcome.error["type"] == "Timeout"
    assert outcome.error["message"] == "Slow call did not finish within 0.3 s."
    assert "after" not in outcome.results


def test_a_timed_out_node_can_continue(http_server):
    outcome, _ = run_valid(slow(http_server, 3, timeout_s=0.3, on_error="continue"), [{"n": 1}])
    assert outcome.status == "succeeded"
    assert outcome.results["after"]["main"] == [
        {"n": 1, "error": "Slow call did not finish within 0.3 s."}]


def test_a_node_within_its_timeout_succeeds(http_server):
    outcome, _ = run_valid(slow(http_server, 0, timeout_s=30), [{}])
    assert outcome.results["after"]["main"] == [{"slow": True}]


def test_a_run_past_its_deadline_stops_before_the_next_node(http_server):
    outcome, recorder = execute(slow(http_server, 0.5), [{}],
                                deadline=time.monotonic() + 0.2)
    assert outcome.status == "cancelled"
    assert outcome.error == {"message": "The run took longer than its time limit."}
    assert ran(recorder) == ["t", "slow"]


def test_the_deadline_cuts_a_node_timeout_short(http_server):
    outcome, _ = execute(slow(http_server, 3, timeout_s=600), [{}],
                         deadline=time.monotonic() + 0.5)
    assert outcome.status == "failed"
    assert outcome.error["type"] == "Timeout"
    assert outcome.error["message"].startswith("Slow call did not finish within")


def test_a_run_already_past_its_deadline_runs_nothing():
    outcome, recorder = execute(doc(TRIGGER), [{}], deadline=time.monotonic() - 1)
    assert outcome.status == "cancelled" and recorder.steps == []


class CancelAfter(MemoryRecorder):
    """Asks to cancel once the given node has finished (as a user pressing Stop would)."""

    def __init__(self, node_id: str) -> None:
        super().__init__()
        self.node_id = node_id

    def step_finished(self, step) -> None:
        super().step_finished(step)
        if step.node.id == self.node_id:
            self.cancelled = True


def test_cancellation_stops_the_run_between_nodes():
    document = doc(TRIGGER, node("a", "core.noop"), node("b", "core.noop"),
                   edges=[("t", "a"), ("a", "b")])
    outcome, recorder = run_valid(document, [{}], recorder=CancelAfter("a"))
    assert outcome.status == "cancelled"
    assert outcome.error == {"message": "The run was cancelled."}
    assert ran(recorder) == ["t", "a"]
    assert "b" not in outcome.results
    assert outcome.results["a"]["main"] == [{}]  # what ran before is kept


class CancelOnFirstRequest(MemoryRecorder):
    def __init__(self, server) -> None:
        super().__init__()
        self.server = server

    def cancel_requested(self) -> bool:
        return bool(self.server.requests)


def test_a_long_node_sees_the_cancellation(http_server):
    document = doc(TRIGGER, node("h", "core.http", params={"url": http_server.url + "/echo"}),
                   node("after", "core.noop"), edges=[("t", "h"), ("h", "after")])
    outcome, _ = run_valid(document, [{}, {}, {}], recorder=CancelOnFirstRequest(http_server))
    assert outcome.status == "cancelled"
    assert len(http_server.requests) == 1
    assert "after" not in outcome.results


def test_a_run_cancelled_during_its_last_node_is_cancelled(http_server):
    document = doc(TRIGGER, node("h", "core.http", params={"url": http_server.url + "/echo"}),
                   edges=[("t", "h")])
    outcome, _ = run_valid(document, [{}, {}, {}], recorder=CancelOnFirstRequest(http_server))
    assert len(http_server.requests) == 1
    assert outcome.status == "cancelled"


# -- pinned, disabled, resumed -------------------------------------------------------------

def test_pinned_data_stands_in_for_a_node():
    document = doc(TRIGGER, node("fetch", "core.http", params={"url": "http://127.0.0.1:9/x"}),
                   node("m", "core.map", params=setter("seen", "{{ item.id }}")),
                   edges=[("t", "fetch"), ("fetch", "m")])
    outcome, recorder = execute(document, [{}], pinned={"fetch": {"main": [{"id": "p1"}]}})
    assert outcome.status == "succeeded"
    assert outcome.results["m"]["main"] == [{"id": "p1", "seen": "p1"}]
    pinned = [s for s in recorder.steps if s.node.id == "fetch"]
    assert [(s.status, s.origin) for s in pinned] == [("succeeded", "pinned")]


def test_a_pinned_trigger():
    document = doc(TRIGGER, node("a", "core.noop"), edges=[("t", "a")])
    outcome, _ = execute(document, {"ignored": True}, pinned={"t": {"main": [{"id": 1}]}})
    assert outcome.results["a"]["main"] == [{"id": 1}]


def test_a_disabled_node_passes_items_through():
    document = doc(TRIGGER, node("m", "core.map", params=setter("x", 1), disabled=True),
                   node("a", "core.noop"), edges=[("t", "m"), ("m", "a")])
    outcome, recorder = run_valid(document, [{"id": 1}])
    assert outcome.results["a"]["main"] == [{"id": 1}]
    assert ran(recorder) == ["t", "a"]


def test_a_disabled_node_passes_everything_to_its_first_output():
    document = doc(TRIGGER, node("if", "core.if", params=is_big(), disabled=True),
                   node("yes", "core.noop"), node("no", "core.noop"),
                   edges=[("t", "if"), ("if", "true", "yes"), ("if", "false", "no")])
    outcome, _ = run_valid(document, [{"v": 1}, {"v": 99}])
    assert outcome.results["yes"]["main"] == [{"v": 1}, {"v": 99}]
    assert "no" not in outcome.results


def test_a_disabled_failing_node_does_not_fail_the_run():
    document = doc(TRIGGER, node("stop", "core.stop", params={"message": "no"}, disabled=True),
                   edges=[("t", "stop")])
    outcome, _ = run_valid(document, [{}])
    assert outcome.status == "succeeded"


def test_resuming_skips_completed_nodes_and_uses_their_outputs():
    document = doc(TRIGGER, node("fetch", "core.http", params={"url": "http://127.0.0.1:9/x"}),
                   node("m", "core.map", params=setter("seen", "{{ item.id }}")),
                   edges=[("t", "fetch"), ("fetch", "m")])
    completed = {"t": {"main": [{}]}, "fetch": {"main": [{"id": "from-before"}]}}
    outcome, recorder = execute(document, None, completed=completed)
    assert outcome.status == "succeeded"
    assert ran(recorder) == ["m"]
    assert outcome.results["m"]["main"] == [{"id": "from-before", "seen": "from-before"}]
    assert outcome.results["fetch"] == completed["fetch"]


def test_resuming_after_a_wait_continues_after_it():
    document = doc(TRIGGER, node("w", "core.wait", params={"mode": "duration", "amount": 1,
                                                            "unit": "hours"}),
                   node("after", "core.noop"), edges=[("t", "w"), ("w", "after")])
    first, _ = execute(document, [{"id": 1}])
    assert first.status == "waiting"
    completed = {**first.results, "w": {"main": [{"id": 1}]}}
    second, recorder = execute(document, [{"id": 1}], completed=completed)
    assert second.status == "succeeded"
    assert ran(recorder) == ["after"]
    assert second.results["after"]["main"] == [{"id": 1}]


# -- loops: expressions in settings, steps closed on failure ---------------------------

def test_a_loop_batch_size_may_be_an_expression():
    document = doc(TRIGGER, node("loop", "core.loop", params={"batch_size": "{{ 2 }}"}),
                   node("body", "core.noop"), node("after", "core.noop"),
                   edges=[("t", "loop"), ("loop", "loop", "body"), ("body", "loop"),
                          ("loop", "done", "after")])
    outcome, recorder = run_valid(document, [{"n": i} for i in range(4)])
    assert outcome.status == "succeeded"
    assert len([s for s in recorder.steps if s.node.id == "body"]) == 2


class Tracking(MemoryRecorder):
    def __init__(self) -> None:
        super().__init__()
        self.open: list[str] = []

    def step_started(self, node, iteration, attempt) -> None:
        self.open.append(node.id)

    def step_finished(self, step) -> None:
        super().step_finished(step)
        if step.node.id in self.open:
            self.open.remove(step.node.id)


def test_every_started_step_is_finished_when_a_loop_body_fails():
    document = doc(TRIGGER, node("loop", "core.loop", params={"batch_size": 1}),
                   node("stop", "core.stop", params={"message": "bad item"}),
                   edges=[("t", "loop"), ("loop", "loop", "stop")])
    outcome, recorder = run_valid(document, [{}], recorder=Tracking())
    assert outcome.status == "failed"
    assert recorder.open == []
    assert [s.status for s in recorder.steps if s.node.id == "loop"] == ["failed"]
