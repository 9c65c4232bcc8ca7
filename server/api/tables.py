"""/api/tables: data tables and their rows, CSV import and export; and the dropdown options
/api/options/tables and /api/options/table_columns the node forms use.

Reading needs READ; changing tables or rows needs EDIT. Every row change starts the active
"Table changed" triggers (unless the body says `"trigger_workflows": false`).
"""

from __future__ import annotations

from typing import Any

from flask import Blueprint, Response, g, request

from server import audit
from server.api.base import db, doc, int_arg, json_body, services
from server.auth.permissions import Permission, requires
from server.db import DataTable
from server.errors import BadRequest, NotFound
from server.tables import columns, csv_io, presets, query, store, types
from server.tables.store import Source

bp = Blueprint("tables", __name__, url_prefix="/api")

COLUMN = {
    "type": "object", "required": ["name", "type"],
    "properties": {"name": {"type": "string", "pattern": types.NAME_PATTERN},
                   "type": {"enum": list(types.TYPES)}, "options": {"type": "object"}},
}
CREATE_BODY = {
    "type": "object", "required": ["name"], "additionalProperties": False,
    "properties": {
        "name": {"type": "string", "minLength": 1, "maxLength": 100},
        "description": {"type": "string", "maxLength": 2000},
        "key_column": {"type": ["string", "null"]},
        "columns": {"type": "array", "maxItems": store.MAX_COLUMNS, "items": COLUMN},
    },
}
CHANGE = {
    "type": "object", "required": ["name"],
    "properties": {"name": {"type": "string"},
                   "new_name": {"type": "string", "pattern": types.NAME_PATTERN},
                   "type": {"enum": list(types.TYPES)}, "options": {"type": "object"}},
}
UPDATE_BODY = {
    "type": "object", "additionalProperties": False,
    "properties": {
        "name": {"type": "string", "minLength": 1, "maxLength": 100},
        "description": {"type": "string", "maxLength": 2000},
        "key_column": {"type": ["string", "null"]},
        "columns": {"type": "object", "additionalProperties": False, "properties": {
            "add": {"type": "array", "maxItems": store.MAX_COLUMNS, "items": COLUMN},
            "change": {"type": "array", "maxItems": store.MAX_COLUMNS, "items": CHANGE},
            "remove": {"type": "array", "items": {"type": "string"}},
            "order": {"type": "array", "items": {"type": "string"}},
        }},
        "invalid": {"enum": ["fail", "clear"], "default": "fail"},
    },
}
TRIGGER_FLAG = {"type": "boolean", "default": True,
                "description": "false: a silent change that starts no workflow"}
ROW_BODY = {
    "type": "object", "required": ["values"], "additionalProperties": False,
    "properties": {"values": {"type": "object"}, "trigger_workflows": TRIGGER_FLAG},
}
DELETE_ROWS_BODY = {
    "type": "object", "required": ["ids"], "additionalProperties": False,
    "properties": {"ids": {"type": "array", "minItems": 1, "maxItems": 1000,
                           "items": {"type": "integer", "minimum": 1}},
                   "trigger_workflows": TRIGGER_FLAG},
}
ROWS_QUERY = {
    "sort": "columns, '-' for descending: stage,-value (default: id)",
    "filter": "column:operator:value, repeatable (in: comma-separated values)",
    "filters": 'JSON list of {"column", "op", "value"}',
    "match": "all (default) or any filter", "q": "text in any text column",
    "limit": "1-1000 (default 50)", "offset": "rows to skip", "cursor": "next_cursor of a page",
}


def _table(table_id: int) -> DataTable:
    try:
        return store.get_table(db(), table_id)
    except NotFound:
        raise NotFound(f"There is no data table {table_id}.") from None


def _source(kind: str = "api", trigger: Any = True) -> Source:
    user = g.get("user")
    return Source(kind, user=user.email if user is not None else None, trigger=trigger is not False)


def _flag(name: str) -> bool:
    return request.args.get(name, "true").lower() not in ("false", "0", "no")


def _commit() -> None:
    store.commit(services(), db())


# Tables ---------------------------------------------------------------------------------

@bp.get("/tables")
@requires(Permission.READ)
@doc("Every data table with its columns and row count", tag="tables")
def list_tables() -> dict[str, Any]:
    counts = store.row_counts(db())
    return {"tables": [store.describe_table(t, counts.get(t.id, 0))
                       for t in store.list_tables(db())]}


@bp.post("/tables")
@requires(Permission.EDIT)
@doc("Create a table with typed columns (and a key column)", tag="tables", body=CREATE_BODY,
     responses={201: "Created", 409: "Name taken", 422: "Invalid"})
def create_table() -> tuple[dict[str, Any], int]:
    body = json_body(CREATE_BODY)
    table = store.create_table(db(), body["name"], body.get("columns", []),
                               key_column=body.get("key_column"),
                               description=body.get("description", ""))
    audit.record(db(), "created", "table", table.id, name=table.name)
    db().commit()
    return store.describe_table(table, 0), 201


@bp.post("/tables/presets/<preset>")
@requires(Permission.EDIT)
@doc("Create a preset table (opportunities, pipelines) unless it exists", tag="tables",
     responses={201: "Created", 200: "It existed", 404: "No such preset"})
def create_preset(preset: str) -> tuple[dict[str, Any], int]:
    table, made = presets.create_preset(db(), preset)
    if made:
        audit.record(db(), "created", "table", table.id, name=table.name, preset=preset)
    db().commit()
    count = store.row_counts(db()).get(table.id, 0)
    return store.describe_table(table, count), 201 if made else 200


@bp.get("/tables/<int:table_id>")
@requires(Permission.READ)
@doc("One table with its columns", tag="tables", responses={200: "OK", 404: "Not found"})
def get_table(table_id: int) -> dict[str, Any]:
    table = _table(table_id)
    return store.describe_table(table, store.row_counts(db()).get(table.id, 0))


@bp.patch("/tables/<int:table_id>")
@requires(Permission.EDIT)
@doc("Rename; add, change (rename, retype, options), remove and order columns; key column. "
     "Existing values are converted; 422 lists those that cannot be unless invalid=clear",
     tag="tables", body=UPDATE_BODY,
     responses={200: "Changed", 404: "Not found", 409: "Conflict", 422: "Invalid"})
def update_table(table_id: int) -> dict[str, Any]:
    body = json_body(UPDATE_BODY)
    table = _table(table_id)
    report = columns.alter_table(db(), table, body)
    audit.record(db(), "changed", "table", table.id, name=table.name,
                 changes=sorted(body), **report)
    db().commit()
    return {**store.describe_table(table, store.row_counts(db()).get(table.id, 0)),
            "values": report}


@bp.delete("/tables/<int:table_id>")
@requires(Permission.EDIT)
@doc("Delete a table and its rows", tag="tables",
     responses={204: "Deleted", 404: "Not found", 409: "Referred to by another table"})
def delete_table(table_id: int) -> tuple[str, int]:
    table = _table(table_id)
    audit.record(db(), "deleted", "table", table.id, name=table.name)
    store.delete_table(db(), table)
    db().commit()
    return "", 204


# Rows -----------------------------------------------------------------------------------

def _filters(table: DataTable) -> tuple[list[query.Filter], list[query.Sort], str, str]:
    filters = query.parse_filters(request.args.getlist("filter"), request.args.get("filters"))
    match = request.args.get("match", "all")
    if match not in ("all", "any"):
        raise BadRequest("match is all or any.")
    return filters, query.parse_sort(request.args.get("sort")), match, request.args.get("q", "")


@bp.get("/tables/<int:table_id>/rows")
@requires(Permission.READ)
@doc("Rows, filtered, sorted and paginated (offset or cursor), with the total", tag="tables",
     query=ROWS_QUERY, responses={200: "OK", 400: "Bad query", 404: "Not found",
                                   422: "Unknown column or operator"})
def list_rows(table_id: int) -> dict[str, Any]:
    table = _table(table_id)
    filters, sort, match, text = _filters(table)
    limit, offset = int_arg("limit", 50, 1, 1000), int_arg("offset", 0, 0, 10**9)
    rows, total, next_cursor = query.page(
        db(), table, filters, sort=sort, match=match, q=text, limit=limit, offset=offset,
        cursor=request.args.get("cursor") or None)
    return {"rows": [store.describe_row(table, r) for r in rows], "total": total,
            "limit": limit, "offset": offset, "next_cursor": next_cursor}


@bp.post("/tables/<int:table_id>/rows")
@requires(Permission.EDIT)
@doc("Add a row", tag="tables", body=ROW_BODY,
     responses={201: "Created", 404: "Not found", 409: "Key taken", 422: "Invalid values"})
def create_row(table_id: int) -> tuple[dict[str, Any], int]:
    body = json_body(ROW_BODY)
    table = _table(table_id)
    values = store.convert_values(db(), table, body["values"])
    row = store.insert_row(db(), table, values, _source(trigger=body.get("trigger_workflows")))
    audit.record(db(), "created", "table_row", row.id, table=table.name)
    _commit()
    return store.describe_row(table, row), 201


@bp.get("/tables/<int:table_id>/rows/<int:row_id>")
@requires(Permission.READ)
@doc("One row", tag="tables", responses={200: "OK", 404: "Not found"})
def get_row(table_id: int, row_id: int) -> dict[str, Any]:
    table = _table(table_id)
    return store.describe_row(table, store.get_row(db(), table, row_id))


@bp.patch("/tables/<int:table_id>/rows/<int:row_id>")
@requires(Permission.EDIT)
@doc("Change some values of a row (the others stay)", tag="tables", body=ROW_BODY,
     responses={200: "Changed", 404: "Not found", 409: "Conflict", 422: "Invalid values"})
def update_row(table_id: int, row_id: int) -> dict[str, Any]:
    body = json_body(ROW_BODY)
    table = _table(table_id)
    row = store.get_row(db(), table, row_id)
    values = store.convert_values(db(), table, body["values"])
    changed = store.update_row(db(), table, row, values,
                               _source(trigger=body.get("trigger_workflows")))
    if changed:
        audit.record(db(), "changed", "table_row", row.id, table=table.name, columns=changed)
    _commit()
    return {**store.describe_row(table, row), "changed": changed}


@bp.delete("/tables/<int:table_id>/rows/<int:row_id>")
@requires(Permission.EDIT)
@doc("Delete a row", tag="tables",
     responses={204: "Deleted", 404: "Not found", 409: "Referred to by another row"})
def delete_row(table_id: int, row_id: int) -> tuple[str, int]:
    table = _table(table_id)
    row = store.get_row(db(), table, row_id)
    store.delete_row(db(), table, row, _source(trigger=_flag("trigger_workflows")))
    audit.record(db(), "deleted", "table_row", row_id, table=table.name)
    _commit()
    return "", 204


@bp.post("/tables/<int:table_id>/rows/delete")
@requires(Permission.EDIT)
@doc("Delete several rows at once (all or none)", tag="tables", body=DELETE_ROWS_BODY,
     responses={200: "Deleted", 404: "A row is not there", 409: "Referred to"})
def delete_rows(table_id: int) -> dict[str, Any]:
    body = json_body(DELETE_ROWS_BODY)
    table = _table(table_id)
    source = _source(trigger=body.get("trigger_workflows"))
    ids = list(dict.fromkeys(body["ids"]))
    for row_id in ids:
        store.delete_row(db(), table, store.get_row(db(), table, row_id), source)
    audit.record(db(), "deleted", "table_row", None, table=table.name, ids=ids)
    _commit()
    return {"deleted": len(ids)}


# CSV ------------------------------------------------------------------------------------

@bp.post("/tables/<int:table_id>/import")
@requires(Permission.EDIT)
@doc("Import CSV (a multipart file, or a text/csv body): the header names the columns; "
     "every line is imported or none, with each problem's line and column", tag="tables",
     query={"mode": "insert (default) or upsert (by the key column)",
            "delimiter": "one character (default ,)",
            "trigger_workflows": "false: start no workflows"},
     responses={200: "Imported", 400: "No file", 404: "Not found", 422: "Problems"})
def import_rows(table_id: int) -> dict[str, Any]:
    table = _table(table_id)
    raw = _uploaded()
    report = csv_io.import_csv(db(), table, raw, _source("csv", _flag("trigger_workflows")),
                               mode=request.args.get("mode", "insert"),
                               delimiter=request.args.get("delimiter") or ",")
    audit.record(db(), "imported", "table", table.id, name=table.name, **report)
    _commit()
    return report


def _uploaded() -> bytes:
    if request.files:
        return next(iter(request.files.values())).read()
    if request.mimetype in ("text/csv", "text/plain", "application/csv"):
        return request.get_data()
    raise BadRequest("Send the CSV as a multipart file, or as a body with Content-Type "
                     "text/csv.")


@bp.get("/tables/<int:table_id>/export")
@requires(Permission.READ)
@doc("Download the rows as CSV (with the rows list's filters and sort)", tag="tables",
     query={k: v for k, v in ROWS_QUERY.items() if k not in ("limit", "offset", "cursor")},
     responses={200: "CSV", 404: "Not found"})
def export_rows(table_id: int) -> Response:
    table = _table(table_id)
    filters, sort, match, text = _filters(table)
    rows = db().scalars(query.select_rows(table, filters, sort=sort, match=match, q=text))
    filename = "".join(c if c.isalnum() or c in "-_" else "-" for c in table.name)[:80]
    return Response(csv_io.export_csv(table, rows), mimetype="text/csv", headers={
        "Content-Disposition": f'attachment; filename="{filename or "table"}.csv"'})


# Options for node forms -----------------------------------------------------------------

@bp.get("/options/tables")
@requires(Permission.READ)
@doc("Data tables for a node's table dropdown", tag="tables")
def table_options() -> dict[str, Any]:
    return {"options": [{"value": t.name, "label": t.name} for t in store.list_tables(db())]}


@bp.get("/options/table_columns")
@requires(Permission.READ)
@doc("A table's columns for a node's column dropdown", tag="tables",
     query={"table": "the table's name or id"}, responses={200: "OK", 404: "No such table"})
def column_options() -> dict[str, Any]:
    return {"options": _column_options(system=False)}


@bp.get("/options/table_fields")
@requires(Permission.READ)
@doc("A table's columns and the rows' own fields (id, created_at, updated_at), for filters "
     "and sorting", tag="tables", query={"table": "the table's name or id"},
     responses={200: "OK", 404: "No such table"})
def field_options() -> dict[str, Any]:
    return {"options": _column_options(system=True)}


def _column_options(system: bool) -> list[dict[str, str]]:
    ref = request.args.get("table", "").strip()
    if not ref:
        return []
    table = store.get_table(db(), ref)
    found = [{"value": c.name, "label": f"{c.name} ({c.type})"} for c in table.columns]
    if system:
        found += [{"value": name, "label": f"{name} (row)"} for name in types.SYSTEM_FIELDS]
    return found

