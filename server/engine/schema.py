"""The JSON Schema of a workflow document (`flowlane/workflow@1`), served at /api/schema/workflow.

The schema checks the document's shape; `validate.py` adds the rules a schema cannot express
(the graph, the node types, each node's own params schema, expressions).
"""

from __future__ import annotations

from typing import Any

FORMAT = "flowlane/workflow@1"

NODE_ID_PATTERN = r"^[A-Za-z0-9_.\-]{1,100}$"

_position = {
    "type": "array",
    "items": {"type": "number"},
    "minItems": 2,
    "maxItems": 2,
    "description": "x and y on the canvas, in pixels.",
}

_item_lists = {
    "type": "object",
    "description": "Items per output port.",
    "additionalProperties": {"type": "array", "items": {"type": "object"}},
}

WORKFLOW_SCHEMA: dict[str, Any] = {
    "$schema": "https://json-schema.org/draft/2020-12/schema",
    "$id": "https://flowlane.dev/schema/workflow-1.json",
    "title": "Flowlane workflow",
    "type": "object",
    "required": ["format", "name", "nodes"],
    "additionalProperties": False,
    "properties": {
        "format": {"const": FORMAT},
        "name": {"type": "string", "minLength": 1, "maxLength": 200},
        "description": {"type": "string", "maxLength": 5000},
        "nodes": {
            "type": "array",
            "maxItems": 1000,
            "items": {
                "type": "object",
                "required": ["id", "type", "name"],
                "additionalProperties": False,
                "properties": {
                    "id": {"type": "string", "pattern": NODE_ID_PATTERN},
                    "type": {"type": "string", "minLength": 1, "maxLength": 200},
                    "name": {"type": "string", "minLength": 1, "maxLength": 200},
                    "position": _position,
                    "params": {"type": "object"},
                    "credential": {"type": ["string", "null"], "maxLength": 200},
                    "retry": {
                        "type": "object",
                        "additionalProperties": False,
                        "properties": {
                            "max_attempts": {"type": "integer", "minimum": 1, "maximum": 10},
                            "backoff_s": {"type": "number", "minimum": 0, "maximum": 3600},
                            "max_backoff_s": {"type": "number", "minimum": 0, "maximum": 3600},
                        },
                    },
                    "on_error": {"enum": ["stop", "continue", "error_output"]},
                    "timeout_s": {"type": ["number", "null"], "exclusiveMinimum": 0},
                    "disabled": {"type": "boolean"},
                    "notes": {"type": "string", "maxLength": 10000},
                },
            },
        },
        "edges": {
            "type": "array",
            "maxItems": 5000,
            "items": {
                "type": "object",
                "required": ["from", "to"],
                "additionalProperties": False,
                "properties": {
                    "from": {"type": "string"},
                    "to": {"type": "string"},
                    "from_port": {"type": "string", "minLength": 1},
                    "to_port": {"type": "string", "minLength": 1},
                },
            },
        },
        "settings": {
            "type": "object",
            "additionalProperties": False,
            "properties": {
                "timezone": {"type": "string"},
                "error_workflow": {"type": ["integer", "string", "null"]},
                "save_runs": {"enum": ["all", "failed", "none"]},
                "failure_alerts": {"type": ["boolean", "null"],
                                   "description": "Override the global failure alerts."},
                "timeout_s": {"type": ["number", "null"], "exclusiveMinimum": 0},
            },
        },
        "notes": {
            "type": "array",
            "description": "Sticky notes on the canvas.",
            "items": {
                "type": "object",
                "required": ["id", "text"],
                "additionalProperties": False,
                "properties": {
                    "id": {"type": "string"},
                    "text": {"type": "string", "maxLength": 20000},
                    "position": _position,
                    "size": _position,
                    "color": {"type": "string"},
                },
            },
        },
        "pinned": {
            "type": "object",
            "description": "Test data per node id, used instead of running the node in test runs.",
            "additionalProperties": _item_lists,
        },
        "meta": {"type": "object", "description": "Free-form; kept as it is."},
    },
}

DEFAULT_SETTINGS: dict[str, Any] = {"timezone": "UTC", "error_workflow": None, "save_runs": "all"}
