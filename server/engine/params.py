"""`Params` for one node in one run: its raw params, rendered per item on demand."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from nodes.registry import Item
from server.engine import expressions


class NodeParams:
    """Implements `nodes.registry.Params`. Compiles the params once, renders per item."""

    def __init__(self, raw: Mapping[str, Any], scope: dict[str, Any],
                 renderer: expressions.Renderer | bool | None = False) -> None:
        """`renderer`: the params already compiled (None when they hold no expression)."""
        self.raw = raw
        self._scope = scope
        self._renderer = (expressions.compile_value(dict(raw)) if renderer is False
                          else renderer)

    def _item_scope(self, item: Item | None, index: int) -> dict[str, Any]:
        scope = dict(self._scope)
        scope["item"] = {} if item is None else item
        scope["index"] = index
        return scope

    def render(self, item: Item | None = None, index: int = 0) -> dict[str, Any]:
        if self._renderer is None:
            return dict(self.raw)
        rendered: dict[str, Any] = self._renderer(self._item_scope(item, index))
        return rendered

    def value(self, name: str, item: Item | None = None, default: Any = None) -> Any:
        if name not in self.raw:
            return default
        return self.evaluate(self.raw[name], item)

    def evaluate(self, template: Any, item: Item | None = None, index: int = 0) -> Any:
        return expressions.render(template, self._item_scope(item, index))
