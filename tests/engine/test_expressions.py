"""The `{{ }}` expression language: names, filters, type-keeping, errors, the template cache
and the sandbox."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest

from server.engine import expressions
from server.engine.expressions import ExpressionError, compile_template, evaluate, render
from tests.helpers import doc, node
from tests.nodes.support import run_valid

ITEM = {"name": "Ada Lovelace", "value": 1500, "ratio": 0.25, "vip": True, "owner": None,
        "tags": ["lead", "web"], "contact": {"email": "ada@example.com"}, "items": ["field"],
        "created": 1709287200000}
SCOPE = {"item": ITEM, "items": [ITEM, {"name": "Bob"}], "trigger": {"source": "form"},
         "index": 0, "run": {"id": 9}}


def ev(template: str, scope: dict | None = None):
    return evaluate(template, SCOPE if scope is None else scope)


def reason(template: str, scope: dict | None = None) -> str:
    with pytest.raises(ExpressionError) as caught:
        ev(template, scope)
    return caught.value.reason


# -- names and types -----------------------------------------------------------------------

@pytest.mark.parametrize(("template", "expected"), [
    ("{{ item.value }}", 1500),
    ("{{ item.ratio }}", 0.25),
    ("{{ item.vip }}", True),
    ("{{ item.owner }}", None),
    ("{{ item.tags }}", ["lead", "web"]),
    ("{{ item.contact }}", {"email": "ada@example.com"}),
    ("{{ item['contact']['email'] }}", "ada@example.com"),
    ("{{ item.items }}", ["field"]),
    ("{{ items | length }}", 2),
    ("{{ items[1].name }}", "Bob"),
    ("{{ trigger.source }}", "form"),
    ("{{ run.id }}", 9),
    ("{{ index }}", 0),
    ("  {{ item.value }}\n", 1500),
    ("{{- item.value -}}", 1500),
    ("{{ {'contact': {'email': item.contact.email}} }}", {"contact": {"email":
                                                                     "ada@example.com"}}),
    ("{{ [item.value, {'n': 1}] }}", [1500, {"n": 1}]),
    ("{{ item.value * 2 }}", 3000),
    ("{{ item.tags | map('upper') }}", ["LEAD", "WEB"]),
    ("{{ item.keys() | list | length }}", 9),
    ("{{ range(3) }}", [0, 1, 2]),
])
def test_whole_expressions_keep_their_type(template, expected):
    result = ev(template)
    assert result == expected
    assert type(result) is type(expected)


@pytest.mark.parametrize(("template", "expected"), [
    ("Hi {{ item.name.split(' ')[0] }}!", "Hi Ada!"),
    ("{{ item.value }} USD", "1500 USD"),
    ("{{ item.value }}{{ item.ratio }}", "15000.25"),
    ("VIP: {{ item.vip }}, owner: {{ item.owner }}.", "VIP: true, owner: ."),
    ("tags={{ item.tags }}", 'tags=["lead", "web"]'),
    ("c={{ item.contact }}", 'c={"email": "ada@example.com"}'),
    ("{% if item.vip %}VIP{% else %}regular{% endif %}", "VIP"),
    ("{% for t in item.tags %}{{ t }};{% endfor %}", "lead;web;"),
    ("no expression at all", "no expression at all"),
])
def test_text_with_expressions_renders_to_text_as_json_writes_values(template, expected):
    assert ev(template) == expected


def test_dict_keys_win_over_dict_methods():
    assert ev("{{ item.items }}") == ["field"]
    assert ev("{{ item.values }}", {"item": {"values": 3}}) == 3


def test_params_trees_render_every_string_and_keep_the_rest():
    params = {"url": "https://x/{{ item.value }}", "n": 3, "flags": [True, "{{ item.vip }}"],
              "body": {"to": "{{ item.contact.email }}"}}
    assert render(params, SCOPE) == {"url": "https://x/1500", "n": 3, "flags": [True, True],
                                     "body": {"to": "ada@example.com"}}


def test_names_in_a_run():
    document = doc(
        node("t", "core.trigger.manual"),
        node("fetch", "core.noop", name="Fetch"),
        node("m", "core.map", params={"keep": "none", "fields": [
            {"target": "first", "value": "{{ nodes['Fetch'].items[0].id }}"},
            {"target": "count", "value": "{{ nodes['Fetch'].items | length }}"},
            {"target": "trigger", "value": "{{ trigger.id }}"},
            {"target": "mine", "value": "{{ item.id }}"},
            {"target": "all", "value": "{{ items | map(attribute='id') | list }}"},
            {"target": "workflow", "value": "{{ run.workflow }}"},
            {"target": "year", "value": "{{ now().year }}"}]}),
        edges=[("t", "fetch"), ("fetch", "m")], name="Names")
    outcome, _ = run_valid(document, [{"id": "a"}, {"id": "b"}])
    first = outcome.results["m"]["main"][1]
    assert first == {"first": "a", "count": 2, "trigger": "a", "mine": "b", "all": ["a", "b"],
                     "workflow": "Names", "year": datetime.now(UTC).year}


def test_a_node_that_has_not_run_is_named_in_the_error():
    document = doc(
        node("t", "core.trigger.manual"),
        node("if", "core.if", params={"conditions": {"rules": [
            {"left": "{{ item.go }}", "type": "boolean", "operator": "true"}]}}),
        node("skipped", "core.noop", name="Skipped"),
        node("m", "core.map", params={"fields": [
            {"target": "x", "value": "{{ nodes['Skipped'].items }}"}]}),
        node("typo", "core.map", params={"fields": [
            {"target": "x", "value": "{{ nodes['Fecth'].items }}"}]}),
        edges=[("t", "if"), ("if", "true", "skipped"), ("if", "false", "m"), ("t", "typo")])
    outcome, _ = run_valid(document, [{"go": False}])
    assert outcome.status == "failed"
    assert "node 'Skipped' has not run (yet) in this run" in outcome.error["message"]
    document["edges"] = document["edges"][-1:]
    outcome, _ = run_valid(document, [{"go": False}])
    assert "there is no node named 'Fecth'" in outcome.error["message"]


def test_now_is_an_aware_datetime_in_utc():
    moment = datetime.fromisoformat(ev("{{ now() }}"))
    assert moment.utcoffset().total_seconds() == 0
    assert ev("{{ now('Asia/Kolkata').utcoffset().total_seconds() }}") == 19800


def test_now_takes_a_timezone_in_a_run():
    document = doc(node("t", "core.trigger.manual"),
                   node("m", "core.map", params={"fields": [
                       {"target": "offset",
                        "value": "{{ now('Asia/Kolkata').utcoffset().total_seconds() }}"}]}),
                   edges=[("t", "m")])
    outcome, _ = run_valid(document, [{}])
    assert outcome.status == "succeeded", outcome.error
    assert outcome.results["m"]["main"] == [{"offset": 19800}]


# -- filters -------------------------------------------------------------------------------

@pytest.mark.parametrize(("template", "expected"), [
    # parse_date: ISO, human text, a format, epoch seconds and milliseconds, a zone for naive
    ("{{ '2024-03-01T10:00:00Z' | parse_date }}", "2024-03-01T10:00:00+00:00"),
    ("{{ 'March 1, 2024 10:00' | parse_date }}", "2024-03-01T10:00:00+00:00"),
    ("{{ '01/03/2024' | parse_date('%d/%m/%Y') }}", "2024-03-01T00:00:00+00:00"),
    ("{{ 1709287200 | parse_date }}", "2024-03-01T10:00:00+00:00"),
    ("{{ item.created | parse_date }}", "2024-03-01T10:00:00+00:00"),
    ("{{ '1709287200000' | parse_date }}", "2024-03-01T10:00:00+00:00"),
    ("{{ '2024-03-01 10:00' | parse_date(tz='Europe/Paris') }}", "2024-03-01T10:00:00+01:00"),
    # format_date: strftime codes, converted to a zone
    ("{{ '2024-03-01T10:00:00Z' | format_date }}", "2024-03-01"),
    ("{{ '2024-03-01T10:00:00Z' | format_date('%d %b %Y %H:%M') }}", "01 Mar 2024 10:00"),
    ("{{ item.created | format_date('%H:%M', 'America/New_York') }}", "05:00"),
    ("{{ '2024-07-01T10:00:00Z' | format_date('%H:%M %Z', 'Europe/London') }}", "11:00 BST"),
    # date_add: every unit, negative amounts, month ends
    ("{{ '2024-03-01T10:00:00Z' | date_add(days=1, hours=2) }}", "2024-03-02T12:00:00+00:00"),
    ("{{ '2024-03-01T10:00:00Z' | date_add(minutes=-30) }}", "2024-03-01T09:30:00+00:00"),
    ("{{ '2024-03-01T10:00:00Z' | date_add(weeks=2) }}", "2024-03-15T10:00:00+00:00"),
    ("{{ '2024-01-31' | date_add(months=1) }}", "2024-02-29T00:00:00+00:00"),
    ("{{ '2024-02-29' | date_add(years=1) }}", "2025-02-28T00:00:00+00:00"),
    ("{{ item.created | date_add(seconds=30) }}", "2024-03-01T10:00:30+00:00"),
    ("{{ days_between('2024-03-01', '2024-03-11T12:00:00Z') }}", 10.5),
    ("{{ '2024-03-01' | days_between('2024-02-01') }}", -29),
    # numbers and money
    ("{{ '1,250.50' | to_number }}", 1250.5),
    ("{{ '$12' | to_number }}", 12),
    ("{{ 'n/a' | to_number(0) }}", 0),
    ("{{ 1234567.891 | number_format }}", "1,234,567.89"),
    ("{{ 1234567.891 | number_format(1, ' ') }}", "1 234 567.9"),
    ("{{ 2.5 | number_format(0) }}", "3"),
    ("{{ item.value | money }}", "$1,500.00"),
    ("{{ -1234.5 | money('EUR') }}", "-€1,234.50"),
    ("{{ '99.999' | money('gbp') }}", "£100.00"),
    ("{{ 1234.5 | money('JPY', 0) }}", "1,235 JPY"),
    # default, for missing and for empty values
    ("{{ item.missing | default('none given') }}", "none given"),
    ("{{ item.owner | default('unassigned', true) }}", "unassigned"),
    ("{{ item.name | default('x') }}", "Ada Lovelace"),
    # lookup tables: a mapping, or key/value rows as forms edit them
    ("{{ 'won' | lookup({'won': 'Closed won', 'lost': 'Closed lost'}) }}", "Closed won"),
    ("{{ 'open' | lookup({'won': 'Closed won'}, 'Open') }}", "Open"),
    ("{{ 2 | lookup({'2': 'two'}) }}", "two"),
    ("{{ 2 | lookup([{'key': '1', 'value': 'one'}, {'key': '2', 'value': 'two'}]) }}", "two"),
    ("{{ 3 | lookup([{'key': '1', 'value': 'one'}], 'many') }}", "many"),
    # JSON
    ("{{ item.contact | to_json }}", '{"email": "ada@example.com"}'),
    ("{{ {'when': now()} | to_json | from_json | length }}", 1),
    ("{{ '{\"a\": [1, 2]}' | from_json }}", {"a": [1, 2]}),
    ("{{ {'é': 1} | to_json }}", '{"é": 1}'),
])
def test_filters(template, expected):
    assert ev(template) == expected


def test_today_is_a_date_in_the_given_zone():
    assert ev("{{ today() }}") == datetime.now(UTC).date().isoformat()
    assert len(ev("{{ today('Pacific/Kiritimati') }}")) == 10


@pytest.mark.parametrize(("template", "fragment"), [
    ("{{ 'soon' | parse_date }}", "'soon' is not a date I can read"),
    ("{{ 'abc' | to_number }}", "'abc' is not a number"),
    ("{{ 'x' | money }}", "'x' is not a number"),
    ("{{ '{no' | from_json }}", "JSONDecodeError"),
    ("{{ item.created | format_date('%Y', 'Mars/Base') }}", "Mars/Base"),
])
def test_filter_errors_are_expression_errors(template, fragment):
    assert fragment in reason(template)


# -- errors --------------------------------------------------------------------------------

@pytest.mark.parametrize(("template", "message"), [
    ("{{ item.phone }}", "there is no field 'phone' (fields: name, value, ratio, vip, owner, "
                         "tags, contact, items, created)"),
    ("Call {{ item.phone }}", "there is no field 'phone'"),
    ("{{ item.contact.phone }}", "there is no field 'phone' (fields: email)"),
    ("{{ items[5] }}", "there is no entry 5 (the list has 2 entries)"),
    ("{{ itme.name }}", "'itme' is not defined"),
])
def test_undefined_names_fail_with_a_clear_message(template, message):
    with pytest.raises(ExpressionError) as caught:
        ev(template)
    assert message in caught.value.reason
    assert caught.value.undefined is True
    assert caught.value.template == template


def test_undefined_inside_a_value_is_an_error_too():
    assert reason("{{ [item.phone] }}").startswith("there is no field 'phone'")


@pytest.mark.parametrize(("template", "fragment"), [
    ("{{ item.value + }}", "syntax error"),
    ("{{ item.value", "syntax error"),
    ("{% if item.vip %}no end", "syntax error"),
    ("{{ item.value / 0 }}", "ZeroDivisionError: division by zero"),
    ("{{ item.name + 1 }}", "TypeError"),
])
def test_syntax_and_runtime_errors_are_expression_errors(template, fragment):
    with pytest.raises(ExpressionError) as caught:
        ev(template)
    assert fragment in caught.value.reason
    assert caught.value.undefined is False


def test_check_reports_syntax_errors_without_running():
    assert expressions.check("{{ item.value }}") is None
    assert expressions.check("{{ item. }}").startswith("syntax error")


def test_find_syntax_errors_points_into_params():
    params = {"a": "{{ ok }}", "b": ["fine", "{{ broken( }}"], "c/d": {"e~f": "{% if %}"}}
    found = expressions.find_syntax_errors(params)
    assert [pointer for pointer, _ in found] == ["/b/1", "/c~1d/e~0f"]


# -- the compiled-template cache -----------------------------------------------------------

def test_templates_are_compiled_once_and_reused():
    template = "{{ item.value * 3 }} (cache test)"
    compile_template.cache_clear()
    for value in range(50):
        assert ev(template, {"item": {"value": value}}) == f"{value * 3} (cache test)"
    info = compile_template.cache_info()
    assert (info.misses, info.hits) == (1, 49)
    assert compile_template(template) is compile_template(template)


def test_a_failed_compilation_is_reported_every_time():
    for _ in range(2):
        assert reason("{{ broken( }}").startswith("syntax error")


# -- the sandbox ---------------------------------------------------------------------------

@pytest.mark.parametrize("template", [
    "{{ item.__class__ }}",
    "{{ item.__class__.__mro__[1].__subclasses__() }}",
    "{{ ''.__class__.__base__ }}",
    "{{ now.__globals__ }}",
    "{{ (1).__class__.__subclasses__() }}",
    "{{ lipsum.__globals__['os'] }}",
    "{{ cycler.__init__.__globals__.os.popen('id').read() }}",
    "{{ '{0.__class__}'.format(item) }}",
    "{{ '{0.__init__.__globals__}'.format(now) }}",
    "{{ '{x.__class__}'.format_map({'x': item}) }}",
    "{{ '%s' % item.__class__ }}",
    "{{ item.tags.append('x') }}",
    "{{ item.update({'name': 'x'}) }}",
    "{{ item.pop('name') }}",
])
def test_sandbox_escapes_fail_safely(template):
    before = {key: (list(v) if isinstance(v, list) else v) for key, v in ITEM.items()}
    with pytest.raises(ExpressionError) as caught:
        ev(template)
    assert caught.value.reason
    assert before == ITEM


@pytest.mark.parametrize(("template", "fragment"), [
    ("{{ 'x' * 10**9 }}", "too large"),
    ("{{ [0] * 10**8 }}", "too large"),
    ("{{ 2 ** 100000 }}", "too large"),
    ("{{ ((10 ** 999) ** 999) ** 999 }}", "too large"),
    ("{{ range(10**9) | list }}", "Range too big"),
    ("{{ range(10**9) | length }}", "Range too big"),
    ("{% macro f(n) %}{{ f(n + 1) }}{% endmacro %}{{ f(0) }}", "recursion too deep"),
    ("{% for i in range(100000) %}{{ 'y' * 999999 }}{% endfor %}", "too long"),
])
def test_exhaustion_attempts_fail_with_a_reason(template, fragment):
    assert fragment in reason(template)


@pytest.mark.parametrize("template", ["{{ (10 ** 20) | parse_date }}",
                                      "{{ '99999999999999999999' | format_date }}"])
def test_epochs_beyond_any_calendar_are_not_dates(template):
    assert "is not a date I can read" in reason(template)
