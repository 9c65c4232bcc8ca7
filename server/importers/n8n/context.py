"""What a node mapper gets (the n8n node, its parameters with defaults, the report, the
expression scope) and what it returns (a Flowlane node type with params and its ports)."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from server.importers.n8n import defaults
from server.importers.n8n.expressions import Scope, translate_string
from server.importers.n8n.expressions.template import fence
from server.importers.n8n.reader import N8nNode
from server.importers.n8n.report import ImportReport


class NeedsAttention(Exception):
    """Raised by a mapper: this node cannot be carried over; the message says why."""


@dataclass
class Mapped:
    """A Flowlane node for one n8n node."""

    type: str
    params: dict[str, Any]
    #: Port name per n8n output index (None: nothing in Flowlane comes out there).
    outputs: list[str | None] = field(default_factory=lambda: ["main"])
    #: Port name per n8n input index.
    inputs: list[str] = field(default_factory=lambda: ["main"])
    credential: str | None = None
    #: Extra triggers (n8n schedules with several rules): (name suffix, params).
    extra_triggers: list[tuple[str, dict[str, Any]]] = field(default_factory=list)


@dataclass
class MapContext:
    node: N8nNode
    report: ImportReport
    scope: Scope
    params: dict[str, Any] = field(default_factory=dict)

    def __post_init__(self) -> None:
        self.params = defaults.apply(self.node.short_type, self.node.version,
                                     self.node.parameters)

    @property
    def name(self) -> str:
        return self.node.name

    @property
    def version(self) -> float:
        return self.node.version

    def get(self, name: str, default: Any = None) -> Any:
        return self.params.get(name, default)

    def need(self, reason: str) -> None:
        """Note something the import could not keep exactly; the node is still mapped."""
        self.report.need(reason, self.name)

    # -- values ----------------------------------------------------------------------------

    def value(self, raw: Any, where: str) -> Any:
        """An n8n parameter value with its expressions translated (recursively)."""
        if isinstance(raw, str):
            translation = translate_string(raw, self.scope)
            for source, result in translation.translated:
                self.report.expression(self.name, where, source, result)
            for source, reason in translation.untranslated:
                self.report.untranslatable(self.name, where, source, reason)
            return translation.value
        if isinstance(raw, dict):
            if raw.get("__rl") is True:
                return self.value(raw.get("value", ""), where)
            return {str(key): self.value(child, f"{where}.{key}") for key, child in raw.items()}
        if isinstance(raw, list):
            return [self.value(child, f"{where}[{index}]") for index, child in enumerate(raw)]
        return raw

    def param(self, name: str, default: Any = None) -> Any:
        """A top-level parameter, translated."""
        return self.value(self.params.get(name, default), name)

    def plain(self, raw: Any, what: str) -> str:
        """A value Flowlane reads as it is (a field name, a path): expressions cannot stand
        in for it, so one makes the node need attention."""
        if isinstance(raw, dict) and raw.get("__rl") is True:
            raw = raw.get("value", "")
        if isinstance(raw, int | float) and not isinstance(raw, bool):
            return str(raw)
        if not isinstance(raw, str):
            raise NeedsAttention(f"{what} is not text")
        if raw.startswith("="):
            if "{{" in raw:
                raise NeedsAttention(f"{what} is an expression ({raw[1:].strip()}); Flowlane "
                                     "needs a fixed value there")
            raw = raw[1:]
        return raw.strip()

    def option(self, name: str, default: Any = None, options: str = "options") -> Any:
        return defaults.option(self.params.get(options), name, default)


def keep_verbatim(value: Any) -> Any:
    """An n8n JSON tree kept for reference, with every string fenced from evaluation."""
    if isinstance(value, str):
        return fence(value, only_active=True)
    if isinstance(value, dict):
        return {str(key): keep_verbatim(child) for key, child in value.items()}
    if isinstance(value, list):
        return [keep_verbatim(child) for child in value]
    return value
