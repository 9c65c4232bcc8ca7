"""Tokens of the JavaScript subset n8n expressions are written in.

Only what sales workflows use is recognised: names, numbers, strings, template literals,
member access, calls, arithmetic, comparison, logic, ternaries and arrow functions. Anything
else raises `Unsupported`, and the expression is kept untranslated.
"""

from __future__ import annotations

import re
from dataclasses import dataclass


class Unsupported(Exception):
    """The expression uses JavaScript this translator does not handle; the message says what."""


@dataclass(frozen=True)
class Token:
    kind: str  # name | number | string | template | op | end
    value: str
    position: int


_PUNCTUATION = sorted([
    "===", "!==", "...", "?.", "??", "&&", "||", "==", "!=", "<=", ">=", "=>",
    "+", "-", "*", "/", "%", "<", ">", "!", "?", ":", ".", ",", "(", ")", "[", "]", "{", "}",
    "=",
], key=len, reverse=True)
_NAME = re.compile(r"[A-Za-z_$][A-Za-z0-9_$]*")
_NUMBER = re.compile(r"(?:\d+\.?\d*(?:[eE][+-]?\d+)?|\.\d+(?:[eE][+-]?\d+)?)")
_ESCAPES = {"n": "\n", "t": "\t", "r": "\r", "b": "\b", "f": "\f", "v": "\v", "0": "\0"}


def tokenize(source: str) -> list[Token]:
    tokens: list[Token] = []
    index = 0
    while index < len(source):
        char = source[index]
        if char.isspace():
            index += 1
            continue
        if char in "'\"":
            text, end = _string(source, index)
            tokens.append(Token("string", text, index))
            index = end
            continue
        if char == "`":
            raw, end = _template(source, index)
            tokens.append(Token("template", raw, index))
            index = end
            continue
        number = _NUMBER.match(source, index)
        if number and (char.isdigit() or (char == "." and number.end() > index + 1)):
            tokens.append(Token("number", number.group(), index))
            index = number.end()
            continue
        name = _NAME.match(source, index)
        if name:
            tokens.append(Token("name", name.group(), index))
            index = name.end()
            continue
        for mark in _PUNCTUATION:
            if source.startswith(mark, index):
                tokens.append(Token("op", mark, index))
                index += len(mark)
                break
        else:
            raise Unsupported(f"the character {char!r}")
    tokens.append(Token("end", "", len(source)))
    return tokens


def _string(source: str, start: int) -> tuple[str, int]:
    quote, index, parts = source[start], start + 1, []
    while index < len(source):
        char = source[index]
        if char == "\\":
            if index + 1 >= len(source):
                break
            following = source[index + 1]
            if following == "u" and re.fullmatch(r"[0-9a-fA-F]{4}", source[index + 2:index + 6]):
                parts.append(chr(int(source[index + 2:index + 6], 16)))
                index += 6
                continue
            parts.append(_ESCAPES.get(following, following))
            index += 2
            continue
        if char == quote:
            return "".join(parts), index + 1
        if char == "\n":
            break
        parts.append(char)
        index += 1
    raise Unsupported("a string that never ends")


def _template(source: str, start: int) -> tuple[str, int]:
    """The raw text between backticks (its `${...}` parts are parsed later)."""
    index, depth = start + 1, 0
    while index < len(source):
        char = source[index]
        if char == "\\":
            index += 2
            continue
        if char == "$" and source.startswith("${", index):
            depth += 1
            index += 2
            continue
        if char == "}" and depth:
            depth -= 1
        elif char == "`" and not depth:
            return source[start + 1:index], index + 1
        index += 1
    raise Unsupported("a template literal that never ends")


def split_template(raw: str) -> list[tuple[str, str]]:
    """A template literal's parts: ("text", "...") and ("code", "...") in order."""
    parts: list[tuple[str, str]] = []
    text: list[str] = []
    index = 0
    while index < len(raw):
        char = raw[index]
        if char == "\\" and index + 1 < len(raw):
            text.append(_ESCAPES.get(raw[index + 1], raw[index + 1]))
            index += 2
            continue
        if raw.startswith("${", index):
            end = _closing_brace(raw, index + 2)
            if text:
                parts.append(("text", "".join(text)))
                text = []
            parts.append(("code", raw[index + 2:end]))
            index = end + 1
            continue
        text.append(char)
        index += 1
    if text:
        parts.append(("text", "".join(text)))
    return parts


def _closing_brace(raw: str, index: int) -> int:
    depth, quote = 0, ""
    while index < len(raw):
        char = raw[index]
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
            if not depth:
                return index
            depth -= 1
        index += 1
    raise Unsupported("a template literal placeholder that never ends")
