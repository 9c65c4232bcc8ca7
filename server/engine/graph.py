"""A workflow document as a graph: nodes, edges, the order they run in, and loop bodies.

Cycles are allowed only as a loop's back edge: an edge into a Loop node from a node its
"loop" output reaches. Everything else must be acyclic, so a run always ends.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import Any

LOOP_TYPE = "core.loop"
LOOP_PORT = "loop"


@dataclass(frozen=True)
class NodeDef:
    id: str
    type: str
    name: str
    params: dict[str, Any]
    credential: str | None = None
    retry: dict[str, Any] = field(default_factory=dict)
    on_error: str = "stop"
    timeout_s: float | None = None
    disabled: bool = False

    @classmethod
    def from_document(cls, raw: dict[str, Any]) -> NodeDef:
        return cls(
            id=raw["id"],
            type=raw["type"],
            name=raw["name"],
            params=raw.get("params") or {},
            credential=raw.get("credential"),
            retry=raw.get("retry") or {},
            on_error=raw.get("on_error") or "stop",
            timeout_s=raw.get("timeout_s"),
            disabled=bool(raw.get("disabled")),
        )


@dataclass(frozen=True)
class Edge:
    source: str
    target: str
    source_port: str = "main"
    target_port: str = "main"

    @classmethod
    def from_document(cls, raw: dict[str, Any]) -> Edge:
        return cls(raw["from"], raw["to"], raw.get("from_port", "main"), raw.get("to_port", "main"))


class Graph:
    """Built from a document that passed validation (ids unique, edges resolve)."""

    def __init__(self, document: dict[str, Any]) -> None:
        self.document = document
        self.nodes: dict[str, NodeDef] = {}
        for raw in document.get("nodes") or []:
            if not _usable_node(raw):
                continue
            node = NodeDef.from_document(raw)
            self.nodes[node.id] = node
        self.by_name = {node.name: node for node in self.nodes.values()}
        self.edges = [
            Edge.from_document(raw) for raw in document.get("edges") or [] if _usable_edge(raw)
        ]
        self.incoming: dict[str, list[Edge]] = defaultdict(list)
        self.outgoing: dict[str, list[Edge]] = defaultdict(list)
        for edge in self.edges:
            if edge.source in self.nodes and edge.target in self.nodes:
                self.incoming[edge.target].append(edge)
                self.outgoing[edge.source].append(edge)
        self.loop_bodies = {
            node.id: self._loop_body(node.id)
            for node in self.nodes.values()
            if node.type == LOOP_TYPE
        }
        self.back_edges = {
            edge
            for loop_id, body in self.loop_bodies.items()
            for edge in self.incoming[loop_id]
            if edge.source in body
        }

        self._renderers: dict[str, Any] = {}

    def renderer(self, node_id: str) -> Any:
        """The node's params compiled once (a graph is immutable once built)."""
        if node_id not in self._renderers:
            from server.engine.expressions import compile_value

            self._renderers[node_id] = compile_value(dict(self.nodes[node_id].params))
        return self._renderers[node_id]

    @property
    def settings(self) -> dict[str, Any]:
        return self.document.get("settings") or {}

    def downstream(self, start: Iterable[str], through_loops: bool = True) -> set[str]:
        """Every node reachable from `start` (not including `start` unless reached again)."""
        seen: set[str] = set()
        stack = [edge.target for node_id in start for edge in self.outgoing[node_id]]
        while stack:
            node_id = stack.pop()
            if node_id in seen:
                continue
            seen.add(node_id)
            if not through_loops and self.nodes[node_id].type == LOOP_TYPE:
                continue
            stack.extend(edge.target for edge in self.outgoing[node_id])
        return seen

    def _loop_body(self, loop_id: str) -> set[str]:
        """Nodes the loop's "loop" output reaches before coming back to the loop node."""
        seen: set[str] = set()
        stack = [e.target for e in self.outgoing[loop_id] if e.source_port == LOOP_PORT]
        while stack:
            node_id = stack.pop()
            if node_id == loop_id or node_id in seen:
                continue
            seen.add(node_id)
            stack.extend(edge.target for edge in self.outgoing[node_id])
        return seen

    def forward_edges(self) -> list[Edge]:
        return [edge for edge in self.edges if edge not in self.back_edges]

    def find_cycle(self) -> list[str] | None:
        """A cycle over forward edges (node ids in order), or None when there is none."""
        cycles = self.find_cycles()
        return cycles[0] if cycles else None

    def find_cycles(self) -> list[list[str]]:
        """One cycle (node ids, first repeated at the end) per group of nodes that loop
        into each other over forward edges: every loop to fix is reported, not only the
        first one found."""
        adjacency: dict[str, list[str]] = defaultdict(list)
        for edge in self.forward_edges():
            if edge.source in self.nodes and edge.target in self.nodes:
                adjacency[edge.source].append(edge.target)
        cycles = []
        for group in _strongly_connected(list(self.nodes), adjacency):
            first = group[0]
            if len(group) > 1 or first in adjacency[first]:
                cycles.append(_cycle_through(first, set(group), adjacency))
        return cycles

    def order(self, subset: Iterable[str] | None = None) -> list[str]:
        """Topological order over forward edges, stable by the document's node order."""
        members = set(self.nodes) if subset is None else set(subset)
        rank = {node_id: index for index, node_id in enumerate(self.nodes)}
        pending = {node_id: 0 for node_id in members}
        for edge in self.forward_edges():
            if edge.source in members and edge.target in members:
                pending[edge.target] += 1
        ready = sorted((n for n, count in pending.items() if count == 0), key=rank.__getitem__)
        ordered: list[str] = []
        while ready:
            node_id = ready.pop(0)
            ordered.append(node_id)
            released = []
            for edge in self.outgoing[node_id]:
                if edge in self.back_edges or edge.target not in members:
                    continue
                pending[edge.target] -= 1
                if pending[edge.target] == 0:
                    released.append(edge.target)
            if released:
                ready = sorted(ready + released, key=rank.__getitem__)
        return ordered

    def sinks(self, executed: Iterable[str]) -> list[str]:
        """Executed nodes none of whose outgoing edges lead to another executed node."""
        done = set(executed)
        return [
            node_id
            for node_id in self.nodes
            if node_id in done
            and not any(edge.target in done for edge in self.outgoing[node_id])
        ]


def _strongly_connected(node_ids: list[str],
                         adjacency: dict[str, list[str]]) -> list[list[str]]:
    """Tarjan's strongly connected components, without recursion (graphs may be long),
    in the document's node order within each component."""
    rank = {node_id: i for i, node_id in enumerate(node_ids)}
    index: dict[str, int] = {}
    low: dict[str, int] = {}
    stack: list[str] = []
    on_stack: set[str] = set()
    groups: list[list[str]] = []
    for root in node_ids:
        if root in index:
            continue
        work = [(root, 0)]
        while work:
            node_id, position = work.pop()
            if position == 0:
                index[node_id] = low[node_id] = len(index)
                stack.append(node_id)
                on_stack.add(node_id)
            targets = adjacency[node_id]
            if position < len(targets):
                work.append((node_id, position + 1))
                target = targets[position]
                if target not in index:
                    work.append((target, 0))
                elif target in on_stack:
                    low[node_id] = min(low[node_id], index[target])
                continue
            if low[node_id] == index[node_id]:
                group = []
                while True:
                    member = stack.pop()
                    on_stack.discard(member)
                    group.append(member)
                    if member == node_id:
                        break
                groups.append(sorted(group, key=rank.__getitem__))
            if work:
                parent = work[-1][0]
                low[parent] = min(low[parent], low[node_id])
    return sorted(groups, key=lambda group: rank[group[0]])


def _cycle_through(start: str, group: set[str], adjacency: dict[str, list[str]]) -> list[str]:
    """A path from `start` back to itself inside one strongly connected group."""
    previous: dict[str, str] = {}
    queue = [start]
    while queue:
        node_id = queue.pop(0)
        for target in adjacency[node_id]:
            if target == start:
                path = [node_id]
                while path[-1] != start:
                    path.append(previous[path[-1]])
                return [*reversed(path), start]
            if target in group and target not in previous:
                previous[target] = node_id
                queue.append(target)
    return [start, start]  # unreachable for a real group: it always closes


def _usable_node(raw: Any) -> bool:
    """Tolerate broken entries, so validation can still look at the rest of the graph."""
    return isinstance(raw, dict) and all(
        isinstance(raw.get(key), str) for key in ("id", "type", "name")
    )


def _usable_edge(raw: Any) -> bool:
    return isinstance(raw, dict) and isinstance(raw.get("from"), str) and isinstance(
        raw.get("to"), str)
