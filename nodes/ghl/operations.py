"""A node for every documented v2 operation, generated from the spec and overlay.toml.

Each node is grouped "HighLevel · <App>"; its params are the operation's path, query and body
fields (required marked, enums as choices, the spec's descriptions as help) and its `meta`
keeps the method, path, `Version` header and scopes. The overlay turns the seed's operations
into first-class nodes (friendly titles, dropdowns, pagination). Adding an operation is data:
vendor the new spec and this module picks it up.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Any

from nodes.ghl import openapi, overlay
from nodes.ghl.auth import FAMILY
from nodes.ghl.openapi import Operation
from nodes.ghl.overlay import CONTROL, SCHEMA_KEYS, Curated
from nodes.ghl.settings import app_title
from nodes.registry import Items, NodeSpec, Outputs, Params, RunContext, register

#: Params the connection fills when a node leaves them empty.
LOCATION_PARAMS = frozenset({"locationId", "location_id"})
#: Dropdowns for params of these names on every node (source, params it depends on).
KNOWN_OPTIONS: dict[str, tuple[str, tuple[str, ...]]] = {
    "pipelineId": ("ghl.pipelines", ()),
    "pipeline_id": ("ghl.pipelines", ()),
    "pipelineStageId": ("ghl.stages", ("pipelineId",)),
    "pipeline_stage_id": ("ghl.stages", ("pipeline_id",)),
    "assignedTo": ("ghl.users", ()),
    "assigned_to": ("ghl.users", ()),
    "assignedUserId": ("ghl.users", ()),
    "userId": ("ghl.users", ()),
    "calendarId": ("ghl.calendars", ()),
}


@dataclass(frozen=True)
class Plan:
    """What `run` needs to turn rendered params into a request and an answer into items."""

    operation: Operation
    curated: Curated | None
    #: Param name -> path | query | body | form | control.
    locations: dict[str, str]
    #: Param name -> its JSON Schema type (for coercing rendered strings).
    types: dict[str, Any]


_CAMEL = re.compile(r"(?<=[a-z0-9])(?=[A-Z])")


def humanize(name: str) -> str:
    words = _CAMEL.sub(" ", name).replace("_", " ").split()
    return " ".join(words).capitalize() if words else name


def node_type(operation: Operation, curated: Curated | None) -> str:
    if curated is not None:
        return curated.type
    return f"ghl.{openapi.slug(operation.app)}.{openapi.slug(operation.operation_id)}"


def _param_schema(name: str, base: dict[str, Any], description: str, names: set[str],
                  override: dict[str, Any]) -> dict[str, Any]:
    schema = dict(base)
    schema["title"] = humanize(name)
    if description and "description" not in schema:
        schema["description"] = description
    if schema.get("format") == "binary":
        schema["description"] = ("A file from an earlier step: map its file, e.g. "
                                 "{{ item.file }} from a CSV file or PDF report node. Plain "
                                 "text is sent as the file's content.")
    if name in LOCATION_PARAMS:
        text = schema.get("description", "").rstrip(". ")
        schema["description"] = f"{text}. Empty: the connection's location.".lstrip(". ")
    known = KNOWN_OPTIONS.get(name)
    if known is not None:
        schema["ui"] = {"options": known[0],
                        "depends_on": [d for d in known[1] if d in names]}
    for key in SCHEMA_KEYS:
        if key in override:
            schema[key] = override[key]
    if "enum" in override and "type" not in override:
        schema["type"] = "string"
    if "options" in override:
        schema["ui"] = {"options": override["options"],
                        "depends_on": list(override.get("depends_on", []))}
    return schema


def build(operation: Operation, curated: Curated | None) -> tuple[dict[str, Any], Plan]:
    """The params schema and the run plan of one operation's node."""
    properties: dict[str, Any] = {}
    required: list[str] = []
    locations: dict[str, str] = {}
    overrides = curated.params if curated else {}
    hidden = curated.hide if curated else frozenset()
    defaults = curated.defaults if curated else {}
    names = {p.name for p in operation.params} | set(overrides)
    for param in operation.params:
        locations[param.name] = param.location
        if param.name in hidden:
            continue
        override = overrides.get(param.name, {})
        properties[param.name] = _param_schema(param.name, param.schema, param.description,
                                               names, override)
        is_required = override.get("required", param.required)
        if is_required and param.name not in LOCATION_PARAMS and param.name not in defaults:
            required.append(param.name)
    for name, override in overrides.items():
        if name in locations:
            continue  # a param the spec lacks: the overlay says where it goes
        locations[name] = override.get("location", "body")
        properties[name] = _param_schema(name, {"type": override.get("type", "string")},
                                         "", names, override)
        if override.get("required"):
            required.append(name)
    if curated and curated.custom_fields in properties:
        properties[curated.custom_fields] = _custom_fields_schema()
    # Unknown params are refused, not silently dropped: a typo must not lose a field.
    schema: dict[str, Any] = {"type": "object", "properties": properties,
                              "additionalProperties": False}
    if required:
        schema["required"] = required
    types = {name: prop.get("type") for name, prop in properties.items()}
    return schema, Plan(operation, curated, locations, types)


def _custom_fields_schema() -> dict[str, Any]:
    return {
        "title": "Custom fields",
        "description": "Each {id or key, value}; sent to HighLevel as {id, field_value}. An "
                       "object of id (or key) to value works too.",
        "type": ["array", "object"],
        "items": {"type": "object", "properties": {
            "id": {"type": "string", "title": "Field", "ui": {"options": "ghl.custom_fields"}},
            "key": {"type": "string", "title": "Field key"},
            "value": {"title": "Value"}}},
        "ui": {"options": "ghl.custom_fields"},
    }


def meta(operation: Operation, curated: Curated | None) -> dict[str, Any]:
    return {
        "app": operation.app, "operation": operation.key,
        "operation_id": operation.operation_id, "method": operation.method,
        "path": operation.path, "version": operation.version,
        "scopes": list(operation.scopes), "security": list(operation.schemes),
        "success": operation.success, "deprecated": operation.deprecated,
        "curated": curated is not None,
        "aliases": list(curated.aliases) if curated else [],
    }


def _title(operation: Operation, curated: Curated | None) -> str:
    if curated is not None:
        return curated.title
    title = operation.summary or humanize(operation.operation_id.replace("-", " "))
    return f"{title} (deprecated)" if operation.deprecated else title


def _description(operation: Operation, curated: Curated | None) -> str:
    text = (curated.description if curated and curated.description else
            operation.description or operation.summary)
    text = re.sub(r"\s+", " ", text).strip()
    where = f"{operation.method} {operation.path}"
    if curated is None and operation.list_key:
        where += f"; one item per `{operation.list_key}` entry"
    return f"{text[:280]} ({where})" if text else where


def _runner(plan: Plan) -> Any:
    def run(ctx: RunContext, items: Items, params: Params) -> Outputs:
        from nodes.ghl.runner import run_plan  # the runner imports the host, lazily

        return run_plan(plan, ctx, items, params)

    run.__doc__ = f"{plan.operation.method} {plan.operation.path}"
    return run


def register_all() -> dict[str, NodeSpec]:
    """Declare every operation's node; returns them by operation key (METHOD /path)."""
    declared: dict[str, NodeSpec] = {}
    taken: set[str] = set()
    for operation in openapi.operations():
        curated = overlay.for_operation(operation.app, operation.operation_id)
        type_id = node_type(operation, curated)
        if type_id in taken:  # two operationIds that slug alike: keep both, tell them apart
            type_id = f"{type_id}_{operation.method.lower()}"
        taken.add(type_id)
        params, plan = build(operation, curated)
        declared[operation.key] = register(NodeSpec(
            type=type_id, title=_title(operation, curated),
            group=f"HighLevel · {app_title(operation.app)}",
            description=_description(operation, curated), run=_runner(plan), params=params,
            credential=FAMILY, icon="highlevel", meta=meta(operation, curated),
            ui={"curated": curated is not None},
        ))
    return declared


def aliases() -> dict[str, str]:
    """Other spellings of operations ("PUT /opportunities") -> their node type."""
    found: dict[str, str] = {}
    for spec in SPECS.values():
        for alias in spec.meta.get("aliases", []):
            found[alias] = spec.type
    return found


def spec_for(method: str, path: str) -> NodeSpec | None:
    """The node of `METHOD /path`, aliases included (trailing slashes ignored)."""
    wanted = f"{method.upper()} {path.rstrip('/')}"
    for key, spec in SPECS.items():
        if key.rstrip("/") == wanted:
            return spec
    alias = aliases().get(wanted) or aliases().get(f"{method.upper()} {path}")
    if alias is not None:
        return next((s for s in SPECS.values() if s.type == alias), None)
    return None


def control_param(plan: Plan, name: str) -> bool:
    return plan.locations.get(name) == CONTROL


SPECS = register_all()
