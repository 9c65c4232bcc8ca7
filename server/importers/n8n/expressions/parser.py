"""A small Pratt parser for the JavaScript in n8n expressions, into a plain syntax tree.

The tree is what `emit.py` turns into Jinja2. Depth and length are bounded, so a hostile
expression costs a refusal, never a crash.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from server.importers.n8n.expressions.lexer import Token, Unsupported, split_template, tokenize

MAX_LENGTH = 4000
MAX_DEPTH = 60


@dataclass(frozen=True)
class Node:
    pass


@dataclass(frozen=True)
class Literal(Node):
    value: Any  # str, int, float, bool or None


@dataclass(frozen=True)
class Name(Node):
    id: str


@dataclass(frozen=True)
class Member(Node):
    target: Node
    name: str
    optional: bool = False


@dataclass(frozen=True)
class Index(Node):
    target: Node
    key: Node
    optional: bool = False


@dataclass(frozen=True)
class Call(Node):
    callee: Node
    args: tuple[Node, ...]


@dataclass(frozen=True)
class New(Node):
    callee: Node
    args: tuple[Node, ...]


@dataclass(frozen=True)
class Unary(Node):
    op: str
    operand: Node


@dataclass(frozen=True)
class Binary(Node):
    op: str
    left: Node
    right: Node


@dataclass(frozen=True)
class Conditional(Node):
    test: Node
    then: Node
    otherwise: Node


@dataclass(frozen=True)
class Template(Node):
    parts: tuple[Node, ...]  # Literal strings and expressions, in order


@dataclass(frozen=True)
class ArrayLiteral(Node):
    items: tuple[Node, ...]


@dataclass(frozen=True)
class ObjectLiteral(Node):
    pairs: tuple[tuple[str, Node], ...]


@dataclass(frozen=True)
class Arrow(Node):
    params: tuple[str, ...]
    body: Node


_BINARY = {
    "??": 1, "||": 2, "&&": 3,
    "==": 4, "!=": 4, "===": 4, "!==": 4,
    "<": 5, ">": 5, "<=": 5, ">=": 5,
    "+": 6, "-": 6,
    "*": 7, "/": 7, "%": 7,
}
_KEYWORDS = {"true": True, "false": False, "null": None, "undefined": None}


def parse(source: str) -> Node:
    """The syntax tree of one JavaScript expression; `Unsupported` when it is not one."""
    if len(source) > MAX_LENGTH:
        raise Unsupported("an expression longer than we translate")
    return _Parser(tokenize(source)).whole()


@dataclass
class _Parser:
    tokens: list[Token]
    position: int = 0
    depth: int = field(default=0)

    # -- helpers ---------------------------------------------------------------------------

    @property
    def token(self) -> Token:
        return self.tokens[self.position]

    def peek(self, offset: int = 1) -> Token:
        return self.tokens[min(self.position + offset, len(self.tokens) - 1)]

    def advance(self) -> Token:
        token = self.token
        self.position += 1
        return token

    def at(self, value: str) -> bool:
        return self.token.kind == "op" and self.token.value == value

    def expect(self, value: str) -> None:
        if not self.at(value):
            raise Unsupported(f"expected {value!r} near {self.token.value!r}")
        self.advance()

    def whole(self) -> Node:
        node = self.expression()
        if self.token.kind != "end":
            raise Unsupported(f"unexpected {self.token.value!r}")
        return node

    # -- grammar ---------------------------------------------------------------------------

    def expression(self) -> Node:
        self.depth += 1
        if self.depth > MAX_DEPTH:
            raise Unsupported("an expression nested too deeply")
        try:
            if self._arrow_ahead():
                return self.arrow()
            node = self.binary(0)
            if self.at("?"):
                self.advance()
                then = self.expression()
                self.expect(":")
                return Conditional(node, then, self.expression())
            if self.at("="):
                raise Unsupported("an assignment")
            return node
        finally:
            self.depth -= 1

    def binary(self, minimum: int) -> Node:
        left = self.unary()
        while self.token.kind == "op" and _BINARY.get(self.token.value, -1) > minimum:
            op = self.advance().value
            right = self.binary(_BINARY[op])
            left = Binary(op, left, right)
        return left

    def unary(self) -> Node:
        if self.token.kind == "op" and self.token.value in ("!", "-", "+"):
            op = self.advance().value
            return Unary(op, self.unary())
        if self.token.kind == "name" and self.token.value == "typeof":
            raise Unsupported("typeof")
        return self.postfix(self.primary())

    def postfix(self, node: Node) -> Node:
        while True:
            if self.at(".") or self.at("?."):
                optional = self.advance().value == "?."
                if self.at("["):
                    self.advance()
                    key = self.expression()
                    self.expect("]")
                    node = Index(node, key, optional)
                elif self.at("("):
                    node = Call(node, self.arguments())
                else:
                    if self.token.kind != "name":
                        raise Unsupported(f"a property named {self.token.value!r}")
                    node = Member(node, self.advance().value, optional)
            elif self.at("["):
                self.advance()
                key = self.expression()
                self.expect("]")
                node = Index(node, key)
            elif self.at("("):
                node = Call(node, self.arguments())
            else:
                return node

    def arguments(self) -> tuple[Node, ...]:
        self.expect("(")
        args: list[Node] = []
        while not self.at(")"):
            if self.at("..."):
                raise Unsupported("spread arguments")
            args.append(self.expression())
            if not self.at(")"):
                self.expect(",")
        self.advance()
        return tuple(args)

    def primary(self) -> Node:
        token = self.token
        if token.kind == "number":
            self.advance()
            number = float(token.value)
            return Literal(int(number) if number.is_integer() and "." not in token.value
                           and "e" not in token.value.lower() else number)
        if token.kind == "string":
            self.advance()
            return Literal(token.value)
        if token.kind == "template":
            self.advance()
            return self.template(token.value)
        if token.kind == "name":
            if token.value in _KEYWORDS:
                self.advance()
                return Literal(_KEYWORDS[token.value])
            if token.value == "new":
                self.advance()
                callee = self.primary()
                while self.at("."):
                    self.advance()
                    callee = Member(callee, self.advance().value)
                args = self.arguments() if self.at("(") else ()
                return New(callee, args)
            if token.value in ("function", "this", "class", "await", "yield", "delete", "void"):
                raise Unsupported(f"the keyword {token.value!r}")
            self.advance()
            return Name(token.value)
        if self.at("("):
            self.advance()
            node = self.expression()
            self.expect(")")
            return node
        if self.at("["):
            return self.array()
        if self.at("{"):
            return self.object()
        if self.at("/"):
            raise Unsupported("a regular expression (/.../)")
        raise Unsupported(f"unexpected {token.value!r}" if token.value else "an empty expression")

    def array(self) -> Node:
        self.expect("[")
        items: list[Node] = []
        while not self.at("]"):
            if self.at("..."):
                raise Unsupported("spread in an array")
            items.append(self.expression())
            if not self.at("]"):
                self.expect(",")
        self.advance()
        return ArrayLiteral(tuple(items))

    def object(self) -> Node:
        self.expect("{")
        pairs: list[tuple[str, Node]] = []
        while not self.at("}"):
            key = self.advance()
            if key.kind not in ("name", "string", "number"):
                raise Unsupported("an object key that is not a plain name")
            if self.at(":"):
                self.advance()
                pairs.append((key.value, self.expression()))
            elif key.kind == "name":
                pairs.append((key.value, Name(key.value)))
            else:
                raise Unsupported("an object key without a value")
            if not self.at("}"):
                self.expect(",")
        self.advance()
        return ObjectLiteral(tuple(pairs))

    def template(self, raw: str) -> Node:
        parts: list[Node] = []
        for kind, text in split_template(raw):
            if kind == "text":
                parts.append(Literal(text))
            else:
                inner = _Parser(tokenize(text), depth=self.depth + 1)
                parts.append(inner.whole())
        return Template(tuple(parts))

    def _arrow_ahead(self) -> bool:
        if self.token.kind == "name" and self.peek().kind == "op" and self.peek().value == "=>":
            return True
        if not self.at("("):
            return False
        offset = 1
        while self.peek(offset).kind == "name" or (
                self.peek(offset).kind == "op" and self.peek(offset).value == ","):
            offset += 1
        closing, arrow = self.peek(offset), self.peek(offset + 1)
        return closing.value == ")" and arrow.kind == "op" and arrow.value == "=>"

    def arrow(self) -> Node:
        params: list[str] = []
        if self.token.kind == "name":
            params.append(self.advance().value)
        else:
            self.expect("(")
            while not self.at(")"):
                params.append(self.advance().value)
                if not self.at(")"):
                    self.expect(",")
            self.advance()
        self.expect("=>")
        if self.at("{"):
            raise Unsupported("an arrow function with a block body")
        return Arrow(tuple(params), self.expression())
