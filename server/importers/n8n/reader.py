"""Reading n8n's exported workflow JSON: nodes, connections, settings, pinned data.

n8n exports a workflow as `{name, nodes, connections, settings, pinData, ...}`; the editor's
clipboard drops `name`; `n8n export:workflow` writes a list. Connections are keyed by the
source node's *name*: `connections[source]["main"][output index] = [{node, type, index}]`.
Anything that is not that shape is refused with a sentence saying why.
"""

from __future__ import annotations

import math
from dataclasses import dataclass, field
from typing import Any

MAX_NODES = 1000
MAX_CONNECTIONS = 5000
MAX_DEPTH = 64
DEFAULT_NAME = "Imported from n8n"


class NotAnN8nWorkflow(ValueError):
    """The input is not an n8n workflow; the message says what is wrong, for a person."""


class TooBig(ValueError):
    """The workflow is larger than Flowlane takes."""


@dataclass
class N8nNode:
    index: int
    raw: dict[str, Any]
    name: str
    type: str
    version: float
    parameters: dict[str, Any]
    position: list[float]
    disabled: bool = False
    credentials: dict[str, Any] = field(default_factory=dict)
    notes: str = ""

    @property
    def short_type(self) -> str:
        """`n8n-nodes-base.httpRequest` -> `httpRequest`."""
        return self.type.rsplit(".", 1)[-1]


@dataclass(frozen=True)
class Connection:
    source: str
    output: int
    target: str
    input: int
    kind: str = "main"


@dataclass
class N8nWorkflow:
    name: str
    nodes: list[N8nNode]
    connections: list[Connection]
    settings: dict[str, Any]
    pin_data: dict[str, Any]


def read(data: Any) -> N8nWorkflow:
    """The workflow in `data` (parsed JSON); `NotAnN8nWorkflow` or `TooBig` when it is not one."""
    if isinstance(data, list):
        if len(data) != 1:
            raise NotAnN8nWorkflow(
                f"The file holds {len(data)} workflows; import them one at a time."
                if data else "The file holds an empty list, not an n8n workflow.")
        data = data[0]
    if isinstance(data, dict) and isinstance(data.get("data"), dict) and "nodes" not in data:
        data = data["data"]  # the shape n8n's REST API answers with
    if not isinstance(data, dict):
        raise NotAnN8nWorkflow("An n8n workflow is a JSON object with 'nodes' and "
                               "'connections'.")
    if data.get("format") == "flowlane/workflow@1":
        raise NotAnN8nWorkflow("This is already a Flowlane workflow: import it with "
                               "`flowlane import FILE` or POST /api/workflows/import.")
    nodes = data.get("nodes")
    connections = data.get("connections", {})
    if not isinstance(nodes, list) or not isinstance(connections, dict):
        raise NotAnN8nWorkflow("An n8n workflow needs a 'nodes' list and a 'connections' "
                               "object; this JSON has " + _missing(data) + ".")
    if len(nodes) > MAX_NODES:
        raise TooBig(f"The workflow has {len(nodes)} nodes; Flowlane takes at most {MAX_NODES}.")
    if _depth(data) > MAX_DEPTH:
        raise TooBig(f"The workflow is nested more than {MAX_DEPTH} levels deep.")
    read_nodes = [_node(index, raw) for index, raw in enumerate(nodes)]
    name = data.get("name")
    return N8nWorkflow(
        name=name.strip()[:200] if isinstance(name, str) and name.strip() else DEFAULT_NAME,
        nodes=read_nodes,
        connections=_connections(connections),
        settings=data.get("settings") if isinstance(data.get("settings"), dict) else {},
        pin_data=data.get("pinData") if isinstance(data.get("pinData"), dict) else {},
    )


def _missing(data: dict[str, Any]) -> str:
    wrong = [key for key, kind in (("nodes", list), ("connections", dict))
             if not isinstance(data.get(key, {} if key == "connections" else None), kind)]
    return " and ".join(f"no usable '{key}'" for key in wrong)


def _node(index: int, raw: Any) -> N8nNode:
    where = f"Node {index + 1}"
    if not isinstance(raw, dict):
        raise NotAnN8nWorkflow(f"{where} is not an object.")
    name, node_type = raw.get("name"), raw.get("type")
    if not isinstance(name, str) or not name.strip():
        raise NotAnN8nWorkflow(f"{where} has no name.")
    if not isinstance(node_type, str) or not node_type.strip():
        raise NotAnN8nWorkflow(f"{where} ({name!r}) has no type.")
    parameters = raw.get("parameters")
    credentials = raw.get("credentials")
    notes = raw.get("notes")
    return N8nNode(
        index=index,
        raw=raw,
        name=name,
        type=node_type.strip(),
        version=_version(raw.get("typeVersion")),
        parameters=parameters if isinstance(parameters, dict) else {},
        position=_position(raw.get("position")),
        disabled=raw.get("disabled") is True,
        credentials=credentials if isinstance(credentials, dict) else {},
        notes=notes if isinstance(notes, str) else "",
    )


def _version(value: Any) -> float:
    if isinstance(value, bool):
        return 1.0
    if isinstance(value, int | float) and math.isfinite(value) and value > 0:
        return float(value)
    if isinstance(value, str):
        try:
            number = float(value)
        except ValueError:
            return 1.0
        return number if math.isfinite(number) and number > 0 else 1.0
    return 1.0


def _position(value: Any) -> list[float]:
    if (isinstance(value, list) and len(value) == 2
            and all(isinstance(v, int | float) and not isinstance(v, bool) and math.isfinite(v)
                    for v in value)):
        return [float(value[0]), float(value[1])]
    return [0.0, 0.0]


def _connections(raw: dict[str, Any]) -> list[Connection]:
    found: list[Connection] = []
    seen: set[Connection] = set()
    for source, by_kind in raw.items():
        if not isinstance(by_kind, dict):
            continue
        for kind, outputs in by_kind.items():
            if not isinstance(outputs, list):
                continue
            for output, targets in enumerate(outputs):
                for target in targets if isinstance(targets, list) else []:
                    if not isinstance(target, dict) or not isinstance(target.get("node"), str):
                        continue
                    slot = target.get("index", 0)
                    slot = slot if isinstance(slot, int) and not isinstance(slot, bool) else 0
                    connection = Connection(str(source), output, target["node"], max(slot, 0),
                                            str(kind))
                    if connection not in seen:
                        seen.add(connection)
                        found.append(connection)
                    if len(found) > MAX_CONNECTIONS:
                        raise TooBig(f"The workflow has more than {MAX_CONNECTIONS} connections.")
    return found


def _depth(value: Any) -> int:
    """How deeply `value` nests, without recursion (a hostile file cannot blow the stack)."""
    deepest, stack = 0, [(value, 1)]
    while stack:
        current, depth = stack.pop()
        deepest = max(deepest, depth)
        if deepest > MAX_DEPTH:
            return deepest
        if isinstance(current, dict):
            stack.extend((child, depth + 1) for child in current.values())
        elif isinstance(current, list):
            stack.extend((child, depth + 1) for child in current)
    return deepest
