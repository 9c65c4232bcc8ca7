"""Changing a table: rename it, add, change (rename, retype, new options), remove and reorder
columns, choose the key column. Values already in the table are converted to a column's new
type; when some cannot be, nothing changes and every failure is listed, unless the caller
asks for those values to be cleared (`invalid: "clear"`).

Schema changes are not row edits: they start no "Table changed" trigger and leave each row's
`updated_at` alone.
"""

from __future__ import annotations

import json
from collections import Counter
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from server.db import DataColumn, DataRow, DataTable
from server.errors import Conflict, Invalid
from server.tables import store, types
from server.tables.types import Column

#: Failures listed in a refusal (the count says how many there were in all).
MAX_LISTED = 50


def alter_table(session: Session, table: DataTable, body: dict[str, Any]) -> dict[str, int]:
    """Apply a change (the PATCH /api/tables/<id> body); returns what happened to values."""
    if "name" in body:
        table.name = store.check_table_name(session, body["name"], table.id)
    if "description" in body:
        table.description = str(body["description"] or "")
    ops = body.get("columns") or {}
    clear = body.get("invalid", "fail") == "clear"
    renames: dict[str, str] = {}
    retyped: dict[str, tuple[Column, Column]] = {}
    removed = [_remove(table, name) for name in ops.get("remove", [])]
    session.flush()  # a removed column's name may be taken again by an added one
    for index, change in enumerate(ops.get("change", [])):
        _change(session, table, change, f"/columns/change/{index}", renames, retyped)
    for index, spec in enumerate(ops.get("add", [])):
        _add(session, table, spec, f"/columns/add/{index}")
    if ops.get("order"):
        _reorder(table, ops["order"])
    if len(table.columns) > store.MAX_COLUMNS:
        raise Invalid(f"A table has at most {store.MAX_COLUMNS} columns.")
    key_column = body.get("key_column", table.key_column)
    if key_column in renames:
        key_column = renames[key_column]
    if key_column in removed:
        key_column = None
    key_changed = key_column != table.key_column or key_column in retyped
    table.key_column = store.check_key_column(table, key_column)
    session.flush()
    report = _rewrite_rows(session, table, removed, renames, retyped, clear)
    if key_changed or renames:
        _rekey(session, table)
    session.flush()
    return report


def _remove(table: DataTable, name: Any) -> str:
    column = _find(table, name, "/columns/remove")
    table.columns.remove(column)
    return column.name


def _change(session: Session, table: DataTable, change: Any, where: str,
            renames: dict[str, str], retyped: dict[str, tuple[Column, Column]]) -> None:
    if not isinstance(change, dict):
        raise Invalid(f"{where}: a change is an object naming the column.")
    column = _find(table, change.get("name"), where)
    before = Column.of(column)
    kind = change.get("type", column.type)
    options = change.get("options", column.options if kind == column.type else {})
    try:
        cleaned = types.clean_options(kind, options)
        new_name = types.check_name(change["new_name"]) if change.get("new_name") else None
    except ValueError as err:
        raise Invalid(f"{where}: {err}") from None
    if cleaned.get("table_id") and session.get(DataTable, cleaned["table_id"]) is None:
        raise Invalid(f"{where}: there is no table {cleaned['table_id']} to refer to.")
    if new_name and new_name != column.name:
        if any(c.name.lower() == new_name.lower() for c in table.columns if c is not column):
            raise Conflict(f"{where}: {table.name!r} already has a column {new_name!r}.")
        renames[column.name] = new_name
        column.name = new_name
    column.type, column.options = kind, cleaned
    after = Column.of(column)
    if (after.type, after.options) != (before.type, before.options):
        retyped[column.name] = (before, after)


def _add(session: Session, table: DataTable, spec: Any, where: str) -> None:
    column = store.column_from_spec(session, spec, where)
    if any(c.name.lower() == column.name.lower() for c in table.columns):
        raise Conflict(f"{where}: {table.name!r} already has a column {column.name!r}.")
    column.position = len(table.columns)
    table.columns.append(column)


def _reorder(table: DataTable, order: Any) -> None:
    names = [c.name for c in table.columns]
    if not isinstance(order, list) or sorted(map(str, order)) != sorted(names):
        raise Invalid("/columns/order lists every column once, in the new order.")
    positions = {name: index for index, name in enumerate(order)}
    for column in table.columns:
        column.position = positions[column.name]
    table.columns.sort(key=lambda c: c.position)


def _find(table: DataTable, name: Any, where: str) -> DataColumn:
    for column in table.columns:
        if column.name == name:
            return column
    raise Invalid(f"{where}: {table.name!r} has no column {name!r}.")


def _rewrite_rows(session: Session, table: DataTable, removed: list[str],
                  renames: dict[str, str], retyped: dict[str, tuple[Column, Column]],
                  clear: bool) -> dict[str, int]:
    if not (removed or renames or retyped):
        return {"converted": 0, "cleared": 0}
    failures: list[dict[str, Any]] = []
    rows = list(session.scalars(select(DataRow).where(DataRow.table_id == table.id)))
    new_data: dict[int, dict[str, Any]] = {}
    for row in rows:
        data = {renames.get(k, k): v for k, v in (row.data or {}).items() if k not in removed}
        for name, (before, after) in retyped.items():
            if data.get(name) is None:
                continue
            try:
                data[name] = _reconvert(before, after, data[name])
            except ValueError as err:
                failures.append({"row": row.id, "column": name, "message": str(err)})
                data.pop(name)
        new_data[row.id] = data
    failures += _dangling(session, table, retyped, new_data)
    if failures and not clear:
        listed = ", ".join(f"row {f['row']}: {f['message']}" for f in failures[:3])
        raise Invalid(f"{len(failures)} value(s) cannot be converted ({listed}); nothing was "
                      'changed. Fix them, or send invalid: "clear" to empty them.',
                      errors=failures[:MAX_LISTED], count=len(failures))
    cleared = {(f["row"], f["column"]) for f in failures}
    converted = 0
    for row in rows:
        data = {k: v for k, v in new_data[row.id].items() if (row.id, k) not in cleared}
        converted += sum(1 for name in retyped if data.get(name) is not None)
        if data != row.data:
            row.data = data
    return {"converted": converted, "cleared": len(cleared)}


def _reconvert(before: Column, after: Column, value: Any) -> Any:
    """A stored value in its new type (what a person converting a column would expect)."""
    if before.type == "boolean" and after.type in ("number", "money"):
        value = int(value)
    elif before.type == "json" and after.type == "text" and not isinstance(value, str):
        value = json.dumps(value, ensure_ascii=False)
    elif before.type == "text" and after.type == "json":
        try:
            return types.convert(after, value, from_text=True)
        except ValueError:
            pass  # plain text stays a JSON string
    return types.convert(after, value)


def _dangling(session: Session, table: DataTable, retyped: dict[str, tuple[Column, Column]],
              data: dict[int, dict[str, Any]]) -> list[dict[str, Any]]:
    """Reference values that point at no row of the column's (new) table."""
    failures = []
    for name, (_before, after) in retyped.items():
        if after.type != "reference":
            continue
        wanted = {d[name] for d in data.values() if d.get(name) is not None}
        target = after.options["table_id"]
        existing = set(session.scalars(select(DataRow.id).where(
            DataRow.table_id == target, DataRow.id.in_(wanted)))) if wanted else set()
        failures += [{"row": row_id, "column": name,
                      "message": f"{name}: there is no row {d[name]} in the table it refers to."}
                     for row_id, d in data.items()
                     if d.get(name) is not None and d[name] not in existing]
    return failures


def _rekey(session: Session, table: DataTable) -> None:
    """Recompute every row's key after the key column changed; duplicates are refused."""
    rows = list(session.scalars(select(DataRow).where(DataRow.table_id == table.id)))
    keys: dict[int, str | None] = {}
    if table.key_column is not None:
        column = next(Column.of(c) for c in table.columns if c.name == table.key_column)
        for row in rows:
            try:
                keys[row.id] = types.key_text(column, (row.data or {}).get(column.name))
            except ValueError as err:
                raise Invalid(f"row {row.id}: {err}") from None
        repeated = [k for k, n in Counter(k for k in keys.values() if k is not None).items()
                    if n > 1]
        if repeated:
            raise Conflict(f"{table.key_column!r} cannot be the key: some values are in "
                           f"several rows ({', '.join(map(repr, repeated[:5]))}).",
                           duplicates=repeated[:MAX_LISTED])
    moved = [row for row in rows if row.key != keys.get(row.id)]
    # Clear first, then set: two rows swapping keys must not trip the unique constraint.
    for row in moved:
        row.key = None
    session.flush()
    for row in moved:
        row.key = keys.get(row.id)
