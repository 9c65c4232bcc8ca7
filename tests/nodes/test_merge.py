"""Merge: append, combine by key (inner, left, outer), and wait for both inputs."""

from __future__ import annotations

from tests.helpers import doc, node
from tests.nodes.support import run_valid

CONTACTS = [{"id": 1, "name": "Ada"}, {"id": 2, "name": "Bob"}, {"id": 3, "name": "Cy"}]
DEALS = [{"contact_id": "1", "deal": "A-1"}, {"contact_id": 1, "deal": "A-2"},
         {"contact_id": 4, "deal": "X-9"}]


def merge(params: dict, left: list, right: list) -> dict:
    """Run Merge with `left` on input 1 and `right` on input 2 (each from its own branch)."""
    document = doc(
        node("t", "core.trigger.manual"),
        node("one", "core.split_out", params={"field": "left"}),
        node("two", "core.split_out", params={"field": "right"}),
        node("m", "core.merge", params=params),
        node("after", "core.noop"),
        edges=[("t", "one"), ("t", "two"), ("one", "main", "m", "input1"),
               ("two", "main", "m", "input2"), ("m", "after")])
    outcome, _ = run_valid(document, {"left": left, "right": right})
    assert outcome.status == "succeeded", outcome.error
    return outcome.results


def merged(params: dict, left: list, right: list) -> list:
    return merge(params, left, right)["m"]["main"]


def test_append_puts_input_1_then_input_2():
    assert merged({"mode": "append"}, CONTACTS[:2], DEALS[:1]) == [*CONTACTS[:2], DEALS[0]]


def test_append_runs_with_one_input_when_the_other_branch_sent_nothing():
    assert merged({"mode": "append"}, CONTACTS, []) == CONTACTS


def test_combine_by_key_keeps_matched_pairs():
    out = merged({"mode": "combine_by_key", "key1": "id", "key2": "contact_id"}, CONTACTS, DEALS)
    assert out == [{"id": 1, "name": "Ada", "contact_id": "1", "deal": "A-1"},
                   {"id": 1, "name": "Ada", "contact_id": 1, "deal": "A-2"}]


def test_combine_by_key_left_join_keeps_every_input_1_item():
    out = merged({"mode": "combine_by_key", "key1": "id", "key2": "contact_id",
                  "join": "all_input1"}, CONTACTS, DEALS)
    assert [(o["name"], o.get("deal")) for o in out] == [
        ("Ada", "A-1"), ("Ada", "A-2"), ("Bob", None), ("Cy", None)]


def test_combine_by_key_outer_join_keeps_every_item_of_both():
    out = merged({"mode": "combine_by_key", "key1": "id", "key2": "contact_id", "join": "all"},
                 CONTACTS, DEALS)
    assert [(o.get("name"), o.get("deal")) for o in out] == [
        ("Ada", "A-1"), ("Ada", "A-2"), ("Bob", None), ("Cy", None), (None, "X-9")]


def test_combine_by_key_uses_one_key_name_for_both_by_default():
    out = merged({"mode": "combine_by_key", "key1": "email"},
                 [{"email": "a@x.io", "name": "Ada"}], [{"email": "a@x.io", "score": 9}])
    assert out == [{"email": "a@x.io", "name": "Ada", "score": 9}]


def test_combine_by_key_on_nested_paths_and_input_2_wins_clashes():
    out = merged({"mode": "combine_by_key", "key1": "contact.id", "key2": "id"},
                 [{"contact": {"id": "c1"}, "status": "old"}], [{"id": "c1", "status": "new"}])
    assert out == [{"contact": {"id": "c1"}, "id": "c1", "status": "new"}]


def test_items_without_the_key_match_nothing():
    out = merged({"mode": "combine_by_key", "key1": "id", "join": "all"},
                 [{"name": "no id"}], [{"other": "no id either"}])
    assert out == [{"name": "no id"}, {"other": "no id either"}]


def test_combine_by_key_never_changes_its_inputs():
    left, right = [{"id": 1, "a": 1}], [{"id": 1, "b": 2}]
    results = merge({"mode": "combine_by_key", "key1": "id"}, left, right)
    assert results["one"]["main"] == [{"id": 1, "a": 1}]
    assert results["two"]["main"] == [{"id": 1, "b": 2}]
    assert results["m"]["main"] == [{"id": 1, "a": 1, "b": 2}]


def test_wait_for_both_outputs_both_inputs_once_both_arrived():
    assert merged({"mode": "wait_both"}, CONTACTS[:1], DEALS[:1]) == [CONTACTS[0], DEALS[0]]


def test_wait_for_both_can_pass_on_one_input():
    assert merged({"mode": "wait_both", "output": "input1"}, CONTACTS, DEALS) == CONTACTS
    assert merged({"mode": "wait_both", "output": "input2"}, CONTACTS, DEALS) == DEALS


def test_wait_for_both_sends_nothing_on_when_one_input_never_arrives():
    results = merge({"mode": "wait_both"}, CONTACTS, [])
    assert results["m"]["main"] == []
    assert "after" not in results


def test_merge_settings_may_come_from_expressions():
    out = merged({"mode": "{{ 'combine_by_key' }}", "key1": "{{ 'id' }}",
                  "key2": "contact_id"}, CONTACTS, DEALS)
    assert [o["deal"] for o in out] == ["A-1", "A-2"]
