"""An n8n workflow -> a Flowlane document (`flowlane/workflow@1`) and an import report.

Nodes map one by one (`nodes.py`); connections become edges port by port; sticky notes become
canvas notes; pinned data becomes pinned test data; settings carry over where Flowlane has
them. The document is validated here, so callers know before saving whether it would pass.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from nodes import registry
from server.engine.schema import FORMAT
from server.engine.validate import validate
from server.importers.n8n import mappers
from server.importers.n8n.expressions import Scope
from server.importers.n8n.nodes import Converted, convert_node, input_port, output_port, slug
from server.importers.n8n.placeholder import is_trigger_like
from server.importers.n8n.reader import N8nNode, N8nWorkflow, read
from server.importers.n8n.report import ImportReport, NodeEntry

STICKY = "n8n-nodes-base.stickyNote"


@dataclass
class ImportResult:
    document: dict[str, Any]
    report: ImportReport

    @property
    def ok(self) -> bool:
        return bool(self.report.validation.get("valid"))


def convert(data: Any) -> ImportResult:
    """Convert parsed n8n JSON; raises `NotAnN8nWorkflow` or `TooBig` for unusable input."""
    workflow = read(data)
    report = ImportReport(source_name=workflow.name)
    names = _names(workflow.nodes, report)
    working = [node for node in workflow.nodes if node.type != STICKY]
    triggers = [node.name for node in working if mappers.is_trigger(node.type)]
    scope = Scope(frozenset(node.name for node in working),
                  triggers[0] if len(triggers) == 1 else None,
                  {old: new for old, new in names.items() if old != new})
    used_outputs = _outputs_used(workflow)
    ids: set[str] = set()
    converted: dict[str, Converted] = {}
    notes = []
    for node in workflow.nodes:
        if node.type == STICKY:
            notes.append(_note(node, _unique(f"note_{slug(node.name)}", ids)))
            report.nodes.append(NodeEntry(node.name, node.type, node.version, status="note"))
            continue
        converted[node.name] = convert_node(node, _unique(slug(node.name), ids), names[node.name],
                                            scope, report, used_outputs.get(node.name, 1))
    documents = [item.document for item in converted.values()]
    edges = _edges(workflow, converted, report)
    documents += _extra_triggers(converted, edges, ids)
    documents += _starts(converted, edges, ids, report)
    document: dict[str, Any] = {
        "format": FORMAT,
        "name": workflow.name,
        "nodes": documents,
        "edges": edges,
        "settings": _settings(workflow.settings, report),
        "notes": notes,
        "meta": {"imported_from": "n8n", **_source_ids(data)},
    }
    pinned = _pinned(workflow, converted)
    if pinned:
        document["pinned"] = pinned
    report.validation = validate(document).as_dict()
    return ImportResult(document, report)


def _names(nodes: list[N8nNode], report: ImportReport) -> dict[str, str]:
    """Flowlane names (unique, at most 200 characters) per n8n name."""
    taken: set[str] = set()
    found: dict[str, str] = {}
    for node in nodes:
        name = node.name.strip()[:200]
        base, count = name, 2
        while name in taken:
            name = f"{base[:190]} ({count})"
            count += 1
        if name != node.name:
            report.need(f"renamed to {name!r}: Flowlane names are unique and at most 200 "
                        "characters", node.name, "setting")
        taken.add(name)
        found.setdefault(node.name, name)
    return found


def _unique(base: str, taken: set[str]) -> str:
    candidate, count = base, 2
    while candidate in taken:
        candidate = f"{base[:90]}_{count}"
        count += 1
    taken.add(candidate)
    return candidate


def _outputs_used(workflow: N8nWorkflow) -> dict[str, int]:
    used: dict[str, int] = {}
    for connection in workflow.connections:
        used[connection.source] = max(used.get(connection.source, 1), connection.output + 1)
    return used


def _edges(workflow: N8nWorkflow, converted: dict[str, Converted],
           report: ImportReport) -> list[dict[str, str]]:
    edges: list[dict[str, str]] = []
    for connection in workflow.connections:
        source, target = converted.get(connection.source), converted.get(connection.target)
        if connection.kind != "main":
            report.need(f"its {connection.kind} connection to {connection.target!r} was "
                        "dropped (Flowlane has no AI sub-node connections)", connection.source,
                        "connection")
            continue
        if source is None or target is None:
            if source is not None:
                report.need(f"its connection to {connection.target!r} was dropped: there is no "
                            "such node", connection.source, "connection")
            continue
        from_port = output_port(source, connection.output)
        to_port = input_port(target, connection.input)
        spec = registry.get(target.mapped.type)
        if from_port is None or to_port is None or (spec is not None and spec.is_trigger):
            report.need(f"its output {connection.output + 1} to {target.document['name']!r} "
                        "has no equivalent in Flowlane and was dropped",
                        source.document["name"], "connection")
            continue
        edge = {"from": source.id, "to": target.id}
        if from_port != "main":
            edge["from_port"] = from_port
        if to_port != "main":
            edge["to_port"] = to_port
        if edge not in edges:
            edges.append(edge)
    return edges


def _extra_triggers(converted: dict[str, Converted], edges: list[dict[str, str]],
                    ids: set[str]) -> list[dict[str, Any]]:
    """A schedule with several rules: one more trigger per rule, wired like the first."""
    extra_nodes = []
    for item in converted.values():
        for suffix, params in item.mapped.extra_triggers:
            node_id = _unique(f"{item.id}_{len(extra_nodes) + 2}", ids)
            x, y = item.node.position
            extra_nodes.append({"id": node_id, "type": item.mapped.type,
                                "name": f"{item.document['name'][:180]}{suffix}",
                                "position": [x, y + 140 * (len(extra_nodes) + 1)],
                                "params": params})
            edges += [{**edge, "from": node_id} for edge in list(edges)
                      if edge["from"] == item.id]
    return extra_nodes


def _starts(converted: dict[str, Converted], edges: list[dict[str, str]], ids: set[str],
            report: ImportReport) -> list[dict[str, Any]]:
    """A workflow whose triggers all became stand-ins still needs a way to start."""
    if any((spec := registry.get(item.mapped.type)) and spec.is_trigger
           for item in converted.values()):
        return []
    targets = [item for item in converted.values()
               if item.placeholder and is_trigger_like(item.node)]
    why = "none of its triggers could be carried over"
    if not targets:
        fed = {edge["to"] for edge in edges}
        targets = [item for item in converted.values() if item.id not in fed]
        why = "it had no trigger"
    if not targets:
        return []
    node_id = _unique("start", ids)
    x, y = min(item.node.position for item in targets)
    edges += [{"from": node_id, "to": item.id} for item in targets]
    report.need(f"A manual trigger was added so the workflow can start: {why}.", None,
                "setting")
    return [{"id": node_id, "type": "core.trigger.manual", "name": "Start (added on import)",
             "position": [x - 260, y], "params": {}}]


def _note(node: N8nNode, note_id: str) -> dict[str, Any]:
    params = node.parameters
    content = params.get("content")
    width, height = params.get("width", 240), params.get("height", 160)
    note: dict[str, Any] = {"id": note_id, "text": str(content or "")[:20000],
                            "position": node.position}
    if all(isinstance(v, int | float) and not isinstance(v, bool) for v in (width, height)):
        note["size"] = [float(width), float(height)]
    if params.get("color") is not None:
        note["color"] = str(params["color"])
    return note


def _settings(settings: dict[str, Any], report: ImportReport) -> dict[str, Any]:
    result: dict[str, Any] = {"timezone": "UTC", "error_workflow": None, "save_runs": "all"}
    timezone = settings.get("timezone")
    if isinstance(timezone, str) and timezone not in ("", "DEFAULT"):
        try:
            ZoneInfo(timezone)
            result["timezone"] = timezone
        except (ZoneInfoNotFoundError, ValueError):
            report.need(f"its timezone {timezone!r} is unknown; UTC is used", None, "setting")
    if settings.get("errorWorkflow"):
        report.need(f"it named n8n workflow {settings['errorWorkflow']!r} as its error "
                    "workflow: choose the Flowlane one in the settings", None, "setting")
    success, failure = settings.get("saveDataSuccessExecution"), settings.get(
        "saveDataErrorExecution")
    if success == "none":
        result["save_runs"] = "none" if failure == "none" else "failed"
    timeout = settings.get("executionTimeout")
    if isinstance(timeout, int | float) and not isinstance(timeout, bool) and timeout > 0:
        result["timeout_s"] = float(timeout)
    if settings.get("executionOrder") == "v0":
        report.need("it used n8n's old execution order (v0); Flowlane runs each step once "
                    "all its inputs are ready, like n8n's v1", None, "setting")
    return result


def _pinned(workflow: N8nWorkflow, converted: dict[str, Converted]
            ) -> dict[str, dict[str, list[dict[str, Any]]]]:
    pinned: dict[str, dict[str, list[dict[str, Any]]]] = {}
    for name, entries in workflow.pin_data.items():
        item = converted.get(name)
        if item is None or not isinstance(entries, list):
            continue
        items = [entry.get("json") if isinstance(entry.get("json"), dict) else entry
                 for entry in entries if isinstance(entry, dict)]
        port = next((port for port in item.mapped.outputs if port), "main")
        pinned[item.id] = {port: items}
    return pinned


def _source_ids(data: Any) -> dict[str, Any]:
    source = data[0] if isinstance(data, list) and data else data
    if isinstance(source, dict) and isinstance(source.get("data"), dict):
        source = source["data"]
    found = {}
    if isinstance(source, dict):
        for key, name in (("id", "n8n_id"), ("versionId", "n8n_version_id")):
            if isinstance(source.get(key), str | int) and not isinstance(source.get(key), bool):
                found[name] = source[key]
    return found
