"""n8n expressions translated to Jinja2, then evaluated by Flowlane's own expression engine
against the data n8n would see: the result must be n8n's."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from server.engine import expressions
from server.engine.executor import NodeData
from server.importers.n8n.expressions import UNTRANSLATED, Scope, translate_string

ITEM = {"first name": "Ada", "last": "Lovelace", "email": "  ADA@Example.com ", "amount": 1234.5,
        "tags": ["vip", "new"], "stage": "won", "created": "2026-11-20T10:00:00Z", "nick": None,
        "body": {"name": " Ada ", "budget": 2500}, "count": 3, "items": [{"id": 1}, {"id": 2}]}
SOURCE = [{"rank": 0, "last": "Lovelace", "email": " a@b.c "}, {"rank": 1, "last": "Byron"}]
SCOPE = Scope(frozenset({"Webhook", "Source", "Get deal"}), sole_trigger="Webhook")


def evaluate(n8n: str, item: dict | None = None, index: int = 0):
    translated = translate_string(n8n, SCOPE)
    assert not translated.untranslated, translated.untranslated
    scope = {
        "item": ITEM if item is None else item, "items": [ITEM, {"last": "Second"}],
        "index": index, "trigger": {"body": {"email": "lead@example.com"}},
        "nodes": {"Source": NodeData({"main": SOURCE}), "Get deal": NodeData({"main": SOURCE}),
                  "Webhook": NodeData({"main": [{"body": {"email": "lead@example.com"}}]})},
        "run": {"id": 7, "workflow_id": 3, "workflow": "Imported", "trigger_kind": "manual"},
        "now": lambda: datetime(2026, 11, 28, 9, 5, tzinfo=UTC),
    }
    return expressions.render(translated.value, scope)


@pytest.mark.parametrize(("n8n", "expected"), [
    ("={{ $json.last }}", "Lovelace"),
    ('={{ $json["first name"] }}', "Ada"),
    ("={{ $json.amount }}", 1234.5),  # a lone expression keeps its type
    ("={{ $json.body.budget }}", 2500),
    ("={{ $json.items[1].id }}", 2),
    ("={{ $json.tags[0] }}", "vip"),
    ("=Hello {{ $json.last }}!", "Hello Lovelace!"),
    ("=Total: {{ $json.count }}", "Total: 3"),
    ("={{ $('Source').item.json.rank }}", 1),  # paired by position
    ("={{ $('Source').first().json.last }}", "Lovelace"),
    ("={{ $('Source').last().json.last }}", "Byron"),
    ("={{ $('Source').all().length }}", 2),
    ('={{ $node["Source"].json.last }}', "Byron"),
    ("={{ $('Webhook').item.json.body.email }}", "lead@example.com"),  # the sole trigger
    ('={{ $items("Source").length }}', 2),
    ('={{ $items("Source")[0].json.last }}', "Lovelace"),
    ("={{ $input.item.json.last }}", "Lovelace"),
    ("={{ $input.first().json.last }}", "Lovelace"),
    ("={{ $input.last().json.last }}", "Second"),
    ("={{ $input.all().map(i => i.json.last) }}", ["Lovelace", "Second"]),
    ("={{ $json.items.map(x => x.id) }}", [1, 2]),
    ("={{ $itemIndex }}", 1),
    ("={{ $workflow.name }}", "Imported"),
    ("={{ $execution.id }}", 7),
    ("={{ $now.toISO() }}", "2026-11-28T09:05:00+00:00"),
    ("={{ $now.toFormat('yyyy-MM-dd HH:mm') }}", "2026-11-28 09:05"),
    ("={{ $now.plus({days: 3}).toFormat('dd/MM/yyyy') }}", "01/12/2026"),
    ("={{ $now.minus(2, 'hours').toFormat('HH:mm') }}", "07:05"),
    ("={{ $now.year }}", 2026),
    ("={{ DateTime.fromISO($json.created).toFormat('dd MMM yyyy') }}", "20 Nov 2026"),
    ("={{ DateTime.fromISO($json.created).plus({weeks: 1}).toISODate() }}", "2026-11-27"),
    ("={{ $json.amount > 1000 ? 'big' : 'small' }}", "big"),
    ("={{ $json.amount < 1000 ? 'big' : $json.stage === 'won' ? 'won' : 'other' }}", "won"),
    ("={{ $json.last.toUpperCase() }}", "LOVELACE"),
    ("={{ $json.email.trim().toLowerCase() }}", "ada@example.com"),
    ("={{ $json.tags.includes('vip') }}", True),
    ("={{ $json.last.startsWith('Love') }}", True),
    ("={{ $json.last.endsWith('x') }}", False),
    ("={{ $json.stage.replace('w', 'W') }}", "Won"),
    ("={{ 'a-b-a'.replaceAll('a', 'c') }}", "c-b-c"),
    ("={{ $json.email.trim().split('@')[1] }}", "Example.com"),
    ("={{ $json.last.slice(0, 4) }}", "Love"),
    ("={{ $json.last.substring(4) }}", "lace"),
    ("={{ $json.last.length }}", 8),
    ("={{ $json.tags.join(' & ') }}", "vip & new"),
    ("={{ $json.last.indexOf('lace') }}", 4),
    ("={{ $json.last.charAt(0) }}", "L"),
    ("={{ `${$json['first name']} ${$json.last}` }}", "Ada Lovelace"),
    ("={{ $json['first name'] + ' ' + $json.last }}", "Ada Lovelace"),
    ("={{ $json.nick || 'none' }}", "none"),
    ("={{ $json.missing || 'none' }}", "none"),
    ("={{ $json.missing ?? 'fallback' }}", "fallback"),
    ("={{ $json.count ?? 0 }}", 3),
    ("={{ !$json.done }}", True),
    ("={{ $json.amount > 100 && $json.stage === 'won' }}", True),
    ("={{ $json.amount > 1e6 || $json.stage !== 'won' }}", False),
    ("={{ Math.round($json.amount) }}", 1234),
    ("={{ Math.floor(7.9) + Math.ceil(0.1) }}", 8),
    ("={{ Math.max(3, $json.count, 1) }}", 3),
    ("={{ $json.amount.toFixed(1) }}", "1234.5"),
    ("={{ Number('42') + 1 }}", 43),
    ("={{ parseInt('7') * 2 }}", 14),
    ("={{ String($json.count) + '!' }}", "3!"),
    ("={{ JSON.parse('{\"a\": 1}').a }}", 1),
    ("={{ $json.amount * 2 - 1 }}", 2468.0),
    ("={{ -$json.count }}", -3),
    ("={{ [$json.count, 4] }}", [3, 4]),
    ("={{ { \"success\": true, \"n\": $json.count } }}", {"success": True, "n": 3}),
    ("={{ $json.tags.first() }}", "vip"),
    ("={{ $json.tags.isEmpty() }}", False),
    ("plain {{ text }} stays", "plain {{ text }} stays"),
    ("=no expression here", "no expression here"),
    ("=a {# b {{ $json.count }}", "a {# b 3"),
])
def test_translated_expressions_give_n8ns_result(n8n, expected):
    assert evaluate(n8n, index=1) == expected


def test_json_stringify_gives_the_same_json():
    import json

    assert json.loads(evaluate("={{ JSON.stringify($json.tags) }}")) == ["vip", "new"]


@pytest.mark.parametrize(("n8n", "reason"), [
    ("={{ $runIndex }}", "$runIndex"),
    ("={{ $json.name.replace(/a/g, 'b') }}", "regular expression"),
    ("={{ $vars.apiKey }}", "$vars"),
    ("={{ $json.items.filter(i => i.ok) }}", ".filter()"),
    ("={{ (() => { return 1 })() }}", "block body"),
    ("={{ $('Nowhere').item.json.x }}", "not in the workflow"),
    ("={{ $json.a = 1 }}", "assignment"),
    ("={{ typeof $json.a }}", "typeof"),
])
def test_what_cannot_be_translated_is_kept_and_fails_when_run(n8n, reason):
    translated = translate_string(n8n, SCOPE)
    assert translated.untranslated and reason in translated.untranslated[0][1]
    assert UNTRANSLATED in translated.value
    assert expressions.check(translated.value) is None  # it validates...
    with pytest.raises(expressions.ExpressionError) as failure:  # ...and cannot run by accident
        expressions.render(translated.value, {"item": ITEM})
    assert UNTRANSLATED in str(failure.value)
    assert n8n[4:-3].strip()[:10] in failure.value.template.replace('\\"', '"')


def test_a_template_keeps_what_it_can_translate():
    translated = translate_string("=Run {{ $runIndex }} for {{ $json.last }}", SCOPE)
    assert translated.value.startswith(f"Run {{{{ {UNTRANSLATED}(")
    assert translated.value.endswith(" for {{ item.last }}")
    assert [source for source, _ in translated.translated] == ["$json.last"]


def test_braces_in_plain_text_are_never_evaluated():
    for text in ("{{ 1 + 1 }}", "{% for x in y %}", "={{ '{{' + $json.last }}",
                 "{% endraw %}{{ x }}"):
        value = translate_string(text, SCOPE).value
        assert expressions.check(value) is None
    assert expressions.render(translate_string("{% endraw %}{{ x }}", SCOPE).value, {}) == \
        "{% endraw %}{{ x }}"


@given(st.text(max_size=60))
@settings(max_examples=300, deadline=None)
def test_any_text_translates_to_something_that_validates(text):
    for candidate in (text, "=" + text, "={{ " + text + " }}"):
        value = translate_string(candidate, SCOPE).value
        assert expressions.check(value) is None, (candidate, value)
