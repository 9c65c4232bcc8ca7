"""The typed operators shared by IF, Switch and Filter: every operator of every type, their
negations, and/or, case sensitivity, and clear errors for values of the wrong type."""

from __future__ import annotations

import pytest

from nodes.core.conditions import OPERATORS, UNARY, evaluate_rule, matches
from nodes.registry import NodeError


def rule(kind: str, operator: str, left=None, right=None) -> dict:
    return {"type": kind, "operator": operator, "left": left, "right": right}


def holds(kind: str, operator: str, left=None, right=None, case_sensitive: bool = True) -> bool:
    return evaluate_rule(rule(kind, operator, left, right), case_sensitive, "Condition 1")


# (type, operator, left, right, expected)
CASES = [
    # existence and emptiness, the same for every type
    *[
        case
        for kind in OPERATORS
        for case in (
            (kind, "exists", "x", None, True),
            (kind, "exists", None, None, False),
            (kind, "not_exists", None, None, True),
            (kind, "not_exists", 0, None, False),
            (kind, "empty", "", None, True),
            (kind, "empty", [], None, True),
            (kind, "empty", {}, None, True),
            (kind, "empty", None, None, True),
            (kind, "empty", 0, None, False),
            (kind, "not_empty", "a", None, True),
            (kind, "not_empty", [], None, False),
        )
    ],
    # strings
    ("string", "equals", "Won", "Won", True),
    ("string", "equals", "Won", "won", False),
    ("string", "equals", 42, "42", True),
    ("string", "not_equals", "Won", "Lost", True),
    ("string", "not_equals", "Won", "Won", False),
    ("string", "contains", "ada@example.com", "@", True),
    ("string", "contains", "ada", "@", False),
    ("string", "not_contains", "ada", "@", True),
    ("string", "not_contains", "a@b", "@", False),
    ("string", "starts_with", "pit-123", "pit-", True),
    ("string", "starts_with", "123-pit", "pit-", False),
    ("string", "not_starts_with", "123-pit", "pit-", True),
    ("string", "not_starts_with", "pit-123", "pit-", False),
    ("string", "ends_with", "deal.pdf", ".pdf", True),
    ("string", "ends_with", "deal.pdf", ".csv", False),
    ("string", "not_ends_with", "deal.pdf", ".csv", True),
    ("string", "not_ends_with", "deal.pdf", ".pdf", False),
    ("string", "regex", "+1 (555) 010-9999", r"\(\d{3}\)", True),
    ("string", "regex", "5550109999", r"^\+", False),
    ("string", "not_regex", "5550109999", r"^\+", True),
    ("string", "not_regex", "+1555", r"^\+", False),
    ("string", "equals", None, "", True),
    # numbers (numeric text counts, thousands separators too)
    ("number", "equals", 1000, 1000.0, True),
    ("number", "equals", "1,000", 1000, True),
    ("number", "equals", 999, 1000, False),
    ("number", "not_equals", 999, 1000, True),
    ("number", "not_equals", 1000, "1000", False),
    ("number", "gt", 1001, 1000, True),
    ("number", "gt", 1000, 1000, False),
    ("number", "lt", 999, 1000, True),
    ("number", "lt", 1000, 1000, False),
    ("number", "gte", 1000, 1000, True),
    ("number", "gte", 999.99, 1000, False),
    ("number", "lte", 1000, 1000, True),
    ("number", "lte", 1000.01, 1000, False),
    ("number", "gt", "10", "9", True),
    ("number", "gt", "$1,000", 999, True),
    ("number", "equals", True, 1, True),
    # dates: ISO text, epoch seconds and milliseconds, timezones
    ("date", "equals", "2024-03-01T10:00:00Z", "2024-03-01T11:00:00+01:00", True),
    ("date", "equals", 1709287200, "2024-03-01T10:00:00Z", True),
    ("date", "equals", 1709287200000, "2024-03-01T10:00:00Z", True),
    ("date", "not_equals", "2024-03-01", "2024-03-02", True),
    ("date", "not_equals", "2024-03-01", "2024-03-01T00:00:00Z", False),
    ("date", "after", "2024-03-02", "2024-03-01", True),
    ("date", "after", "2024-03-01", "2024-03-01", False),
    ("date", "before", "2024-02-29", "2024-03-01", True),
    ("date", "before", "2024-03-01", "2024-03-01", False),
    ("date", "after_or_equal", "2024-03-01", "2024-03-01", True),
    ("date", "after_or_equal", "2024-02-29", "2024-03-01", False),
    ("date", "before_or_equal", "2024-03-01", "2024-03-01", True),
    ("date", "before_or_equal", "2024-03-02", "2024-03-01", False),
    # booleans: real booleans, and the words forms and CSV files use
    ("boolean", "true", True, None, True),
    ("boolean", "true", False, None, False),
    ("boolean", "true", "yes", None, True),
    ("boolean", "true", 0, None, False),
    ("boolean", "false", "false", None, True),
    ("boolean", "false", "TRUE", None, False),
    ("boolean", "equals", True, "true", True),
    ("boolean", "equals", "0", False, True),
    ("boolean", "equals", True, False, False),
    ("boolean", "not_equals", True, False, True),
    ("boolean", "not_equals", "yes", True, False),
    # arrays
    ("array", "contains", ["vip", "hot"], "vip", True),
    ("array", "contains", ["vip", "hot"], "cold", False),
    ("array", "contains", [1, 2, 3], 2, True),
    ("array", "not_contains", ["vip"], "cold", True),
    ("array", "not_contains", ["vip"], "vip", False),
    ("array", "length_equals", [1, 2], 2, True),
    ("array", "length_equals", [1, 2], 3, False),
    ("array", "length_not_equals", [1, 2], 3, True),
    ("array", "length_not_equals", [1, 2], 2, False),
    ("array", "length_gt", [1, 2], 1, True),
    ("array", "length_gt", [1, 2], 2, False),
    ("array", "length_lt", [1, 2], 3, True),
    ("array", "length_lt", [1, 2], 2, False),
    ("array", "length_gte", [1, 2], 2, True),
    ("array", "length_gte", [1], 2, False),
    ("array", "length_lte", [1, 2], 2, True),
    ("array", "length_lte", [1, 2, 3], "2", False),
    # objects
    ("object", "exists", {"a": 1}, None, True),
    ("object", "not_empty", {"a": 1}, None, True),
]


@pytest.mark.parametrize(("kind", "operator", "left", "right", "expected"), CASES)
def test_operator(kind, operator, left, right, expected):
    assert holds(kind, operator, left, right) is expected


def test_every_declared_operator_has_a_case():
    covered = {(kind, operator) for kind, operator, *_ in CASES}
    declared = {(kind, operator) for kind, ops in OPERATORS.items() for operator in ops}
    assert declared - covered == set()


def test_unary_operators_ignore_the_right_side():
    assert holds("boolean", "true", True, "anything") is True
    assert all(op in UNARY for op in ("exists", "not_exists", "empty", "not_empty"))


@pytest.mark.parametrize(("operator", "left", "right"), [
    ("equals", "WON", "won"),
    ("contains", "Closed WON", "won"),
    ("starts_with", "VIP customer", "vip"),
    ("ends_with", "report.PDF", ".pdf"),
    ("regex", "ACME Inc", "^acme"),
])
def test_case_insensitive_string_operators(operator, left, right):
    assert holds("string", operator, left, right, case_sensitive=True) is False
    assert holds("string", operator, left, right, case_sensitive=False) is True
    assert holds("string", f"not_{operator}", left, right, case_sensitive=False) is False


def test_case_insensitive_array_contains():
    assert holds("array", "contains", ["VIP"], "vip") is False
    assert holds("array", "contains", ["VIP"], "vip", case_sensitive=False) is True
    assert holds("array", "not_contains", ["VIP"], "vip", case_sensitive=False) is False


def test_casefold_handles_more_than_ascii():
    assert holds("string", "equals", "STRASSE", "straße", case_sensitive=False) is True


@pytest.mark.parametrize(("kind", "operator", "left", "right", "fragment"), [
    ("number", "gt", "lots", 10, "'lots' is not a number"),
    ("number", "gt", 10, None, "None is not a number"),
    ("number", "equals", [1], 1, "is not a number"),
    ("number", "equals", "", 1, "'' is not a number"),
    ("number", "lt", "NaN", 1, "'NaN' is not a number"),
    ("date", "after", "not a date", "2024-01-01", "is not a date"),
    ("date", "before", "2024-01-01", None, "is not a date"),
    ("boolean", "true", "maybe", None, "'maybe' is not true or false"),
    ("boolean", "equals", True, None, "None is not true or false"),
    ("array", "contains", "vip,hot", "vip", "is not a list"),
    ("array", "length_gt", [1], "many", "'many' is not a number"),
    ("string", "regex", "abc", "([", "is not a valid regular expression"),
])
def test_wrong_types_fail_with_a_sentence_naming_the_rule(kind, operator, left, right, fragment):
    with pytest.raises(NodeError) as caught:
        holds(kind, operator, left, right)
    assert caught.value.message.startswith("Condition 1: ")
    assert fragment in caught.value.message


@pytest.mark.parametrize(("kind", "operator"), [
    ("number", "contains"), ("object", "equals"), ("boolean", "gt"), ("text", "equals"),
])
def test_an_operator_the_type_does_not_have_is_an_error(kind, operator):
    with pytest.raises(NodeError, match=f"no operator '{operator}'"):
        holds(kind, operator, 1, 1)


def test_the_type_defaults_to_string():
    assert evaluate_rule({"operator": "equals", "left": 5, "right": "5"}) is True


def conditions(combinator: str, *results: bool) -> dict:
    rules = [rule("boolean", "true", value) for value in results]
    return {"combinator": combinator, "rules": rules}


@pytest.mark.parametrize(("combinator", "results", "expected"), [
    ("and", (True, True), True),
    ("and", (True, False), False),
    ("or", (False, True), True),
    ("or", (False, False), False),
])
def test_combinators(combinator, results, expected):
    assert matches(conditions(combinator, *results)) is expected


def test_and_is_the_default_combinator():
    assert matches({"rules": [rule("boolean", "true", True), rule("boolean", "true", False)]}) \
        is False


def test_combinators_stop_at_the_first_decisive_rule():
    broken = rule("number", "gt", "not a number", 1)
    assert matches({"combinator": "or", "rules": [rule("boolean", "true", True), broken]})
    assert not matches({"combinator": "and", "rules": [rule("boolean", "true", False), broken]})


def test_errors_name_the_failing_rule_by_position():
    broken = rule("number", "gt", "nope", 1)
    with pytest.raises(NodeError, match=r"^Condition 2: "):
        matches({"rules": [rule("boolean", "true", True), broken]})


def test_case_sensitivity_is_set_for_the_whole_condition_set():
    rules = [rule("string", "equals", "WON", "won")]
    assert matches({"rules": rules, "case_sensitive": False}) is True
    assert matches({"rules": rules}) is False


def test_dates_without_a_zone_are_read_in_the_given_timezone():
    rule_ = rule("date", "equals", "2024-07-01 09:00", "2024-07-01T07:00:00Z")
    assert evaluate_rule(rule_, tz="Europe/Paris") is True
    assert evaluate_rule(rule_) is False
