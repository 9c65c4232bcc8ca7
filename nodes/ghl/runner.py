"""Running an operation's node: rendered params -> one request per item -> items out.

Params go where the spec puts them (path, query, JSON or form body); empty ones stay out, the
connection's location fills `locationId` when the node leaves it empty, strings rendered from
expressions are coerced to the declared type, and custom fields written {id|key, value} are
sent as {id, field_value}; a multipart upload sends a file from an earlier step (an item's
`file`) as a real file part. The answer becomes items as the overlay says (a list, one key of
the body, or the body itself), a generated node's as its one list of records; "Return all"
follows the cursor with every filter kept.
"""

from __future__ import annotations

import json
from collections.abc import Callable, Mapping
from datetime import UTC, datetime
from typing import Any

from nodes.ghl.auth import Connection
from nodes.ghl.client import FilePart, GhlClient
from nodes.ghl.operations import LOCATION_PARAMS, Plan
from nodes.ghl.overlay import CONTROL
from nodes.ghl.paginate import all_pages
from nodes.registry import Item, Items, NodeError, Outputs, Params, RunContext


def client_for(ctx: RunContext) -> tuple[GhlClient, Connection]:
    connection = Connection.of(ctx.credential)
    return ctx.service("ghl").client(connection, ctx.cancelled), connection


def run_plan(plan: Plan, ctx: RunContext, items: Items, params: Params) -> Outputs:
    client, connection = client_for(ctx)

    def read_file(artifact_id: Any) -> tuple[str, str, bytes]:
        return ctx.service("files").read(artifact_id)  # type: ignore[no-any-return]

    out: Items = []
    for index, item in enumerate(items or [{}]):
        if ctx.cancelled():
            break
        out.extend(execute(plan, client, connection, params.render(item, index), read_file))
    return {"main": out}


FileReader = Callable[[Any], tuple[str, str, bytes]]


def attach_files(body: dict[str, Any], binary: frozenset[str],
                 read_file: FileReader | None) -> dict[str, Any]:
    """A multipart body with each file from an earlier step (an item's `file`, as the CSV
    and PDF nodes make it: {"artifact_id", "name", ...}) as the file's bytes, and text in a
    file field (`binary`) as a text file."""
    attached = dict(body)
    for name, value in body.items():
        if name in binary and isinstance(value, str):
            attached[name] = FilePart(str(body.get("name") or name), "text/plain",
                                      value.encode())
        elif isinstance(value, Mapping) and "artifact_id" in value:
            if read_file is None:
                raise NodeError(f"{name}: files from earlier steps need a Flowlane server.")
            try:
                file_name, mime, content = read_file(value["artifact_id"])
            except LookupError:
                raise NodeError(f"{name}: the file {value.get('name')!r} no longer "
                                "exists.") from None
            attached[name] = FilePart(file_name, mime, content)
    return attached


class Request:
    def __init__(self) -> None:
        self.path: dict[str, Any] = {}
        self.query: dict[str, Any] = {}
        self.body: dict[str, Any] | None = None
        self.whole: Any = None
        self.control: dict[str, Any] = {}

    def payload(self) -> Any:
        return self.whole if self.whole is not None else self.body


def prepare(plan: Plan, connection: Connection, values: Mapping[str, Any]) -> Request:
    """The request the rendered params stand for."""
    operation, curated = plan.operation, plan.curated
    request = Request()
    if operation.body_type is not None and not operation.body_whole:
        request.body = {}
    defaults = curated.defaults if curated else {}
    for name, where in plan.locations.items():
        value = values.get(name)
        if _empty(value):
            if name in LOCATION_PARAMS and connection.location_id:
                value = connection.location_id
            elif name in defaults:
                value = defaults[name]
            else:
                continue
        value = _coerce(value, plan.types.get(name))
        if curated is not None and name in curated.epoch_ms:
            value = epoch_ms(value, name)
        if curated is not None and name == curated.custom_fields:
            value = custom_fields(value)
        if where == "path":
            request.path[name] = value
        elif where == "query":
            request.query[name] = value
        elif where == CONTROL:
            request.control[name] = value
        elif name == "body" and operation.body_whole:
            request.whole = value
        else:
            if request.body is None:
                request.body = {}
            request.body[name] = value
    missing = [p.name for p in operation.params if p.location == "path"
               and _empty(request.path.get(p.name))]
    if missing:
        raise NodeError(f"{', '.join(missing)} must be given: it is part of the URL "
                        f"{operation.path}.")
    return request


def execute(plan: Plan, client: GhlClient, connection: Connection,
            values: Mapping[str, Any], read_file: FileReader | None = None) -> Items:
    request = prepare(plan, connection, values)
    if plan.operation.body_type == "multipart/form-data" and request.body:
        request.body = attach_files(request.body, plan.operation.file_fields, read_file)
    curated = plan.curated
    idempotent = curated.idempotent if curated else None
    if curated and curated.paginate and request.control.get("return_all"):
        rows = all_pages(client, plan.operation, request.path, request.query, request.payload(),
                         curated.paginate, int(request.control.get("max_items") or 0),
                         idempotent)
        return [as_item(row) for row in rows]
    response = client.call(plan.operation, path=request.path, query=request.query,
                           body=request.payload(), idempotent=idempotent)
    return shape(plan, response.body)


def shape(plan: Plan, body: Any) -> Items:
    """The answer as items: the overlay's list or key; for a generated node, the answer's
    one list of records (`Operation.list_key`); else the body itself."""
    key = plan.operation.list_key
    if plan.curated is None and key and isinstance(body, dict) and isinstance(body.get(key), list):
        return [as_item(row) for row in body[key]]
    output = plan.curated.output if plan.curated else {}
    if output.get("list") and isinstance(body, dict):
        return [as_item(row) for row in body.get(output["list"]) or []]
    if output.get("unwrap") and isinstance(body, dict) and isinstance(
            body.get(output["unwrap"]), dict):
        return [body[output["unwrap"]]]
    if output.get("slots") and isinstance(body, dict):
        return [{"date": day, "slot": slot}
                for day, entry in body.items() if isinstance(entry, dict)
                for slot in entry.get("slots") or []]
    if isinstance(body, list):
        return [as_item(row) for row in body]
    return [as_item(body)]


def as_item(value: Any) -> Item:
    return value if isinstance(value, dict) else {"value": value}


def custom_fields(value: Any) -> list[dict[str, Any]]:
    """{id|key, value} (or {id: value}) as HighLevel wants them written: {id, field_value}.

    HighLevel reads them back as {id, fieldValue} (opportunities) or {id, value} (contacts):
    NOTES.md §8.6. Entries already written with field_value pass through.
    """
    if isinstance(value, Mapping):
        value = [{"id": k, "value": v} for k, v in value.items()]
    if not isinstance(value, list):
        raise NodeError("Custom fields must be a list of {id, value} or an object of "
                        "field id to value.")
    written = []
    for entry in value:
        if not isinstance(entry, Mapping):
            raise NodeError(f"A custom field must be an object with id and value, not "
                            f"{entry!r}.")
        field: dict[str, Any] = {}
        ident = entry.get("id") or entry.get("fieldId")
        if ident:
            field["id"] = ident
        elif entry.get("key"):
            field["key"] = entry["key"]
        else:
            raise NodeError("Each custom field needs its id (or key).")
        for name in ("field_value", "value", "fieldValue"):
            if name in entry:
                field["field_value"] = entry[name]
                break
        written.append(field)
    return written


def epoch_ms(value: Any, name: str) -> int:
    """Epoch milliseconds from a number, digits, or an ISO date/time (UTC unless it says)."""
    if isinstance(value, int | float) and not isinstance(value, bool):
        return int(value)
    text = str(value).strip()
    if text.isdigit():
        return int(text)
    try:
        moment = datetime.fromisoformat(text.replace("Z", "+00:00"))
    except ValueError:
        raise NodeError(f"{name} must be epoch milliseconds or an ISO date/time, not "
                        f"{text!r}.") from None
    if moment.tzinfo is None:
        moment = moment.replace(tzinfo=UTC)
    return int(moment.timestamp() * 1000)


def _empty(value: Any) -> bool:
    return value is None or (isinstance(value, str) and not value.strip())


def _coerce(value: Any, declared: Any) -> Any:
    """A string rendered from an expression, as the type the spec declares."""
    if not isinstance(value, str):
        return value
    types = declared if isinstance(declared, list) else [declared]
    text = value.strip()
    if "string" in types:
        return value
    try:
        if "integer" in types and text.lstrip("-").isdigit():
            return int(text)
        if "number" in types:
            number = float(text)
            return int(number) if number.is_integer() else number
        if "boolean" in types and text.lower() in ("true", "false"):
            return text.lower() == "true"
        if ("array" in types or "object" in types) and text[:1] in "[{":
            return json.loads(text)
        if "array" in types:
            return [part.strip() for part in text.split(",") if part.strip()]
    except ValueError:
        return value
    return value
