"""Edit Fields (Set), Split Out, Aggregate, Sort, Limit and Remove Duplicates."""

from __future__ import annotations

from typing import Any

from server.importers.n8n import jsontext
from server.importers.n8n.context import MapContext, Mapped, NeedsAttention
from server.importers.n8n.mappers import maps

#: n8n field types (v3.3+ names and v3.0-3.2 "xValue" names) -> core.map conversions.
_SET_TYPES = {"string": "string", "number": "number", "boolean": "boolean", "array": "json",
              "object": "json", "stringValue": "string", "numberValue": "number",
              "booleanValue": "boolean", "arrayValue": "json", "objectValue": "json"}


def _names(raw: Any, what: str, ctx: MapContext) -> list[str]:
    """A comma-separated list of field names ("a, b.c") as a list."""
    text = ctx.plain(raw or "", what)
    return [name.strip().removeprefix("$json.") for name in text.split(",") if name.strip()]


@maps("set")
def set_node(ctx: MapContext) -> Mapped:
    if ctx.get("duplicateItem"):
        ctx.need("its 'duplicate item' test setting is not carried over")
    if ctx.version < 3:
        fields, keep = _set_v1(ctx), "none" if ctx.get("keepOnlySet") else "all"
        params: dict[str, Any] = {"fields": fields, "keep": keep}
    else:
        fields = _set_raw(ctx) if ctx.get("mode") == "raw" else _set_manual(ctx)
        params = {"fields": fields, **_include(ctx)}
    if ctx.option("dotNotation", True) is False and any("." in f["target"] for f in fields):
        ctx.need("it set field names containing dots as they are; Flowlane reads dots as "
                 "nesting (a.b sets b inside a)")
    return Mapped("core.map", params)


def _set_v1(ctx: MapContext) -> list[dict[str, Any]]:
    values = ctx.get("values")
    values = values if isinstance(values, dict) else {}
    fields = []
    for n8n_type in ("boolean", "number", "string"):
        for index, entry in enumerate(values.get(n8n_type) or []):
            if isinstance(entry, dict):
                fields.append(_field(ctx, entry.get("name"), entry.get("value", ""), n8n_type,
                                     f"values.{n8n_type}[{index}]"))
    return fields


def _set_manual(ctx: MapContext) -> list[dict[str, Any]]:
    fields = []
    if ctx.version >= 3.3:
        holder = ctx.get("assignments")
        entries = holder.get("assignments") if isinstance(holder, dict) else []
        for index, entry in enumerate(entries or []):
            if isinstance(entry, dict):
                fields.append(_field(ctx, entry.get("name"), entry.get("value", ""),
                                     str(entry.get("type") or "string"),
                                     f"assignments[{index}]"))
        return fields
    holder = ctx.get("fields")
    entries = holder.get("values") if isinstance(holder, dict) else []
    for index, entry in enumerate(entries or []):
        if isinstance(entry, dict):
            n8n_type = str(entry.get("type") or "stringValue")
            value = entry.get(n8n_type, entry.get(n8n_type.removesuffix("Value"), ""))
            fields.append(_field(ctx, entry.get("name"), value, n8n_type,
                                 f"fields.values[{index}]"))
    return fields


def _set_raw(ctx: MapContext) -> list[dict[str, Any]]:
    output = jsontext.parse(ctx, ctx.get("jsonOutput", ctx.get("json", "{}")), "jsonOutput")
    if not isinstance(output, dict):
        raise NeedsAttention("its JSON output is not a JSON object")
    return [{"target": key, "value": value, "type": "auto"} for key, value in output.items()
            if key]


def _field(ctx: MapContext, name: Any, value: Any, n8n_type: str, where: str) -> dict[str, Any]:
    target = ctx.plain(name if name is not None else "", f"the name of field {where}")
    if not target:
        raise NeedsAttention(f"field {where} has no name")
    kind = _SET_TYPES.get(n8n_type)
    if kind is None:
        raise NeedsAttention(f"field {target!r} has the type {n8n_type!r}")
    return {"target": target, "value": ctx.value(value, f"{where}.value"), "type": kind}


def _include(ctx: MapContext) -> dict[str, Any]:
    """Which input fields the output keeps (v3.3 dropped them unless told otherwise)."""
    include = ctx.get("include", "all")
    if ctx.version >= 3.3 and not ctx.get("includeOtherFields"):
        include = "none"
    if include == "none":
        return {"keep": "none"}
    if include == "selected":
        return {"keep": "selected",
                "keep_fields": _names(ctx.get("includeFields"), "its fields to include", ctx)}
    if include == "except":
        return {"keep": "all",
                "remove": _names(ctx.get("excludeFields"), "its fields to exclude", ctx)}
    return {"keep": "all"}


@maps("splitOut")
def split_out(ctx: MapContext) -> Mapped:
    fields = _names(ctx.get("fieldToSplitOut"), "its field to split out", ctx)
    if len(fields) != 1:
        raise NeedsAttention("it splits out several fields at once" if fields
                             else "it names no field to split out")
    include = ctx.get("include", "noOtherFields")
    if include == "selectedOtherFields":
        raise NeedsAttention("it copies selected other fields, which Flowlane's Split out "
                             "cannot")
    destination = ctx.plain(ctx.option("destinationFieldName", ""), "its destination field")
    if include == "allOtherFields" or destination:
        ctx.need(f"entries of {fields[0]!r} that are objects are merged into each item; n8n "
                 f"put them under {destination or fields[0]!r}")
    params = {"field": fields[0], "destination": destination or fields[0],
              "include": "other_fields" if include == "allOtherFields" else "nothing"}
    return Mapped("core.split_out", params)


@maps("aggregate")
def aggregate(ctx: MapContext) -> Mapped:
    if ctx.get("aggregate") == "aggregateAllItemData":
        if ctx.get("include", "allFields") != "allFields":
            raise NeedsAttention("it aggregates only some fields of the items")
        destination = ctx.plain(ctx.get("destinationFieldName") or "data", "its output field")
        return Mapped("core.aggregate", {"mode": "all_items", "destination": destination})
    holder = ctx.get("fieldsToAggregate")
    entries = holder.get("fieldToAggregate") if isinstance(holder, dict) else None
    fields = []
    for index, entry in enumerate(entries or []):
        entry = entry if isinstance(entry, dict) else {}
        field = ctx.plain(entry.get("fieldToAggregate", ""), f"aggregated field {index + 1}")
        if not field:
            continue
        spec: dict[str, Any] = {"field": field.removeprefix("$json."), "operation": "list"}
        output = entry.get("outputFieldName") if entry.get("renameField") else None
        spec["as"] = ctx.plain(output, "its output field name") if output else \
            spec["field"]
        fields.append(spec)
    if not fields:
        raise NeedsAttention("it names no field to aggregate")
    if ctx.option("mergeLists", False):
        ctx.need("it merged lists into one; Flowlane keeps a list of lists")
    if ctx.option("keepMissing", False):
        ctx.need("it kept missing values as null; Flowlane leaves them out")
    return Mapped("core.aggregate", {"mode": "fields", "fields": fields})


@maps("sort")
def sort(ctx: MapContext) -> Mapped:
    if ctx.get("type", "simple") != "simple":
        raise NeedsAttention(f"it sorts by {ctx.get('type')!r}, not by fields")
    holder = ctx.get("sortFieldsUi")
    entries = holder.get("sortField") if isinstance(holder, dict) else None
    fields = []
    for index, entry in enumerate(entries or []):
        entry = entry if isinstance(entry, dict) else {}
        field = ctx.plain(entry.get("fieldName", ""), f"sort field {index + 1}")
        if field:
            order = "desc" if entry.get("order") == "descending" else "asc"
            fields.append({"field": field.removeprefix("$json."), "order": order})
    if not fields:
        raise NeedsAttention("it names no field to sort by")
    return Mapped("core.sort", {"fields": fields})


@maps("limit")
def limit(ctx: MapContext) -> Mapped:
    keep = "last" if ctx.get("keep") == "lastItems" else "first"
    return Mapped("core.limit", {"max_items": ctx.param("maxItems", 1), "keep": keep})


@maps("removeDuplicates")
def remove_duplicates(ctx: MapContext) -> Mapped:
    if ctx.version >= 2 and ctx.get("operation") != "removeDuplicateInputItems":
        raise NeedsAttention(f"it {ctx.get('operation')!r}, which needs n8n's memory of "
                             "earlier runs")
    compare = ctx.get("compare", "allFields")
    if compare == "allFields":
        return Mapped("core.dedupe", {"compare": "all_fields"})
    if compare != "selectedFields":
        raise NeedsAttention("it compares all fields except some, which Flowlane cannot")
    raw = ctx.get("fieldsToCompare", "")
    if isinstance(raw, dict):  # v1: {fields: [{fieldName}]}
        raw = ",".join(str(entry.get("fieldName", "")) for entry in raw.get("fields") or []
                       if isinstance(entry, dict))
    fields = _names(raw, "its fields to compare", ctx)
    if not fields:
        raise NeedsAttention("it names no field to compare")
    return Mapped("core.dedupe", {"compare": "selected_fields", "fields": fields})
