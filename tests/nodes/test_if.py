"""IF: each item goes to "true" or "false" by its conditions, evaluated per item."""

from __future__ import annotations

from tests.helpers import doc, node
from tests.nodes.support import fail_node, run_node, run_valid

DEALS = [{"name": "Acme", "value": 1500, "email": "a@acme.com"},
         {"name": "Bolt", "value": 200, "email": "b@bolt.io"},
         {"name": "Core", "value": 1000, "email": "no-email"}]


def big_deals(**conditions) -> dict:
    return {"conditions": {
        "rules": [{"left": "{{ item.value }}", "type": "number", "operator": "gte",
                   "right": 1000}], **conditions}}


def test_items_are_routed_by_their_own_values():
    out = run_node("core.if", big_deals(), DEALS)
    assert [i["name"] for i in out["true"]] == ["Acme", "Core"]
    assert [i["name"] for i in out["false"]] == ["Bolt"]


def test_items_pass_through_unchanged():
    out = run_node("core.if", big_deals(), DEALS)
    assert out["true"][0] == DEALS[0]
    assert out["true"][0] is not None and "error" not in out["true"][0]


def test_and_needs_every_rule():
    params = big_deals(combinator="and")
    params["conditions"]["rules"].append(
        {"left": "{{ item.email }}", "type": "string", "operator": "contains", "right": "@"})
    out = run_node("core.if", params, DEALS)
    assert [i["name"] for i in out["true"]] == ["Acme"]


def test_or_needs_one_rule():
    params = big_deals(combinator="or")
    params["conditions"]["rules"].append(
        {"left": "{{ item.email }}", "type": "string", "operator": "ends_with", "right": ".io"})
    out = run_node("core.if", params, DEALS)
    assert [i["name"] for i in out["true"]] == ["Acme", "Bolt", "Core"]


def test_the_right_side_may_be_an_expression_too():
    params = {"conditions": {"rules": [{"left": "{{ item.value }}", "type": "number",
                                        "operator": "gt", "right": "{{ trigger.value }}"}]}}
    out = run_node("core.if", params, DEALS)
    assert [i["name"] for i in out["true"]] == []
    assert len(out["false"]) == 3


def test_exists_on_a_missing_field_is_false_not_an_error():
    params = {"conditions": {"rules": [{"left": "{{ item.phone }}", "type": "string",
                                        "operator": "exists"}]}}
    out = run_node("core.if", params, [{"phone": "+1555"}, {"name": "no phone"}])
    assert out["true"] == [{"phone": "+1555"}]
    assert out["false"] == [{"name": "no phone"}]


def test_empty_on_a_missing_nested_field_is_true():
    params = {"conditions": {"rules": [{"left": "{{ item.contact.email }}", "type": "string",
                                        "operator": "empty"}]}}
    out = run_node("core.if", params, [{"contact": {}}, {"contact": {"email": "a@b.c"}}])
    assert out["true"] == [{"contact": {}}]


def test_a_missing_field_in_a_comparison_is_a_clear_error():
    error = fail_node("core.if", big_deals(), [{"name": "no value"}])
    assert error["node_id"] == "n"
    assert "value" in error["message"]


def test_a_value_of_the_wrong_type_fails_the_node_with_the_rule_named():
    error = fail_node("core.if", big_deals(), [{"value": "a lot"}])
    assert error["message"] == "Condition 1: 'a lot' is not a number"


def test_only_the_taken_branch_runs():
    document = doc(
        node("t", "core.trigger.manual"),
        node("if", "core.if", params=big_deals()),
        node("yes", "core.noop"), node("no", "core.noop"),
        edges=[("t", "if"), ("if", "true", "yes"), ("if", "false", "no")])
    outcome, recorder = run_valid(document, [{"value": 5000}])
    assert outcome.status == "succeeded"
    assert [s.node.id for s in recorder.steps] == ["t", "if", "yes"]
    assert "no" not in outcome.results


def test_dates_without_a_zone_are_read_in_the_workflow_timezone():
    params = {"conditions": {"rules": [{"left": "{{ item.at }}", "type": "date",
                                        "operator": "equals", "right": "2024-03-01T14:00:00Z"}]}}
    document = doc(node("t", "core.trigger.manual"), node("if", "core.if", params=params),
                   edges=[("t", "if")], settings={"timezone": "America/New_York"})
    outcome, _ = run_valid(document, [{"at": "2024-03-01 09:00"}, {"at": "2024-03-01 14:00"}])
    assert outcome.results["if"]["true"] == [{"at": "2024-03-01 09:00"}]
