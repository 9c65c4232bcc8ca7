"""Sort, Limit and Remove duplicates."""

from __future__ import annotations

import pytest

from tests.nodes.support import fail_node, run_node

PEOPLE = [{"name": "bob", "age": 40, "score": "9", "joined": "2024-03-01T10:00:00Z"},
          {"name": "Ada", "age": 30, "score": "10", "joined": "2024-03-01T08:00:00-05:00"},
          {"name": "cy", "score": "100", "joined": "2023-12-31"},
          {"name": "dee", "age": 30, "score": "2", "joined": "2024-01-15"}]


def sort(*fields: tuple[str, str], items: list | None = None) -> list:
    params = {"fields": [{"field": f, "order": o} for f, o in fields]}
    return run_node("core.sort", params, PEOPLE if items is None else items)["main"]


def names(items: list) -> list[str]:
    return [i["name"] for i in items]


def test_sort_text_ascending_ignoring_case():
    assert names(sort(("name", "asc"))) == ["Ada", "bob", "cy", "dee"]


def test_sort_descending():
    assert names(sort(("name", "desc"))) == ["dee", "cy", "bob", "Ada"]


def test_sort_numbers_numerically_and_missing_values_last_both_ways():
    assert names(sort(("age", "asc"))) == ["Ada", "dee", "bob", "cy"]
    assert names(sort(("age", "desc"))) == ["bob", "Ada", "dee", "cy"]


def test_sort_numeric_text_as_numbers():
    assert names(sort(("score", "asc"))) == ["dee", "bob", "Ada", "cy"]


def test_sort_dates_as_moments_not_text():
    assert names(sort(("joined", "asc"))) == ["cy", "dee", "bob", "Ada"]


def test_sort_by_several_fields_and_stable_for_ties():
    assert names(sort(("age", "asc"), ("name", "desc"))) == ["dee", "Ada", "bob", "cy"]
    tied = [{"k": 1, "n": i} for i in range(5)]
    assert sort(("k", "asc"), items=tied) == tied


def test_sort_does_not_change_the_input_order():
    items = [{"n": 2}, {"n": 1}]
    sort(("n", "asc"), items=items)
    assert items == [{"n": 2}, {"n": 1}]


@pytest.mark.parametrize(("params", "expected"), [
    ({"max_items": 2}, [0, 1]),
    ({"max_items": 2, "keep": "last"}, [3, 4]),
    ({"max_items": 0}, []),
    ({"max_items": 0, "keep": "last"}, []),
    ({"max_items": 10}, [0, 1, 2, 3, 4]),
    ({"max_items": "{{ 1 + 2 }}"}, [0, 1, 2]),
])
def test_limit(params, expected):
    out = run_node("core.limit", params, [{"i": i} for i in range(5)])["main"]
    assert [o["i"] for o in out] == expected


def test_limit_with_an_expression_that_is_not_a_count_fails_clearly():
    error = fail_node("core.limit", {"max_items": "{{ 'many' }}"}, [{}])
    assert error["message"] == "Max items must be a whole number of 0 or more, not 'many'."


def test_dedupe_whole_items_keeps_the_first_of_each():
    items = [{"a": 1, "b": 2}, {"b": 2, "a": 1}, {"a": 1, "b": 3}, {"a": 1, "b": 2}]
    out = run_node("core.dedupe", {}, items)["main"]
    assert out == [{"a": 1, "b": 2}, {"a": 1, "b": 3}]


def test_dedupe_by_selected_fields():
    items = [{"email": "a@x.io", "n": 1}, {"email": "b@x.io", "n": 2},
             {"email": "a@x.io", "n": 3}, {"n": 4}, {"n": 5}]
    out = run_node("core.dedupe", {"compare": "selected_fields", "fields": ["email"]},
                   items)["main"]
    assert [o["n"] for o in out] == [1, 2, 4]


def test_dedupe_by_a_nested_field_and_several_fields():
    items = [{"c": {"id": 1}, "s": "x"}, {"c": {"id": 1}, "s": "y"}, {"c": {"id": 1}, "s": "x"}]
    out = run_node("core.dedupe", {"compare": "selected_fields", "fields": ["c.id", "s"]},
                   items)["main"]
    assert out == items[:2]


def test_settings_may_come_from_expressions_read_once():
    items = [{"by": "age", "name": "x", "age": 3}, {"by": "name", "name": "a", "age": 5}]
    out = run_node("core.sort", {"fields": [{"field": "{{ item.by }}", "order": "desc"}]},
                   items)["main"]
    assert [o["age"] for o in out] == [5, 3]
    out = run_node("core.limit", {"max_items": 1, "keep": "{{ 'last' }}"}, items)["main"]
    assert out == items[1:]
    out = run_node("core.dedupe", {"compare": "selected_fields", "fields": "{{ ['by'] }}"},
                   [{"by": 1, "n": 1}, {"by": 1, "n": 2}])["main"]
    assert out == [{"by": 1, "n": 1}]

