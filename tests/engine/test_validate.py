"""Validation: every graph rule, and every problem at once with node id, pointer and a
sentence."""

from __future__ import annotations

import pytest

from server.engine.validate import validate
from tests.helpers import doc, node

TRIGGER = node("t", "core.trigger.manual", name="Start")


def problems(document) -> list[tuple[str | None, str]]:
    return [(p.node_id, p.pointer) for p in validate(document).errors]


def messages(document) -> list[str]:
    return [p.message for p in validate(document).errors]


def test_a_valid_workflow_has_no_problems():
    document = doc(TRIGGER, node("a", "core.noop"), edges=[("t", "a")])
    report = validate(document)
    assert report.ok and report.problems == []
    assert report.as_dict() == {"valid": True, "errors": [], "warnings": []}


def test_the_document_must_be_an_object_with_format_name_and_nodes():
    assert messages([]) == ["A workflow must be a JSON object."]
    assert messages({}) == ["'format' is required.", "'name' is required.",
                            "'nodes' is required."]


def test_shape_errors_point_into_the_document():
    document = doc(node("bad id!", "core.noop"), node("b", "core.noop", retry={
        "max_attempts": 0}, on_error="ignore"), TRIGGER)
    assert problems(document) == [("bad id!", "/nodes/0/id"), ("b", "/nodes/1/on_error"),
                                  ("b", "/nodes/1/retry/max_attempts")]


def test_unknown_node_type():
    document = doc(TRIGGER, node("x", "core.teleport", name="Beam"), edges=[("t", "x")])
    assert problems(document) == [("x", "/nodes/1/type")]
    assert messages(document) == ["Node 'Beam' has an unknown type 'core.teleport'."]


def test_dangling_edges():
    document = doc(TRIGGER, edges=[("t", "ghost"), ("phantom", "t")])
    assert problems(document) == [(None, "/edges/0/to"), (None, "/edges/1/from")]
    assert messages(document)[0] == "Edge 1 points to a node that does not exist ('ghost')."
    assert messages(document)[1] == "Edge 2 points from a node that does not exist ('phantom')."


def test_unknown_output_and_input_ports():
    document = doc(TRIGGER, node("if", "core.if", name="Big?", params={"conditions": {
        "rules": [{"left": "{{ item.v }}", "operator": "exists"}]}}),
        node("m", "core.merge", name="Join", params={"mode": "append"}),
        edges=[("t", "if"), ("if", "yes", "m"), ("if", "true", "m", "input3")])
    assert problems(document) == [("if", "/edges/1/from_port"), ("m", "/edges/1/to_port"),
                                  ("m", "/edges/2/to_port")]
    assert messages(document)[0] == "Big? has no output 'yes' (it has 'true', 'false')."
    assert messages(document)[2] == "Join has no input 'input3' (it has 'input1', 'input2')."


def test_the_error_port_exists_only_with_on_error_output():
    edges = [("t", "h"), ("h", "error", "log")]
    plain = doc(TRIGGER, node("h", "core.http", params={"url": "http://x"}),
                node("log", "core.noop"), edges=edges)
    assert problems(plain) == [("h", "/edges/1/from_port")]
    routed = doc(TRIGGER, node("h", "core.http", params={"url": "http://x"},
                               on_error="error_output"), node("log", "core.noop"), edges=edges)
    assert problems(routed) == []


def test_edges_into_a_trigger():
    document = doc(TRIGGER, node("a", "core.noop"), edges=[("t", "a"), ("a", "t")])
    assert ("t", "/edges/1/to") in problems(document)
    assert "Start is a trigger: nothing can lead into it." in messages(document)


def test_a_cycle_is_reported_at_the_edge_that_closes_it():
    document = doc(TRIGGER, node("a", "core.noop", name="A"), node("b", "core.noop", name="B"),
                   edges=[("t", "a"), ("a", "b"), ("b", "a")])
    assert problems(document) == [("b", "/edges/2")]
    assert messages(document) == ["The workflow loops back on itself (A → B → A); use a Loop "
                                  "node to repeat steps."]


def test_every_cycle_is_reported():
    document = doc(TRIGGER, *[node(x, "core.noop") for x in "abcd"],
                   edges=[("t", "a"), ("a", "b"), ("b", "a"), ("t", "c"), ("c", "d"), ("d", "c"),
                          ("t", "d")])
    assert problems(document) == [("b", "/edges/2"), ("d", "/edges/5")]


def test_a_node_wired_to_itself_is_a_cycle():
    document = doc(TRIGGER, node("a", "core.noop"), edges=[("t", "a"), ("a", "a")])
    assert problems(document) == [("a", "/edges/1")]


def loop_doc(*extra_edges, extra_nodes=()) -> dict:
    return doc(TRIGGER, node("loop", "core.loop", name="Loop", params={"batch_size": 5}),
               node("work", "core.noop", name="Work"), node("after", "core.noop"), *extra_nodes,
               edges=[("t", "loop"), ("loop", "loop", "work"), ("loop", "done", "after"),
                      *extra_edges])


def test_a_loop_back_edge_into_a_loop_node_is_allowed():
    assert problems(loop_doc(("work", "loop"))) == []


def test_a_cycle_through_the_done_output_is_not_a_loop():
    document = loop_doc(("after", "loop"))
    assert problems(document) == [("after", "/edges/3")]


def test_a_cycle_inside_a_loop_body_is_still_a_cycle():
    extra = (node("again", "core.noop"),)
    document = loop_doc(("work", "again"), ("again", "work"), ("again", "loop"),
                        extra_nodes=extra)
    assert problems(document) == [("again", "/edges/4")]


def test_a_back_edge_to_a_node_that_is_not_a_loop_is_a_cycle():
    document = doc(TRIGGER, node("a", "core.noop"), node("b", "core.noop"),
                   edges=[("t", "a"), ("a", "b"), ("b", "a")])
    assert len(problems(document)) == 1


def test_a_loop_whose_loop_output_leads_nowhere_is_a_warning():
    document = doc(TRIGGER, node("loop", "core.loop", name="Loop"), node("after", "core.noop"),
                   edges=[("t", "loop"), ("loop", "done", "after")])
    report = validate(document)
    assert report.ok
    assert [(w.node_id, w.pointer) for w in report.warnings] == [("loop", "/nodes/1")]
    assert "'loop' output leads nowhere" in report.warnings[0].message


def test_wait_inside_a_loop():
    document = loop_doc(("work", "pause"), ("pause", "loop"), extra_nodes=(
        node("pause", "core.wait", name="Pause", params={"mode": "duration"}),))
    assert problems(document) == [("pause", "/nodes/4")]
    assert messages(document) == ["Pause waits inside the loop Loop; move the Wait before or "
                                  "after it."]


def test_duplicate_ids_and_names():
    document = doc(TRIGGER, node("a", "core.noop", name="Same"), node("a", "core.noop", name="B"),
                   node("c", "core.noop", name="Same"))
    assert problems(document) == [("a", "/nodes/2/id"), ("c", "/nodes/3/name")]
    assert messages(document) == ["Two nodes have the id 'a'.",
                                  "Two nodes are named 'Same'; names must be unique."]


def test_a_workflow_needs_a_trigger():
    document = doc(node("a", "core.noop"))
    assert problems(document) == [(None, "/nodes")]
    assert messages(document)[0].startswith("The workflow has no trigger")


@pytest.mark.parametrize(("node_type", "params", "pointer", "fragment"), [
    ("core.limit", {"max_items": -1}, "/params/max_items", "-1 is less than the minimum of 0"),
    ("core.limit", {}, "/params", "'max_items' is required"),
    ("core.limit", {"max_items": "ten"}, "/params/max_items", "'ten' is not of type 'integer'"),
    ("core.wait", {"mode": "forever"}, "/params/mode", "'forever' is not one of"),
    ("core.http", {"url": "http://x", "method": "FETCH"}, "/params/method", "is not one of"),
    ("core.sort", {"fields": [{"order": "asc"}]}, "/params/fields/0",
     "'field' is required in fields.0"),
])
def test_params_failing_the_node_schema(node_type, params, pointer, fragment):
    document = doc(TRIGGER, node("n", node_type, name="Step", params=params), edges=[("t", "n")])
    report = validate(document)
    assert [(p.node_id, p.pointer) for p in report.errors] == [("n", "/nodes/1" + pointer)]
    assert report.errors[0].message.startswith("Step: ")
    assert fragment in report.errors[0].message


@pytest.mark.parametrize(("node_type", "params"), [
    ("core.limit", {"max_items": "{{ item.count }}"}),
    ("core.wait", {"mode": "{{ item.mode }}", "amount": "{{ item.n }}"}),
    ("core.http", {"url": "{{ item.url }}", "method": "{{ item.method }}",
                   "timeout_s": "{{ 5 }}"}),
    ("core.sort", {"fields": "{{ item.sort }}"}),
    ("core.respond_webhook", {"status": "{{ item.code }}"}),
])
def test_expressions_stand_in_for_numbers_enums_and_lists(node_type, params):
    document = doc(TRIGGER, node("n", node_type, params=params), edges=[("t", "n")])
    assert problems(document) == []


def test_expression_syntax_errors_point_at_the_param():
    document = doc(TRIGGER, node("m", "core.map", name="Shape", params={"fields": [
        {"target": "a", "value": "{{ item.ok }}"},
        {"target": "b", "value": "Hello {{ item.name "}]}), edges=[("t", "m")])
    assert problems(document) == [("m", "/nodes/1/params/fields/1/value")]
    assert messages(document)[0].startswith("Shape: the expression has a syntax error")


def test_all_problems_come_back_at_once():
    document = doc(
        node("t", "core.trigger.manual"),
        node("a", "core.nope", name="Mystery"),
        node("b", "core.limit", name="Cap", params={"max_items": -5}),
        node("c", "core.map", name="Shape", params={"fields": [{"target": "x",
                                                                 "value": "{{ oops( }}"}]}),
        node("c", "core.noop", name="Cap"),
        node("d", "core.noop"), node("e", "core.noop"),
        edges=[("t", "b"), ("b", "nowhere"), ("b", "out", "d"), ("d", "e"), ("e", "d"),
               ("d", "t")])
    report = validate(document)
    assert not report.ok
    assert [(p.node_id, p.pointer) for p in report.errors] == [
        ("a", "/nodes/1/type"),
        ("b", "/nodes/2/params/max_items"),
        ("c", "/nodes/3/params/fields/0/value"),
        ("c", "/nodes/4/id"),
        ("c", "/nodes/4/name"),
        (None, "/edges/1/to"),
        ("b", "/edges/2/from_port"),
        ("t", "/edges/5/to"),
        ("d", "/edges/5"),  # t → b → d → t, one group of nodes looping together
    ]
    for problem in report.errors:
        assert problem.message.endswith("."), problem
    assert report.as_dict()["errors"][0] == {
        "message": "Node 'Mystery' has an unknown type 'core.nope'.", "pointer": "/nodes/1/type",
        "node_id": "a", "severity": "error"}


def test_a_missing_credential_is_a_warning_not_an_error():
    document = doc(TRIGGER, node("s", "core.alert.slack", params={"text": "hi"}),
                   edges=[("t", "s")])
    report = validate(document)
    assert report.ok
    assert [(w.node_id, w.pointer) for w in report.warnings] == [("s", "/nodes/1/credential")]


@pytest.mark.parametrize(("timezone", "ok"), [
    ("America/New_York", True), ("UTC", True), ("Mars/Olympus", False), ("../etc", False),
])
def test_the_workflow_timezone_must_be_known(timezone, ok):
    document = doc(TRIGGER, settings={"timezone": timezone})
    assert problems(document) == ([] if ok else [(None, "/settings/timezone")])
