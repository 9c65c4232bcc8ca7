"""Loop over items: the body runs once per batch, the back edge collects what comes back,
"done" continues with it; loops nest."""

from __future__ import annotations

from tests.helpers import doc, node
from tests.nodes.support import run_valid

ITEMS = [{"n": i} for i in range(5)]


def tag(target: str, value: str) -> dict:
    return {"fields": [{"target": target, "value": value}]}


def loop_doc(batch_size: int = 2, back_edge: bool = True) -> dict:
    edges = [("t", "loop"), ("loop", "loop", "body"), ("loop", "done", "after")]
    if back_edge:
        edges.append(("body", "loop"))
    return doc(node("t", "core.trigger.manual"),
               node("loop", "core.loop", params={"batch_size": batch_size}),
               node("body", "core.map", params=tag("batch_size", "{{ items | length }}")),
               node("after", "core.noop"), edges=edges)


def steps_of(recorder, node_id: str) -> list:
    return [s for s in recorder.steps if s.node.id == node_id]


def test_the_body_runs_once_per_batch():
    outcome, recorder = run_valid(loop_doc(batch_size=2), ITEMS)
    assert outcome.status == "succeeded"
    body = steps_of(recorder, "body")
    assert [s.iteration for s in body] == [0, 1, 2]
    assert [s.input["main"] for s in body] == [ITEMS[0:2], ITEMS[2:4], ITEMS[4:]]


def test_done_gets_every_item_the_body_sent_back():
    outcome, _ = run_valid(loop_doc(batch_size=2), ITEMS)
    expected = [{"n": 0, "batch_size": 2}, {"n": 1, "batch_size": 2}, {"n": 2, "batch_size": 2},
                {"n": 3, "batch_size": 2}, {"n": 4, "batch_size": 1}]
    assert outcome.results["loop"] == {"loop": [], "done": expected}
    assert outcome.results["after"]["main"] == expected


def test_without_a_back_edge_done_gets_the_input_items():
    outcome, recorder = run_valid(loop_doc(batch_size=3, back_edge=False), ITEMS)
    assert len(steps_of(recorder, "body")) == 2
    assert outcome.results["after"]["main"] == ITEMS


def test_one_batch_when_the_batch_is_larger_than_the_input():
    outcome, recorder = run_valid(loop_doc(batch_size=100), ITEMS)
    assert len(steps_of(recorder, "body")) == 1
    assert len(outcome.results["after"]["main"]) == 5


def test_items_the_body_filters_out_do_not_come_back():
    document = doc(
        node("t", "core.trigger.manual"),
        node("loop", "core.loop", params={"batch_size": 1}),
        node("odd", "core.filter", params={"conditions": {"rules": [
            {"left": "{{ item.n % 2 }}", "type": "number", "operator": "equals", "right": 1}]}}),
        node("after", "core.noop"),
        edges=[("t", "loop"), ("loop", "loop", "odd"), ("odd", "loop"), ("loop", "done", "after")])
    outcome, _ = run_valid(document, ITEMS)
    assert outcome.results["after"]["main"] == [{"n": 1}, {"n": 3}]


def test_nested_loops():
    document = doc(
        node("t", "core.trigger.manual"),
        node("outer", "core.loop", params={"batch_size": 2}),
        node("inner", "core.loop", params={"batch_size": 1}),
        node("body", "core.map", params=tag("seen", "{{ item.n }}")),
        node("after", "core.noop"),
        edges=[("t", "outer"), ("outer", "loop", "inner"), ("inner", "loop", "body"),
               ("body", "inner"), ("inner", "done", "outer"), ("outer", "done", "after")])
    outcome, recorder = run_valid(document, ITEMS[:4])
    assert outcome.status == "succeeded", outcome.error
    assert len(steps_of(recorder, "body")) == 4
    assert len(steps_of(recorder, "inner")) == 2
    assert outcome.results["after"]["main"] == [{"n": i, "seen": i} for i in range(4)]


def test_steps_after_the_loop_run_once():
    _, recorder = run_valid(loop_doc(batch_size=1), ITEMS)
    assert len(steps_of(recorder, "after")) == 1
    assert len(steps_of(recorder, "loop")) == 1
