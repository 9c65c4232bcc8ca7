"""n8n parameter strings (`=Hello {{ $json.name }}`) as Flowlane strings (`Hello {{ item.name }}`).

A value that does not start with `=` is plain text in n8n; it stays plain text here, with any
`{{` or `{%` fenced in `{% raw %}` so Flowlane never evaluates it. An expression the
translator cannot handle is kept, word for word, as the argument of
`untranslated_n8n_expression(...)`: a name Flowlane does not define, so the template is valid
(it saves and validates) but the step fails, naming the expression, if it ever runs.
"""

from __future__ import annotations

import json
from dataclasses import dataclass, field

from server.importers.n8n.expressions.emit import Scope, translate
from server.importers.n8n.expressions.lexer import Unsupported
from server.importers.n8n.expressions.parser import parse
from server.importers.n8n.expressions.values import literal

UNTRANSLATED = "untranslated_n8n_expression"
_JINJA_MARKS = ("{{", "{%", "{#")


@dataclass
class Translation:
    value: str
    #: (n8n code, Jinja2 code) per expression translated.
    translated: list[tuple[str, str]] = field(default_factory=list)
    #: (n8n code, reason) per expression kept untranslated.
    untranslated: list[tuple[str, str]] = field(default_factory=list)

    @property
    def is_expression(self) -> bool:
        return bool(self.translated or self.untranslated)


def translate_string(text: str, scope: Scope) -> Translation:
    """One n8n parameter string, as Flowlane will read it."""
    if not text.startswith("="):
        return Translation(fence(text, only_active=True))
    segments = split(text[1:])
    if not any(kind == "code" for kind, _ in segments):
        return Translation(fence(text[1:], only_active=True))
    result = Translation("")
    parts: list[str] = []
    codes: list[str] = []
    for kind, part in segments:
        if kind == "text":
            parts.append(fence(part))
            continue
        code = part.strip()
        try:
            jinja = translate(parse(code), scope)
            result.translated.append((code, jinja))
        except Unsupported as err:
            jinja = f"{UNTRANSLATED}({_verbatim(code)})"
            result.untranslated.append((code, str(err)))
        except RecursionError:
            jinja = f"{UNTRANSLATED}({_verbatim(code)})"
            result.untranslated.append((code, "an expression nested too deeply"))
        parts.append("{{ " + jinja + " }}")
        codes.append(parts[-1])
    # One expression and nothing around it: keep it alone, so its value keeps its type.
    alone = len(codes) == 1 and all(kind == "code" or not part.strip()
                                    for kind, part in segments)
    result.value = codes[0] if alone else "".join(parts)
    return result


def _verbatim(code: str) -> str:
    """The n8n code as a Jinja2 string literal, braces and all (a string may hold `}}`)."""
    return json.dumps(code, ensure_ascii=False)


def fence(text: str, only_active: bool = False) -> str:
    """Text Jinja2 must print as it is. `only_active`: fence only what Flowlane would render
    (`{{` and `{%`); inside a template `{#` would start a comment, so it is fenced too."""
    marks = _JINJA_MARKS[:2] if only_active else _JINJA_MARKS
    if not any(mark in text for mark in marks):
        return text
    if "endraw" not in text:
        return "{% raw %}" + text + "{% endraw %}"
    # A raw block cannot hold its own end tag: print each opening brace as an expression.
    out = []
    for index, char in enumerate(text):
        opens = char == "{" and text[index + 1:index + 2] in ("{", "%", "#")
        out.append("{{ " + literal("{") + " }}" if opens else char)
    return "".join(out)


def split(body: str) -> list[tuple[str, str]]:
    """`a {{ x }} b` -> [("text", "a "), ("code", " x "), ("text", " b")].

    The closing `}}` is found outside strings and balanced braces, as n8n does, so object
    literals (`{{ { "a": 1 } }}`) stay whole.
    """
    segments: list[tuple[str, str]] = []
    index = 0
    while index < len(body):
        start = body.find("{{", index)
        if start < 0:
            segments.append(("text", body[index:]))
            break
        if start > index:
            segments.append(("text", body[index:start]))
        end = _closing(body, start + 2)
        if end < 0:
            segments.append(("text", body[start:]))
            break
        segments.append(("code", body[start + 2:end]))
        index = end + 2
    return [(kind, part) for kind, part in segments if part or kind == "code"]


def _closing(body: str, index: int) -> int:
    depth, quote = 0, ""
    while index < len(body):
        char = body[index]
        if quote:
            if char == "\\":
                index += 1
            elif char == quote:
                quote = ""
        elif char in "'\"`":
            quote = char
        elif char == "{":
            depth += 1
        elif char == "}":
            if depth == 0 and body.startswith("}}", index):
                return index
            depth = max(depth - 1, 0)
        index += 1
    return -1
