"""Request checks against the spec: query parameters and JSON bodies, answered in NestJS's words.

HighLevel validates with class-validator, so a bad request gets a 422 whose message lists lines
such as "status must be one of the following values: open, won" or "property x should not exist".
The spec is the contract; the few places where it contradicts the live API are listed below.
"""

from __future__ import annotations

from typing import Any

from jsonschema import Draft4Validator
from jsonschema.exceptions import ValidationError
from werkzeug.datastructures import MultiDict

from sandbox.spec import DATA_KEYS, JSON, JSON_TYPES, Operation

# Spec drift (NOTES.md §8.8): the 2026 UpsertOpportunityDto requires follower fields and dropped
# contactId; the live API still upserts by contact. The advanced search DTO marks every field
# required, which no documented call does. These operations require only what is listed here.
REQUIRED_OVERRIDES: dict[str, tuple[str, ...]] = {
    "POST /opportunities/upsert": ("pipelineId", "locationId"),
    "POST /opportunities/search": ("locationId",),
}
# Top-level body fields accepted beyond the spec's own (the pre-2026 upsert shape).
EXTRA_FIELDS: dict[str, frozenset[str]] = {
    "POST /opportunities/upsert": frozenset({"contactId"}),
}

_TYPE_WORDS = {
    "string": "must be a string",
    "number": "must be a number conforming to the specified constraints",
    "integer": "must be an integer number",
    "boolean": "must be a boolean value",
    "array": "must be an array",
    "object": "must be an object",
}


def json_type(value: Any) -> str:
    if value is None:
        return "null"
    if isinstance(value, bool):
        return "boolean"
    if isinstance(value, int | float):
        return "number"
    if isinstance(value, str):
        return "string"
    if isinstance(value, list):
        return "array"
    return "object"


def to_json_schema(schema: JSON) -> JSON:
    """An OpenAPI 3.0 schema as JSON Schema, with the spec's documented sloppiness relaxed.

    - `nullable: true` admits null (OpenAPI semantics, not sloppiness).
    - A declared type its own example contradicts (`monetaryValue` typed object with example 220,
      `indexVersion` typed string with example 1: NOTES.md §8.8, §8.9) admits both types.
    - Array items typed `{"type": "array"}` with nothing inside are untyped (§8.7: pipeline
      stages; the same generator bug types opportunity notes, tasks and followers).
    - Type names that are not JSON types are dropped.
    """
    if not isinstance(schema, dict):
        return schema
    out: JSON = {}
    for key, value in schema.items():
        if key in DATA_KEYS:
            out[key] = value
        elif key in ("properties", "patternProperties"):
            out[key] = {name: to_json_schema(sub) for name, sub in value.items()}
        elif key in ("items", "additionalProperties", "not") and isinstance(value, dict):
            out[key] = to_json_schema(value)
        elif key in ("allOf", "anyOf", "oneOf") and isinstance(value, list):
            out[key] = [to_json_schema(sub) for sub in value]
        else:
            out[key] = value
    declared = out.get("type")
    if isinstance(declared, str):
        if declared not in JSON_TYPES:
            del out["type"]
        elif "example" in out and out["example"] is not None:
            example_type = json_type(out["example"])
            integer_example = declared == "integer" and example_type == "number"
            if example_type != declared and not integer_example:
                out["type"] = [declared, example_type]
    if out.get("type") == "array" and out.get("items") == {"type": "array"}:
        out["items"] = {}
    if out.get("nullable") is True:
        if isinstance(out.get("type"), str):
            out["type"] = [out["type"], "null"]
        elif isinstance(out.get("type"), list):
            out["type"] = [*out["type"], "null"]
        if "enum" in out:
            out["enum"] = [*out["enum"], None]
    return out


def check_query(operation: Operation, args: MultiDict[str, str]) -> tuple[JSON, list[str]]:
    """The declared query parameters, typed; plus class-validator messages for bad ones."""
    typed: JSON = {}
    problems: list[str] = []
    for param in operation.query_parameters():
        values = [v for v in args.getlist(param.name)]
        if not values or values == [""]:
            if param.required:
                problems.append(f"{param.name} should not be empty")
            continue
        value, problem = _coerce(param.name, values, param.schema)
        if problem:
            problems.append(problem)
        else:
            typed[param.name] = value
    return typed, problems


def _coerce(name: str, values: list[str], schema: JSON) -> tuple[Any, str | None]:
    kind = schema.get("type")
    if kind == "array":
        items = [part for value in values for part in value.split(",") if part]
        return items, None
    raw = values[-1]
    value: Any = raw
    if kind in ("number", "integer"):
        try:
            number = float(raw)
        except ValueError:
            return None, f"{name} {_TYPE_WORDS[kind]}"
        value = int(number) if number.is_integer() else number
    elif kind == "boolean":
        lowered = raw.lower()
        if lowered not in ("true", "false"):
            return None, f"{name} must be a boolean value"
        value = lowered == "true"
    enum = schema.get("enum")
    if enum and value not in enum:
        return None, f"{name} must be one of the following values: {', '.join(map(str, enum))}"
    return value, None


def check_body(operation: Operation, body: Any, *, strict: bool) -> list[str]:
    """Class-validator style messages for a JSON body that does not fit the operation's DTO."""
    validator = _body_validator(operation)
    if validator is None:
        return []
    schema = validator.schema
    if not isinstance(body, dict):
        return ["body must be an object"] if schema.get("type") == "object" else []
    errors = sorted(validator.iter_errors(body), key=lambda e: list(map(str, e.absolute_path)))
    problems = [_message(error) for error in errors]
    properties = schema.get("properties") or {}
    if strict and properties:
        allowed = set(properties) | EXTRA_FIELDS.get(operation.key, frozenset())
        problems.extend(f"property {name} should not exist" for name in body if name not in allowed)
    return problems


_VALIDATORS: dict[int, Draft4Validator | None] = {}


def _body_validator(operation: Operation) -> Draft4Validator | None:
    """The operation's body validator, built once (a schema walk per request is slow)."""
    key = id(operation)
    if key not in _VALIDATORS:
        schema = operation.body_schema
        if schema is None:
            _VALIDATORS[key] = None
        else:
            schema = to_json_schema(schema)
            if operation.key in REQUIRED_OVERRIDES:
                schema["required"] = list(REQUIRED_OVERRIDES[operation.key])
            _VALIDATORS[key] = Draft4Validator(schema)
    return _VALIDATORS[key]


def _message(error: ValidationError) -> str:
    path = ".".join(str(part) for part in error.absolute_path)
    prefix = f"{path}." if path else ""
    if error.validator == "required":
        missing = str(error.message).split("'")[1] if "'" in error.message else error.message
        return f"{prefix}{missing} should not be empty"
    subject = path or "body"
    if error.validator == "type":
        expected = error.validator_value
        kind = expected if isinstance(expected, str) else next(
            (t for t in expected if t != "null"), "string"
        )
        return f"{subject} {_TYPE_WORDS.get(kind, f'must be a {kind}')}"
    if error.validator == "enum":
        values = ", ".join(str(v) for v in error.validator_value if v is not None)
        return f"{subject} must be one of the following values: {values}"
    if error.validator in ("anyOf", "oneOf"):
        return f"{subject} does not match any allowed shape"
    return f"{subject} {error.message}"
