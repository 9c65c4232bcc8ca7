"""`{{ }}` expressions in params, rendered with Jinja2's immutable sandbox.

A param that is exactly one expression keeps the expression's type (`{{ item.value }}` stays a
number, a list stays a list); any other string with expressions renders to a string. Compiled
templates are cached by their text, because the same param is rendered for every item.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Mapping
from datetime import date, datetime
from functools import lru_cache
from typing import Any

from jinja2 import StrictUndefined, TemplateSyntaxError, UndefinedError, nodes
from jinja2.exceptions import SecurityError
from jinja2.runtime import Undefined
from jinja2.sandbox import ImmutableSandboxedEnvironment
from jinja2.utils import missing

from server.engine import filters, limits

Scope = Mapping[str, Any]

#: Results of `*` and `**` beyond these sizes are refused: an expression must not be able to
#: exhaust a worker's memory or CPU with `"x" * 10**9` or `9 ** 9 ** 9`.
MAX_REPEAT_LENGTH = 1_000_000
MAX_POWER_EXPONENT = 1_000
#: ...and powers whose result would pass this many bits: `((10 ** 999) ** 999) ** 999` keeps
#: every exponent small yet asks for a number of a billion digits.
MAX_POWER_BITS = 100_000
#: Templates with loops or macros (`{% for %}`, `{% macro %}`) get this long (seconds) and
#: may write this many characters: nested loops could otherwise run for hours.
LOOP_TIME_LIMIT = 2.0
MAX_OUTPUT_LENGTH = 10_000_000
_LOOPING = re.compile(r"\{%-?\s*(?:for|macro|call)\b|\brecursive\b")



class ExpressionError(Exception):
    """An expression that does not parse or fails to evaluate; the message says which and why."""

    def __init__(self, template: str, reason: str, undefined: bool = False) -> None:
        super().__init__(f"{reason} in {template!r}")
        self.template = template
        self.reason = reason
        #: True when the expression names something that is not there (a missing field).
        self.undefined = undefined


class _Undefined(StrictUndefined):
    """StrictUndefined whose message says what is missing in the user's terms: a field (and
    the fields there are), a list entry, a name."""

    __slots__ = ()

    @property
    def _undefined_message(self) -> str:
        obj, name = self._undefined_obj, self._undefined_name
        if self._undefined_hint or obj is missing:
            return self._undefined_hint or f"{name!r} is not defined"
        if isinstance(obj, dict) and isinstance(name, str):
            fields = ", ".join(map(str, list(obj)[:20])) + (", ..." if len(obj) > 20 else "")
            return f"there is no field {name!r}" + (f" (fields: {fields})" if obj else
                                                    " (the object is empty)")
        if isinstance(obj, list | tuple) and isinstance(name, int):
            return f"there is no entry {name} (the list has {len(obj)} entries)"
        return str(super()._undefined_message)


class _Environment(ImmutableSandboxedEnvironment):
    """The sandbox, with dict keys winning over dict methods (`item.items` is the field)."""

    intercepted_binops = frozenset({"*", "**"})

    def getattr(self, obj: Any, attribute: str) -> Any:
        if isinstance(obj, dict) and attribute in obj:
            return obj[attribute]
        return super().getattr(obj, attribute)

    def getitem(self, obj: Any, argument: Any) -> Any:
        # Mappings that explain a missing key (`nodes["Name"]`: no such node, or it has not
        # run) keep their explanation instead of Jinja's generic "has no attribute".
        if isinstance(obj, Mapping) and not isinstance(obj, dict) and isinstance(argument, str):
            try:
                return obj[argument]
            except KeyError as err:
                hint = str(err.args[0]) if err.args else None
                return self.undefined(hint=hint, obj=obj, name=argument)
        return super().getitem(obj, argument)

    def call_binop(self, context: Any, operator: str, left: Any, right: Any) -> Any:
        if operator == "**" and isinstance(right, int | float) and abs(right) > MAX_POWER_EXPONENT:
            raise SecurityError(f"exponent {right} is too large")
        if (operator == "**" and isinstance(left, int) and isinstance(right, int)
                and left.bit_length() * right > MAX_POWER_BITS):
            raise SecurityError("the power would be too large")
        if operator == "*":
            for seq, count in ((left, right), (right, left)):
                sized = isinstance(seq, str | list | tuple) and isinstance(count, int)
                if sized and len(seq) * count > MAX_REPEAT_LENGTH:
                    raise SecurityError("the repeated value would be too large")
        return super().call_binop(context, operator, left, right)


def _as_text(value: Any) -> Any:
    """How a value reads inside text: as JSON writes it (true, ["a", "b"], ISO dates), and
    None as nothing, so "Owner: {{ item.owner }}" never says "None"."""
    if value is None:
        return ""
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, dict | list | tuple | datetime | date):
        return filters.to_json(value) if not isinstance(value, datetime | date) else \
            value.isoformat()
    return value


_env = _Environment(undefined=_Undefined, autoescape=False, keep_trailing_newline=True,
                    finalize=_as_text)
_env.filters.update(filters.FILTERS)
_env.globals.update(filters.GLOBALS)


def has_expression(value: Any) -> bool:
    return isinstance(value, str) and ("{{" in value or "{%" in value)


def check(template: str) -> str | None:
    """The syntax error in `template`, as a sentence, or None when it parses."""
    try:
        compile_template(template)
    except ExpressionError as err:
        return err.reason
    return None


@lru_cache(maxsize=8192)
def compile_template(template: str) -> Callable[[Scope], Any]:
    """Compile once; the result evaluates the template against a scope."""
    try:
        whole = _whole_expression(template)
        if whole is not None:
            expression = _env.compile_expression(whole, undefined_to_none=False)
            return lambda scope: _defined(template, expression(**scope))
        compiled = _env.from_string(template)
    except TemplateSyntaxError as err:
        raise ExpressionError(template, f"syntax error: {err.message}") from None
    if _LOOPING.search(template):
        return lambda scope: _bounded_render(template, compiled, scope)
    return lambda scope: compiled.render(scope)


def _whole_expression(template: str) -> str | None:
    """The expression inside `template` when it is exactly one `{{ }}` (spaces around it
    allowed), else None. The parser decides, so `{{ {"a": {"b": 1}} }}` counts as one."""
    text = template.strip()
    if not (text.startswith("{{") and text.endswith("}}")):
        return None
    body = _env.parse(text).body
    if not (len(body) == 1 and isinstance(body[0], nodes.Output) and len(body[0].nodes) == 1
            and not isinstance(body[0].nodes[0], nodes.TemplateData)):
        return None
    inner = text[2:-2]
    inner = inner[1:] if inner[:1] in ("-", "+") else inner  # {{- x }}: whitespace control
    return inner[:-1] if inner.endswith("-") else inner


def _bounded_render(template: str, compiled: Any, scope: Scope) -> str:
    """Render within LOOP_TIME_LIMIT seconds and MAX_OUTPUT_LENGTH characters."""
    parts, length = [], 0
    with limits.time_limit(LOOP_TIME_LIMIT):
        for part in compiled.generate(scope):
            length += len(part)
            if length > MAX_OUTPUT_LENGTH:
                raise ExpressionError(template, "the result would be too long")
            parts.append(part)
    return "".join(parts)


def evaluate(template: str, scope: Scope) -> Any:
    """Evaluate one string: its expressions rendered, or the string itself when it has none."""
    if not has_expression(template):
        return template
    function = compile_template(template)
    try:
        return filters.jsonable(function(scope))
    except ExpressionError:
        raise
    except UndefinedError as err:
        raise ExpressionError(template, str(err.message), undefined=True) from None
    except SecurityError as err:
        raise ExpressionError(template, f"not allowed: {err}") from None
    except RecursionError:
        raise ExpressionError(template, "recursion too deep") from None
    except limits.TimeLimitExceeded:
        raise ExpressionError(template, f"took longer than {LOOP_TIME_LIMIT:g} s") from None
    except (TypeError, ValueError, ArithmeticError, LookupError, AttributeError) as err:
        raise ExpressionError(template, f"{type(err).__name__}: {err}") from None


def _defined(template: str, value: Any) -> Any:
    if isinstance(value, Undefined):
        try:
            str(value)
        except UndefinedError as err:
            raise ExpressionError(template, str(err.message), undefined=True) from None
    return value


# -- params trees ------------------------------------------------------------------------------

Renderer = Callable[[Scope], Any]


def compile_value(value: Any) -> Renderer | None:
    """A renderer for a params tree, or None when it holds no expression (use it as it is).

    Static subtrees are returned as they are (shared, not copied): callers must not mutate
    rendered params.
    """
    if isinstance(value, str):
        if not has_expression(value):
            return None
        compile_template(value)  # raise syntax errors now, not per item
        return lambda scope: evaluate(value, scope)
    if isinstance(value, dict):
        parts = {key: compile_value(child) for key, child in value.items()}
        if all(part is None for part in parts.values()):
            return None
        return lambda scope: {
            key: value[key] if part is None else part(scope) for key, part in parts.items()
        }
    if isinstance(value, list):
        items = [compile_value(child) for child in value]
        if all(part is None for part in items):
            return None
        return lambda scope: [
            value[i] if part is None else part(scope) for i, part in enumerate(items)
        ]
    return None


def render(value: Any, scope: Scope) -> Any:
    """Render a params tree once (compile and evaluate)."""
    renderer = compile_value(value)
    return value if renderer is None else renderer(scope)


def find_syntax_errors(value: Any, pointer: str = "") -> list[tuple[str, str]]:
    """Every (JSON pointer, reason) in a params tree whose expression does not parse."""
    found: list[tuple[str, str]] = []
    if isinstance(value, str) and has_expression(value):
        reason = check(value)
        if reason:
            found.append((pointer, reason))
    elif isinstance(value, dict):
        for key, child in value.items():
            escaped = str(key).replace("~", "~0").replace("/", "~1")
            found += find_syntax_errors(child, f"{pointer}/{escaped}")
    elif isinstance(value, list):
        for index, child in enumerate(value):
            found += find_syntax_errors(child, f"{pointer}/{index}")
    return found

