"""Filter: keep the items that meet the conditions; the rest go to "discarded"."""

from __future__ import annotations

from tests.helpers import doc, node
from tests.nodes.support import fail_node, run_node, run_valid

CONTACTS = [{"email": "ada@example.com", "tags": ["vip"]},
            {"email": "BOB@EXAMPLE.COM", "tags": []},
            {"email": "carl@other.org", "tags": ["vip", "cold"]}]


def by_domain(case_sensitive: bool = True) -> dict:
    return {"conditions": {"case_sensitive": case_sensitive, "rules": [
        {"left": "{{ item.email }}", "type": "string", "operator": "ends_with",
         "right": "@example.com"}]}}


def test_keeps_matching_items_in_order():
    out = run_node("core.filter", by_domain(), CONTACTS)
    assert out["main"] == [CONTACTS[0]]
    assert out["discarded"] == CONTACTS[1:]


def test_case_insensitive_matching():
    out = run_node("core.filter", by_domain(case_sensitive=False), CONTACTS)
    assert [c["email"] for c in out["main"]] == ["ada@example.com", "BOB@EXAMPLE.COM"]


def test_array_rules_see_lists_from_whole_expressions():
    params = {"conditions": {"rules": [{"left": "{{ item.tags }}", "type": "array",
                                        "operator": "contains", "right": "vip"},
                                       {"left": "{{ item.tags }}", "type": "array",
                                        "operator": "length_lt", "right": 2}]}}
    out = run_node("core.filter", params, CONTACTS)
    assert out["main"] == [CONTACTS[0]]


def test_not_exists_keeps_items_without_the_field():
    params = {"conditions": {"rules": [{"left": "{{ item.owner }}", "type": "string",
                                        "operator": "not_exists"}]}}
    out = run_node("core.filter", params, [{"owner": "u1"}, {"id": 2}])
    assert out["main"] == [{"id": 2}]


def test_nothing_downstream_runs_when_every_item_is_dropped():
    document = doc(node("t", "core.trigger.manual"), node("f", "core.filter", params=by_domain()),
                   node("after", "core.noop"), edges=[("t", "f"), ("f", "after")])
    outcome, _ = run_valid(document, [{"email": "x@nowhere.net"}])
    assert outcome.status == "succeeded"
    assert "after" not in outcome.results


def test_wrong_type_is_an_error_not_a_silent_drop():
    params = {"conditions": {"rules": [{"left": "{{ item.tags }}", "type": "array",
                                        "operator": "contains", "right": "vip"}]}}
    error = fail_node("core.filter", params, [{"tags": "vip"}])
    assert error["message"] == "Condition 1: 'vip' is not a list"
