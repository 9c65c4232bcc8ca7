"""Validate a workflow document and report *every* problem, each one a sentence with a place.

A problem names the node id (when it concerns a node), a JSON pointer into the document and a
message a person understands. Errors block saving; warnings are shown but do not.
"""

from __future__ import annotations

from dataclasses import asdict, dataclass
from functools import lru_cache
from typing import Any
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from jsonschema import Draft202012Validator
from jsonschema.exceptions import ValidationError

from nodes import registry
from server.engine import expressions
from server.engine.graph import LOOP_TYPE, Graph
from server.engine.schema import WORKFLOW_SCHEMA

ERROR_PORT = "error"
_document_validator = Draft202012Validator(WORKFLOW_SCHEMA)


@dataclass(frozen=True)
class Problem:
    message: str
    pointer: str = ""
    node_id: str | None = None
    severity: str = "error"

    def as_dict(self) -> dict[str, Any]:
        return asdict(self)


@dataclass
class Report:
    problems: list[Problem]

    @property
    def ok(self) -> bool:
        return not self.errors

    @property
    def errors(self) -> list[Problem]:
        return [p for p in self.problems if p.severity == "error"]

    @property
    def warnings(self) -> list[Problem]:
        return [p for p in self.problems if p.severity == "warning"]

    def as_dict(self) -> dict[str, Any]:
        return {
            "valid": self.ok,
            "errors": [p.as_dict() for p in self.errors],
            "warnings": [p.as_dict() for p in self.warnings],
        }


def validate(document: Any) -> Report:
    """Every problem in `document`; `Report.ok` when it may be saved and run."""
    if not isinstance(document, dict):
        return Report([Problem("A workflow must be a JSON object.")])
    problems = [_schema_problem(error, document) for error in _document_errors(document)]
    nodes = document.get("nodes")
    if not isinstance(nodes, list) or not all(isinstance(n, dict) for n in nodes):
        return Report(problems)
    node_errors = {p.pointer.split("/")[2] for p in problems if p.pointer.startswith("/nodes/")}
    usable = [
        (index, raw)
        for index, raw in enumerate(nodes)
        if str(index) not in node_errors or _has_identity(raw)
    ]
    problems += _node_problems(usable)
    problems += _edge_problems(document, usable)
    problems += _graph_problems(document)
    problems += _settings_problems(document)
    return Report(problems)


def _has_identity(raw: dict[str, Any]) -> bool:
    return all(isinstance(raw.get(key), str) for key in ("id", "type", "name"))


def _document_errors(document: dict[str, Any]) -> list[ValidationError]:
    return sorted(_document_validator.iter_errors(document), key=lambda e: list(e.path))


def _schema_problem(error: ValidationError, document: dict[str, Any]) -> Problem:
    path = list(error.absolute_path)
    node_id = None
    if len(path) >= 2 and path[0] == "nodes" and isinstance(path[1], int):
        raw = document["nodes"][path[1]]
        node_id = raw.get("id") if isinstance(raw, dict) else None
    return Problem(_sentence(error), _pointer(path), node_id)


def _node_problems(nodes: list[tuple[int, dict[str, Any]]]) -> list[Problem]:
    problems: list[Problem] = []
    seen_ids: dict[str, int] = {}
    seen_names: dict[str, int] = {}
    for index, raw in nodes:
        node_id, name, node_type = raw.get("id"), raw.get("name"), raw.get("type")
        here = f"/nodes/{index}"
        if not isinstance(node_id, str) or not isinstance(name, str):
            continue
        if node_id in seen_ids:
            problems.append(Problem(f"Two nodes have the id {node_id!r}.", f"{here}/id", node_id))
        seen_ids[node_id] = index
        if name in seen_names:
            problems.append(
                Problem(f"Two nodes are named {name!r}; names must be unique.", f"{here}/name",
                        node_id)
            )
        seen_names[name] = index
        spec = registry.get(node_type) if isinstance(node_type, str) else None
        if spec is None:
            problems.append(
                Problem(f"Node {name!r} has an unknown type {node_type!r}.", f"{here}/type",
                        node_id)
            )
            continue
        params = raw.get("params") or {}
        if not isinstance(params, dict):
            continue
        for error in _params_errors(spec.type, params):
            pointer = f"{here}/params{_pointer(list(error.absolute_path))}"
            problems.append(Problem(f"{name}: {_sentence(error)}", pointer, node_id))
        for pointer, reason in expressions.find_syntax_errors(params):
            problems.append(
                Problem(f"{name}: the expression has a {reason}.", f"{here}/params{pointer}",
                        node_id)
            )
        if spec.check is not None and not expressions.has_expression(str(params)):
            for pointer, sentence in spec.check(params):
                problems.append(Problem(f"{name}: {sentence}", f"{here}/params{pointer}", node_id))
        if spec.credential and spec.credential_required and not raw.get("credential"):
            problems.append(
                Problem(f"{name} needs a {spec.credential} connection.", f"{here}/credential",
                        node_id, "warning")
            )
    return problems


def _edge_problems(
    document: dict[str, Any], nodes: list[tuple[int, dict[str, Any]]]
) -> list[Problem]:
    edges = document.get("edges") or []
    if not isinstance(edges, list):
        return []
    by_id = {raw["id"]: raw for _, raw in nodes if isinstance(raw.get("id"), str)}
    problems: list[Problem] = []
    for index, edge in enumerate(edges):
        if not isinstance(edge, dict):
            continue
        here = f"/edges/{index}"
        source, target = by_id.get(edge.get("from")), by_id.get(edge.get("to"))
        for end, raw in (("from", source), ("to", target)):
            if raw is None:
                problems.append(
                    Problem(f"Edge {index + 1} points {end} a node that does not exist "
                            f"({edge.get(end)!r}).", f"{here}/{end}")
                )
        if source is None or target is None:
            continue
        source_spec, target_spec = registry.get(source["type"]), registry.get(target["type"])
        from_port, to_port = edge.get("from_port", "main"), edge.get("to_port", "main")
        if source_spec is not None:
            ports = source_spec.output_ports(source.get("params") or {})
            if source.get("on_error") == "error_output":
                ports = [*ports, ERROR_PORT]
            if from_port not in ports:
                problems.append(
                    Problem(f"{source['name']} has no output {from_port!r} (it has "
                            f"{', '.join(map(repr, ports)) or 'none'}).", f"{here}/from_port",
                            source["id"])
                )
        if target_spec is not None:
            if target_spec.is_trigger:
                problems.append(
                    Problem(f"{target['name']} is a trigger: nothing can lead into it.",
                            f"{here}/to", target["id"])
                )
            elif to_port not in target_spec.inputs:
                problems.append(
                    Problem(f"{target['name']} has no input {to_port!r} (it has "
                            f"{', '.join(map(repr, target_spec.inputs))}).", f"{here}/to_port",
                            target["id"])
                )
    return problems


def _graph_problems(document: dict[str, Any]) -> list[Problem]:
    graph = Graph(document)
    problems: list[Problem] = []
    for cycle in graph.find_cycles():
        names = " → ".join(graph.nodes[node_id].name for node_id in cycle)
        problems.append(
            Problem(f"The workflow loops back on itself ({names}); use a Loop node to repeat "
                    "steps.", _edge_pointer(document, cycle[-2], cycle[-1]), cycle[-2])
        )
    triggers = [n for n in graph.nodes.values() if (s := registry.get(n.type)) and s.is_trigger]
    if not triggers:
        problems.append(
            Problem("The workflow has no trigger: add one (manual, webhook, schedule, ...) so "
                    "it can start.", "/nodes")
        )
    for loop_id, body in graph.loop_bodies.items():
        for node_id in body:
            if graph.nodes[node_id].type == "core.wait":
                problems.append(
                    Problem(f"{graph.nodes[node_id].name} waits inside the loop "
                            f"{graph.nodes[loop_id].name}; move the Wait before or after it.",
                            _node_pointer(document, node_id), node_id)
                )
    loops = [n for n in graph.nodes.values() if n.type == LOOP_TYPE]
    for loop in loops:
        if not graph.loop_bodies[loop.id]:
            problems.append(
                Problem(f"{loop.name}'s 'loop' output leads nowhere: connect the steps to repeat.",
                        _node_pointer(document, loop.id), loop.id, "warning")
            )
    return problems


def _edge_pointer(document: dict[str, Any], source: str, target: str) -> str:
    """The edge that closes a loop: the one to remove or re-route."""
    for index, raw in enumerate(document.get("edges") or []):
        if isinstance(raw, dict) and raw.get("from") == source and raw.get("to") == target:
            return f"/edges/{index}"
    return "/edges"


def _settings_problems(document: dict[str, Any]) -> list[Problem]:
    """A timezone the system knows: dates without a zone are read in it at run time."""
    settings = document.get("settings")
    timezone = settings.get("timezone") if isinstance(settings, dict) else None
    if not isinstance(timezone, str):
        return []
    try:
        ZoneInfo(timezone)
    except (ZoneInfoNotFoundError, ValueError):
        return [Problem(f"{timezone!r} is not a timezone I know (e.g. 'Europe/Paris', 'UTC').",
                        "/settings/timezone")]
    return []


def _node_pointer(document: dict[str, Any], node_id: str) -> str:
    for index, raw in enumerate(document.get("nodes", [])):
        if raw.get("id") == node_id:
            return f"/nodes/{index}"
    return "/nodes"


@lru_cache(maxsize=2048)
def _params_validator(node_type: str) -> Draft202012Validator:
    spec = registry.get(node_type)
    assert spec is not None
    return Draft202012Validator(spec.params)


def _params_errors(node_type: str, params: dict[str, Any]) -> list[ValidationError]:
    """Schema errors, except where an expression stands in for a value (checked at run time)."""
    errors = []
    for error in _params_validator(node_type).iter_errors(params):
        if expressions.has_expression(error.instance):
            continue
        if error.validator in ("anyOf", "oneOf") and any(
            expressions.has_expression(sub.instance) for sub in error.context or []
        ):
            continue
        errors.append(error)
    return sorted(errors, key=lambda e: list(e.absolute_path))


def _pointer(path: list[Any]) -> str:
    return "".join("/" + str(part).replace("~", "~0").replace("/", "~1") for part in path)


def _sentence(error: ValidationError) -> str:
    """jsonschema's message, made to read as a sentence about the field."""
    where = ".".join(str(p) for p in error.absolute_path)
    message = error.message
    if error.validator == "required":
        return f"{message.split(' is a required')[0]} is required" + (f" in {where}." if where
                                                                          else ".")
    if error.validator == "additionalProperties":
        return f"{message}" + (f" (in {where})." if where else ".")
    return f"{where or 'the document'}: {message}."
