"""Aggregate: all items into one, or per field with an operation, optionally per group."""

from __future__ import annotations

import pytest

from tests.nodes.support import fail_node, run_node

DEALS = [{"owner": "ann", "value": 100, "stage": "won", "contact": {"city": "Oslo"}},
         {"owner": "bob", "value": "250.5", "stage": "open", "contact": {"city": "Rome"}},
         {"owner": "ann", "value": 50, "stage": "won", "contact": {"city": "Oslo"}},
         {"owner": "cy", "stage": "lost", "contact": {}}]


def aggregate(params: dict, items: list | None = None) -> list:
    return run_node("core.aggregate", params, DEALS if items is None else items)["main"]


def one(field: str, operation: str, **extra) -> dict:
    return {"fields": [{"field": field, "operation": operation, **extra}]}


@pytest.mark.parametrize(("field", "operation", "expected"), [
    ("owner", "list", ["ann", "bob", "ann", "cy"]),
    ("value", "list", [100, "250.5", 50]),
    ("value", "count", 3),
    ("owner", "count_unique", 3),
    ("value", "sum", 400.5),
    ("value", "avg", 133.5),
    ("stage", "min", "lost"),
    ("stage", "max", "won"),
    ("owner", "first", "ann"),
    ("owner", "last", "cy"),
    ("stage", "concat", "won, open, won, lost"),
    ("contact.city", "count_unique", 2),
])
def test_operations(field, operation, expected):
    [out] = aggregate(one(field, operation))
    name = field.split(".")[-1]
    assert out == {name if operation == "list" else f"{operation}_{name}": expected}


def test_min_and_max_compare_numeric_text_as_numbers():
    [out] = aggregate({"fields": [{"field": "value", "operation": "min"},
                                  {"field": "value", "operation": "max"}]},
                      [{"value": "9"}, {"value": 10}, {"value": "100"}])
    assert out == {"min_value": 9, "max_value": 100}


def test_output_names_can_be_chosen():
    [out] = aggregate({"fields": [{"field": "value", "operation": "sum", "as": "total"},
                                  {"field": "owner", "operation": "count", "as": "deals"}]})
    assert out == {"total": 400.5, "deals": 4}


def test_all_items_mode_collects_whole_items():
    [out] = aggregate({"mode": "all_items", "destination": "deals"})
    assert out == {"deals": DEALS}


def test_group_by_gives_one_item_per_value_in_first_seen_order():
    out = aggregate({"group_by": "owner", "fields": [
        {"field": "value", "operation": "sum", "as": "total"},
        {"field": "stage", "operation": "list", "as": "stages"}]})
    assert out == [{"owner": "ann", "total": 150, "stages": ["won", "won"]},
                   {"owner": "bob", "total": 250.5, "stages": ["open"]},
                   {"owner": "cy", "total": 0, "stages": ["lost"]}]


def test_group_by_a_nested_field_and_missing_values_form_their_own_group():
    out = aggregate({"group_by": "contact.city", "fields": [{"field": "owner",
                                                             "operation": "count"}]})
    assert out == [{"city": "Oslo", "count_owner": 2}, {"city": "Rome", "count_owner": 1},
                   {"city": None, "count_owner": 1}]


def test_group_by_with_all_items():
    out = aggregate({"mode": "all_items", "group_by": "stage"})
    assert [(o["stage"], len(o["items"])) for o in out] == [("won", 2), ("open", 1),
                                                           ("lost", 1)]


def test_empty_values_are_left_out_of_numbers():
    [out] = aggregate(one("value", "avg"), [{"value": 10}, {"value": ""}, {"value": None}, {}])
    assert out == {"avg_value": 10}


def test_sum_of_text_that_is_not_a_number_is_an_error():
    error = fail_node("core.aggregate", one("owner", "sum"), DEALS)
    assert error["message"] == "Cannot sum 'owner': 'ann' is not a number."


def test_settings_may_come_from_expressions():
    out = aggregate({"group_by": "{{ 'owner' }}", "fields": [
        {"field": "{{ 'value' }}", "operation": "{{ 'sum' }}", "as": "total"}]})
    assert [o["total"] for o in out] == [150, 250.5, 0]
