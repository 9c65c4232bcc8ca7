"""Map fields: target paths, type coercion, keep all/none/selected, rename, remove, and the
input items never change."""

from __future__ import annotations

import copy

import pytest

from tests.helpers import doc, node
from tests.nodes.support import fail_node, run_node, run_valid

CONTACT = {"id": "c1", "name": "Ada Lovelace", "email": "ADA@Example.com",
           "custom": {"budget": "1,250.50", "vip": "yes"}, "tags": ["lead", "web"]}


def mapped(params: dict, items: list | None = None) -> list[dict]:
    return run_node("core.map", params, [CONTACT] if items is None else items)["main"]


def field(target: str, value, kind: str | None = None) -> dict:
    entry = {"target": target, "value": value}
    if kind:
        entry["type"] = kind
    return entry


def test_sets_a_field_from_an_expression_and_keeps_the_others():
    [out] = mapped({"fields": [field("first_name", "{{ item.name.split(' ')[0] }}")]})
    assert out == {**CONTACT, "first_name": "Ada"}


def test_dotted_targets_create_nested_objects():
    [out] = mapped({"keep": "none", "fields": [field("contact.email", "{{ item.email | lower }}"),
                                               field("contact.meta.source", "web")]})
    assert out == {"contact": {"email": "ada@example.com", "meta": {"source": "web"}}}


def test_dotted_targets_extend_existing_objects():
    [out] = mapped({"fields": [field("custom.score", 7)]})
    assert out["custom"] == {"budget": "1,250.50", "vip": "yes", "score": 7}


def test_a_numeric_part_sets_a_list_entry():
    [out] = mapped({"fields": [field("tags.0", "customer")]})
    assert out["tags"] == ["customer", "web"]


def test_whole_expressions_keep_their_type_in_auto_mode():
    [out] = mapped({"keep": "none", "fields": [field("tags", "{{ item.tags }}"),
                                               field("count", "{{ item.tags | length }}"),
                                               field("label", "n={{ item.tags | length }}")]})
    assert out == {"tags": ["lead", "web"], "count": 2, "label": "n=2"}


@pytest.mark.parametrize(("kind", "value", "expected"), [
    ("string", 42, "42"),
    ("string", 1.5, "1.5"),
    ("string", True, "true"),
    ("string", None, ""),
    ("string", {"a": 1}, '{"a": 1}'),
    ("string", [1, "x"], '[1, "x"]'),
    ("number", "1,250.50", 1250.5),
    ("number", "12", 12),
    ("number", 7, 7),
    ("number", "", None),
    ("number", None, None),
    ("number", True, 1),
    ("boolean", "yes", True),
    ("boolean", "FALSE", False),
    ("boolean", 0, False),
    ("boolean", 2, True),
    ("boolean", None, None),
    ("boolean", "", None),
    ("date", "2024-03-01T10:00:00+02:00", "2024-03-01T10:00:00+02:00"),
    ("date", "2024-03-01", "2024-03-01T00:00:00+00:00"),
    ("date", 1709287200, "2024-03-01T10:00:00+00:00"),
    ("date", 1709287200000, "2024-03-01T10:00:00+00:00"),
    ("date", "1709287200000", "2024-03-01T10:00:00+00:00"),
    ("date", "", None),
    ("json", '{"a": [1, 2]}', {"a": [1, 2]}),
    ("json", "[]", []),
    ("json", {"already": "parsed"}, {"already": "parsed"}),
    ("auto", "text", "text"),
])
def test_type_coercion(kind, value, expected):
    [out] = mapped({"keep": "none", "fields": [field("x", value, kind)]})
    assert out == {"x": expected}
    assert type(out["x"]) is type(expected)


def test_coercion_of_an_expression_result():
    [out] = mapped({"keep": "none", "fields": [
        field("budget", "{{ item.custom.budget }}", "number"),
        field("vip", "{{ item.custom.vip }}", "boolean")]})
    assert out == {"budget": 1250.5, "vip": True}


@pytest.mark.parametrize(("kind", "value", "fragment"), [
    ("number", "twelve", "Field 'x': 'twelve' cannot be a number"),
    ("number", "Infinity", "Field 'x': 'Infinity' cannot be a number"),
    ("number", "NaN", "Field 'x': 'NaN' cannot be a number"),
    ("boolean", "maybe", "Field 'x': 'maybe' cannot be a boolean"),
    ("date", "the day after", "Field 'x': 'the day after' cannot be a date"),
    ("json", "{broken", "Field 'x': '{broken' cannot be a json"),
])
def test_values_that_cannot_be_converted_fail_with_the_field_named(kind, value, fragment):
    error = fail_node("core.map", {"fields": [field("x", value, kind)]}, [{}])
    assert error["message"].startswith(fragment), error["message"]


def test_dates_without_a_zone_are_read_in_the_workflow_timezone():
    document = doc(node("t", "core.trigger.manual"),
                   node("m", "core.map", params={"keep": "none", "fields": [
                       field("at", "2024-07-01 09:00", "date")]}),
                   edges=[("t", "m")], settings={"timezone": "America/New_York"})
    outcome, _ = run_valid(document, [{}])
    assert outcome.results["m"]["main"] == [{"at": "2024-07-01T09:00:00-04:00"}]


def test_keep_none_starts_from_an_empty_item():
    [out] = mapped({"keep": "none", "fields": [field("id", "{{ item.id }}")]})
    assert out == {"id": "c1"}


def test_keep_selected_keeps_listed_fields_including_nested_ones():
    [out] = mapped({"keep": "selected", "keep_fields": ["id", "custom.vip", "missing"],
                    "fields": [field("source", "form")]})
    assert out == {"id": "c1", "custom": {"vip": "yes"}, "source": "form"}


def test_rename_moves_a_value_to_a_new_path():
    [out] = mapped({"rename": [{"from": "name", "to": "full_name"},
                               {"from": "custom.budget", "to": "budget"}]})
    assert out["full_name"] == "Ada Lovelace" and "name" not in out
    assert out["budget"] == "1,250.50" and out["custom"] == {"vip": "yes"}


def test_renaming_a_missing_field_does_nothing():
    [out] = mapped({"rename": [{"from": "nope", "to": "still_nope"}]})
    assert out == CONTACT


def test_renamed_fields_are_kept_when_other_fields_are_dropped():
    [out] = mapped({"keep": "none", "rename": [{"from": "email", "to": "contact_email"}],
                    "fields": [field("id", "{{ item.id }}")]})
    assert out == {"contact_email": "ADA@Example.com", "id": "c1"}


def test_remove_drops_fields_and_nested_fields():
    [out] = mapped({"remove": ["tags", "custom.vip", "not_there"]})
    assert "tags" not in out and out["custom"] == {"budget": "1,250.50"}
    assert out["email"] == CONTACT["email"]


def test_fields_are_set_after_renames_and_removals():
    [out] = mapped({"remove": ["email"], "fields": [field("email", "{{ item.email | lower }}")]})
    assert out["email"] == "ada@example.com"


def test_input_items_are_never_changed():
    items = [copy.deepcopy(CONTACT), {"id": "c2", "custom": {"vip": "no"}, "tags": []}]
    before = copy.deepcopy(items)
    document = doc(
        node("t", "core.trigger.manual"),
        node("m", "core.map", params={
            "rename": [{"from": "custom.vip", "to": "vip"}], "remove": ["tags"],
            "fields": [field("custom.score", 1), field("tags.0", "x"), field("id", "new")]}),
        edges=[("t", "m")])
    outcome, _ = run_valid(document, items)
    assert items == before
    assert outcome.results["t"]["main"] == before
    assert outcome.results["m"]["main"][0]["custom"] == {"budget": "1,250.50", "score": 1}


def test_each_item_is_mapped_with_its_own_values_and_index():
    out = mapped({"keep": "none", "fields": [field("n", "{{ index }}:{{ item.id }}")]},
                 [{"id": "a"}, {"id": "b"}])
    assert out == [{"n": "0:a"}, {"n": "1:b"}]


def test_a_missing_field_in_an_expression_fails_with_its_name():
    error = fail_node("core.map", {"fields": [field("x", "{{ item.nope }}")]}, [{"id": 1}])
    assert error["type"] == "ExpressionError"
    assert "nope" in error["message"]


def test_renames_chain_in_order():
    [out] = mapped({"keep": "none", "rename": [{"from": "id", "to": "contact_id"},
                                               {"from": "contact_id", "to": "ref"}]})
    assert out == {"ref": "c1"}
