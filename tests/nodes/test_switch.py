"""Switch: rules mode (first match, or every match), fallback output, expression mode."""

from __future__ import annotations

import pytest

from nodes import registry
from server.engine.validate import validate
from tests.helpers import doc, node
from tests.nodes.support import fail_node, run_node, run_valid

DEALS = [{"stage": "won", "value": 9000}, {"stage": "lost", "value": 10},
         {"stage": "open", "value": 5000}, {"stage": "won", "value": 50}]


def stage_rule(stage: str, output: str | None = None) -> dict:
    rule = {"conditions": {"rules": [{"left": "{{ item.stage }}", "operator": "equals",
                                      "right": stage}]}}
    if output is not None:
        rule["output"] = output
    return rule


BIG = {"output": "big", "conditions": {"rules": [
    {"left": "{{ item.value }}", "type": "number", "operator": "gt", "right": 1000}]}}


def test_items_go_to_the_first_matching_rule():
    params = {"rules": [stage_rule("won", "won"), BIG, stage_rule("lost", "lost")]}
    out = run_node("core.switch", params, DEALS)
    assert out["won"] == [DEALS[0], DEALS[3]]
    assert out["big"] == [DEALS[2]]
    assert out["lost"] == [DEALS[1]]
    assert out["fallback"] == []


def test_send_to_all_matches():
    params = {"rules": [stage_rule("won", "won"), BIG], "all_matches": True}
    out = run_node("core.switch", params, DEALS)
    assert out["won"] == [DEALS[0], DEALS[3]]
    assert out["big"] == [DEALS[0], DEALS[2]]


def test_unmatched_items_go_to_the_fallback_output():
    out = run_node("core.switch", {"rules": [stage_rule("won", "won")]}, DEALS)
    assert out["fallback"] == [DEALS[1], DEALS[2]]


def test_unmatched_items_can_be_dropped():
    out = run_node("core.switch", {"rules": [stage_rule("won", "won")], "fallback": "drop"},
                   DEALS)
    assert out["fallback"] == []
    assert out["won"] == [DEALS[0], DEALS[3]]


def test_unnamed_rules_are_numbered_from_zero():
    out = run_node("core.switch", {"rules": [stage_rule("won"), stage_rule("lost")]}, DEALS)
    assert set(out) == {"0", "1", "fallback"}
    assert out["1"] == [DEALS[1]]


def test_output_ports_follow_the_rules():
    spec = registry.get("core.switch")
    params = {"rules": [stage_rule("won", "won"), stage_rule("x"), stage_rule("lost", "won")]}
    assert spec.output_ports(params) == ["won", "1", "fallback"]
    assert spec.output_ports({"mode": "expression", "outputs": 3}) == ["0", "1", "2", "fallback"]


def test_edges_from_rule_outputs_run_only_their_branch():
    document = doc(
        node("t", "core.trigger.manual"),
        node("s", "core.switch", params={"rules": [stage_rule("won", "won"),
                                                   stage_rule("lost", "lost")]}),
        node("celebrate", "core.noop"), node("mourn", "core.noop"), node("other", "core.noop"),
        edges=[("t", "s"), ("s", "won", "celebrate"), ("s", "lost", "mourn"),
               ("s", "fallback", "other")])
    outcome, _ = run_valid(document, [DEALS[0]])
    assert outcome.results["celebrate"]["main"] == [DEALS[0]]
    assert "mourn" not in outcome.results and "other" not in outcome.results


def test_an_edge_from_an_output_no_rule_makes_is_invalid():
    document = doc(node("t", "core.trigger.manual"),
                   node("s", "core.switch", params={"rules": [stage_rule("won", "won")]}),
                   node("x", "core.noop"), edges=[("t", "s"), ("s", "lost", "x")])
    errors = validate(document).errors
    assert [(e.node_id, e.pointer) for e in errors] == [("s", "/edges/1/from_port")]
    assert "'won', 'fallback'" in errors[0].message


def test_expression_mode_routes_by_index():
    params = {"mode": "expression", "outputs": 3,
              "output_index": "{{ 0 if item.stage == 'won' else 2 }}"}
    out = run_node("core.switch", params, DEALS)
    assert out["0"] == [DEALS[0], DEALS[3]]
    assert out["2"] == [DEALS[1], DEALS[2]]
    assert out["1"] == []


@pytest.mark.parametrize(("index", "fragment"), [
    ("{{ 5 }}", "out of range (0 to 1)"),
    ("{{ -1 }}", "out of range"),
    ("nope", "'nope' is not a number"),
])
def test_expression_mode_rejects_bad_indexes(index, fragment):
    error = fail_node("core.switch", {"mode": "expression", "outputs": 2, "output_index": index},
                      [{}])
    assert fragment in error["message"]


def test_a_rule_error_names_the_rule():
    params = {"rules": [stage_rule("won", "won"), BIG]}
    error = fail_node("core.switch", params, [{"stage": "open", "value": "big"}])
    assert error["message"] == "Rule 2, condition 1: 'big' is not a number"


def test_exists_on_a_missing_field_routes_to_the_fallback():
    params = {"rules": [{"output": "has_phone", "conditions": {"rules": [
        {"left": "{{ item.phone }}", "operator": "exists"}]}}]}
    out = run_node("core.switch", params, [{"phone": "1"}, {"id": 2}])
    assert out["has_phone"] == [{"phone": "1"}]
    assert out["fallback"] == [{"id": 2}]
