"""Expressions cannot escape Jinja's sandbox, nor exhaust a worker: each attempt fails with
an ExpressionError, within a time and a memory bound."""

from __future__ import annotations

import resource
import time

import pytest

from server.engine.expressions import ExpressionError, evaluate

SCOPE = {"item": {"name": "Ada", "tags": ["a", "b"]}, "items": [{"n": 1}]}

ESCAPES = [
    "{{ item.__class__ }}",
    "{{ item.__class__.__mro__[1].__subclasses__() }}",
    "{{ ''.__class__.__mro__ }}",
    "{{ items.__len__ }}",
    "{{ lipsum.__globals__ }}",
    "{{ cycler.__init__.__globals__.os.popen('id').read() }}",
    "{{ joiner.__init__.__globals__ }}",
    "{{ namespace.__init__ }}",
    "{{ item.tags.pop() }}",
    "{{ item.update({'name': 'x'}) }}",
    "{{ '{0.__class__}'.format(item) }}",
    "{{ '%s' % item.__class__ }}",
    "{{ '{x.__class__}'.format_map({'x': item}) }}",
    "{{ self.__init__.__globals__ }}",
    "{{ config }}",
    "{{ request.environ }}",
    "{% set x = item.__class__ %}{{ x }}",
]

EXHAUSTION = [
    "{{ 'x' * 10**9 }}",
    "{{ [1] * 100000000 }}",
    "{{ 2 ** 100000 }}",
    "{{ range(10**9) | list }}",
    "{% for a in range(100000) %}{% for b in range(100000) %}{% endfor %}{% endfor %}",
    "{% for i in range(100000) %}{{ 'y' * 999999 }}{% endfor %}",
    "{% macro f(n) %}{{ f(n + 1) }}{% endmacro %}{{ f(0) }}",
]


@pytest.mark.parametrize("template", ESCAPES)
def test_sandbox_escapes_fail(template):
    with pytest.raises(ExpressionError):
        evaluate(template, SCOPE)


@pytest.mark.parametrize("template", EXHAUSTION)
def test_exhaustion_attempts_fail_fast_and_small(template):
    before = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    started = time.monotonic()
    with pytest.raises(ExpressionError):
        evaluate(template, SCOPE)
    elapsed = time.monotonic() - started
    grown_mb = (resource.getrusage(resource.RUSAGE_SELF).ru_maxrss - before) / 1024
    # Bounds, not timings of a feature: the sandbox's own limits are 2 s and a few MB.
    assert elapsed < 10
    assert grown_mb < 500


def test_the_sandbox_still_lets_data_through():
    assert evaluate("{{ item.name | upper }} has {{ item.tags | length }} tags", SCOPE) == \
        "ADA has 2 tags"
    assert evaluate("{{ item.tags }}", SCOPE) == ["a", "b"]
