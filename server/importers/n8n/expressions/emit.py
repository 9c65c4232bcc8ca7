"""n8n's JavaScript expression trees, written as Flowlane's Jinja2.

Names map as follows: `$json` -> `item`, `$input.item.json` -> `item`, `$('Node')` and
`$node["Node"]` -> `nodes["Node"]` (or `trigger` for the workflow's only trigger), `$now` ->
`now()`, `$today` -> `today()`, `$itemIndex` -> `index`, `$workflow`/`$execution` -> `run`.
n8n pairs items by lineage; Flowlane reads the item at the same position (`items[index]`),
which is the same thing whenever a step keeps one item per item.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field

from server.importers.n8n.expressions import calls
from server.importers.n8n.expressions.lexer import Unsupported
from server.importers.n8n.expressions.parser import (
    ArrayLiteral,
    Arrow,
    Binary,
    Call,
    Conditional,
    Index,
    Literal,
    Member,
    Name,
    New,
    Node,
    ObjectLiteral,
    Template,
    Unary,
)
from server.importers.n8n.expressions.values import (
    Value,
    attribute,
    filtered,
    literal,
    pipe,
    safe,
    wrap,
)


@dataclass(frozen=True)
class Scope:
    """What the translator knows about the workflow being imported."""

    node_names: frozenset[str] = frozenset()
    #: The only trigger's name: `$('It')` becomes `trigger`.
    sole_trigger: str | None = None
    #: n8n names that changed on import (duplicates, too long) -> the Flowlane names.
    renamed: Mapping[str, str] = field(default_factory=dict)


_BUILTINS = {"Math", "JSON", "DateTime", "Object", "Number", "String", "Boolean", "parseInt",
             "parseFloat", "Array", "Date"}
_NO_EQUIVALENT = {
    "$runIndex": "the run index", "$binary": "binary data", "$vars": "n8n variables",
    "$env": "environment variables", "$secrets": "external secrets",
    "$parameter": "the node's own parameters", "$position": "the item position in a run",
    "$prevNode": "the previous node", "$jmespath": "JMESPath queries",
    "$evaluateExpression": "evaluating text as an expression", "$ifEmpty": "$ifEmpty",
    "$if": "$if", "$min": "$min", "$max": "$max", "$fromAI": "AI-filled parameters",
    "$data": "the legacy $data", "$response": "pagination responses",
    "$pageCount": "pagination", "$request": "pagination",
}
_COMPARISONS = {"==": "==", "===": "==", "!=": "!=", "!==": "!=", "<": "<", ">": ">",
                "<=": "<=", ">=": ">="}


@dataclass
class Emitter:
    scope: Scope
    locals: dict[str, Value] = field(default_factory=dict)

    def emit(self, node: Node) -> Value:
        handler = getattr(self, f"_{type(node).__name__.lower()}", None)
        if handler is None:
            raise Unsupported(type(node).__name__)
        value: Value = handler(node)
        return value

    # -- leaves ----------------------------------------------------------------------------

    def _literal(self, node: Literal) -> Value:
        kind = ("none" if node.value is None else "bool" if isinstance(node.value, bool)
                else "string" if isinstance(node.value, str) else "number")
        return Value(literal(node.value), kind)

    def _name(self, node: Name) -> Value:
        name = node.id
        if name in self.locals:
            return self.locals[name]
        simple = {
            "$json": Value("item", "json"),
            "$now": Value("now()", "date"),
            "$today": Value("today()", "date"),
            "$itemIndex": Value("index", "number"),
            "$input": Value("", "input", ref="$input"),
            "$workflow": Value("", "workflow", ref="$workflow"),
            "$execution": Value("", "execution", ref="$execution"),
            "$node": Value("", "nodes", ref="$node"),
            "$": Value("", "fn", ref="$"),
            "$items": Value("", "fn", ref="$items"),
        }
        if name in simple:
            return simple[name]
        if name in _BUILTINS:
            return Value("", "builtin", ref=name)
        if name in _NO_EQUIVALENT:
            raise Unsupported(f"{name} ({_NO_EQUIVALENT[name]}) has no Flowlane equivalent")
        raise Unsupported(f"the name {name}")

    # -- access ----------------------------------------------------------------------------

    def node_item(self, name: str, position: str) -> Value:
        """An n8n item of node `name`: `first`, `last` or `paired` (same position)."""
        if name == self.scope.sole_trigger and position in ("first", "paired"):
            return Value("trigger", "item")
        base = self.node_ref(name)
        code = {"first": f"{base}.item", "last": f"{base}.items[-1]",
                "paired": f"{base}.items[index]"}[position]
        return Value(code, "item")

    def node_ref(self, name: str) -> str:
        """`nodes["Name"]` under the node's Flowlane name."""
        return f"nodes[{literal(self.scope.renamed.get(name, name))}]"

    def _member(self, node: Member) -> Value:
        target = self.emit(node.target)
        name = node.name
        kind = target.kind
        if kind == "input":
            if name == "item":
                return Value("item", "item")
            raise Unsupported(f"$input.{name}")
        if kind == "item":
            if name == "json":
                return Value(target.code, "json", target.atom)
            raise Unsupported(f"the item's {name!r} (only .json has an equivalent)")
        if kind == "node":
            if name == "item":
                return self.node_item(target.ref, "paired")
            if name == "isExecuted":
                renamed = self.scope.renamed.get(target.ref, target.ref)
                return Value(f"{literal(renamed)} in nodes", "bool", False)
            raise Unsupported(f"$('{target.ref}').{name}")
        if kind == "nodes":
            return self.legacy(name)
        if kind == "legacy":
            if name == "json":
                return Value(self.node_item(target.ref, "paired").code, "json")
            raise Unsupported(f"$node[\"{target.ref}\"].{name}")
        if kind == "workflow":
            if name in ("id", "name"):
                return Value("run.workflow_id" if name == "id" else "run.workflow",
                             "number" if name == "id" else "string")
            raise Unsupported(f"$workflow.{name}")
        if kind == "execution":
            if name == "id":
                return Value("run.id", "number")
            raise Unsupported(f"$execution.{name}")
        if kind in ("builtin", "fn"):
            return Value("", "builtin", ref=f"{target.ref}.{name}")
        if name == "length":
            return filtered(f"{pipe(target)} | length", "number")
        if kind == "date":
            return calls.date_part(target, name)
        return attribute(target, name)

    def legacy(self, name: str) -> Value:
        if self.scope.node_names and name not in self.scope.node_names:
            raise Unsupported(f"a node named {name!r}, which is not in the workflow")
        return Value("", "legacy", ref=name)

    def _index(self, node: Index) -> Value:
        target = self.emit(node.target)
        if target.kind == "nodes":
            if isinstance(node.key, Literal) and isinstance(node.key.value, str):
                return self.legacy(node.key.value)
            raise Unsupported("$node[...] with a computed name")
        if target.kind in ("node", "legacy", "input", "builtin", "fn"):
            return self._member(Member(node.target, self._constant_key(node.key)))
        key = self.emit(node.key)
        if target.kind == "items":
            return Value(f"{wrap(target)}[{wrap(key)}]", "item")
        return Value(f"{wrap(target)}[{wrap(key)}]", "json", True, path=True)

    def _constant_key(self, key: Node) -> str:
        if isinstance(key, Literal) and isinstance(key.value, str):
            return key.value
        raise Unsupported("a computed member name")

    def _call(self, node: Call) -> Value:
        return calls.call(self, node)

    def _new(self, node: New) -> Value:
        return calls.construct(self, node)

    # -- operators -------------------------------------------------------------------------

    def _unary(self, node: Unary) -> Value:
        operand = self.emit(node.operand)
        if node.op == "!":
            return Value(f"not {safe(operand)}", "bool", False)
        if node.op == "-":
            if operand.kind == "number" and operand.atom:
                return Value(f"-{operand.code}", "number", not operand.code.startswith("-"))
            return Value(f"-{wrap(operand)}", "number", False)
        return filtered(f"{pipe(operand)} | to_number", "number")

    def _binary(self, node: Binary) -> Value:
        left, right = self.emit(node.left), self.emit(node.right)
        op = node.op
        if op in _COMPARISONS:
            return Value(f"{wrap(left)} {_COMPARISONS[op]} {wrap(right)}", "bool", False)
        if op == "+":
            if "string" in (left.kind, right.kind):
                return Value(f"{wrap(left)} ~ {wrap(right)}", "string", False)
            return Value(f"{wrap(left)} + {wrap(right)}", _numeric(left, right), False)
        if op in ("-", "*", "/", "%"):
            return Value(f"{wrap(left)} {op} {wrap(right)}", "number", False)
        if op == "&&":
            return Value(f"{safe(left)} and {safe(right)}", _joined(left, right), False)
        if op == "||":
            if left.path:
                return Value(f"{left.code} | default({wrap(right)}, true)", _joined(left, right),
                             False)
            return Value(f"{safe(left)} or {safe(right)}", _joined(left, right), False)
        if op == "??":
            code = wrap(left)
            return Value(f"{code} if {code} is defined and {code} is not none else "
                         f"{wrap(right)}", _joined(left, right), False)
        raise Unsupported(f"the operator {op}")

    def _conditional(self, node: Conditional) -> Value:
        test, then, otherwise = (self.emit(part) for part in
                                 (node.test, node.then, node.otherwise))
        return Value(f"{wrap(then)} if {safe(test)} else {wrap(otherwise)}",
                     _joined(then, otherwise), False)

    # -- literals with parts ---------------------------------------------------------------

    def _template(self, node: Template) -> Value:
        parts = [self.emit(part) for part in node.parts]
        if not parts:
            return Value(literal(""), "string")
        if len(parts) == 1 and parts[0].kind == "string":
            return parts[0]
        return Value(" ~ ".join(wrap(part) for part in parts) + ("" if len(parts) > 1
                     else ' ~ ""'), "string", False)

    def _arrayliteral(self, node: ArrayLiteral) -> Value:
        return Value("[" + ", ".join(wrap(self.emit(item)) for item in node.items) + "]", "list")

    def _objectliteral(self, node: ObjectLiteral) -> Value:
        if not node.pairs:
            return Value("{ }", "json")
        inner = ", ".join(f"{literal(key)}: {wrap(self.emit(value))}"
                          for key, value in node.pairs)
        return Value("{ " + inner + " }", "json")  # spaces: "}}" would end the template

    def _arrow(self, node: Arrow) -> Value:
        raise Unsupported("a function outside .map()")


def _numeric(left: Value, right: Value) -> str:
    return "number" if "number" in (left.kind, right.kind) else "json"


def _joined(left: Value, right: Value) -> str:
    return left.kind if left.kind == right.kind else "json"


def translate(node: Node, scope: Scope) -> str:
    """The Jinja2 code (inside `{{ }}`) for one parsed n8n expression."""
    value = Emitter(scope).emit(node)
    return wrap(value) if value.atom else value.code
