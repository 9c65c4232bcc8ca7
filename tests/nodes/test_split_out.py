"""Split out: one item per entry of a list field."""

from __future__ import annotations

from tests.nodes.support import fail_node, run_node

ORDER = {"order": "o1", "customer": {"id": "c1"},
         "lines": [{"sku": "A", "qty": 1}, {"sku": "B", "qty": 2}], "tags": ["vip", "new"]}


def split(params: dict, items: list | None = None) -> list:
    return run_node("core.split_out", params, [ORDER] if items is None else items)["main"]


def test_object_entries_become_items():
    assert split({"field": "lines"}) == ORDER["lines"]


def test_scalar_entries_go_into_the_field_name():
    assert split({"field": "tags"}) == [{"tags": "vip"}, {"tags": "new"}]


def test_scalar_entries_go_into_the_destination_when_given():
    assert split({"field": "tags", "destination": "tag"}) == [{"tag": "vip"}, {"tag": "new"}]


def test_other_fields_can_be_kept_on_every_entry():
    out = split({"field": "lines", "include": "other_fields"})
    assert out == [{"order": "o1", "customer": {"id": "c1"}, "tags": ["vip", "new"],
                    "sku": "A", "qty": 1},
                   {"order": "o1", "customer": {"id": "c1"}, "tags": ["vip", "new"],
                    "sku": "B", "qty": 2}]


def test_nested_list_fields():
    out = split({"field": "deal.contacts"}, [{"deal": {"contacts": ["a", "b"]}}])
    assert out == [{"contacts": "a"}, {"contacts": "b"}]


def test_every_input_item_is_split_in_order():
    out = split({"field": "tags"}, [{"tags": ["a"]}, {"tags": []}, {"tags": ["b", "c"]}])
    assert out == [{"tags": "a"}, {"tags": "b"}, {"tags": "c"}]


def test_items_without_the_field_produce_nothing():
    assert split({"field": "lines"}, [{"order": "o2"}, ORDER]) == ORDER["lines"]


def test_input_items_are_not_changed():
    item = {"lines": [{"sku": "A"}], "order": "o1"}
    split({"field": "lines", "include": "other_fields"}, [item])
    assert item == {"lines": [{"sku": "A"}], "order": "o1"}


def test_a_field_that_is_not_a_list_is_an_error_naming_the_item():
    error = fail_node("core.split_out", {"field": "tags"},
                      [{"tags": ["ok"]}, {"tags": ["ok"]}, {"tags": "vip,new"}])
    assert error["message"] == "'tags' is not a list in item 3."


def test_the_field_may_come_from_an_expression():
    assert split({"field": "{{ 'li' ~ 'nes' }}"}) == ORDER["lines"]
