"""Finding rows: filters by column with operators, sort, and offset or cursor pagination,
all in SQL (values sit in a JSON column; each is read back with its column's SQL type, the
same on SQLite and PostgreSQL).

Empty values sort last in both directions; ties are broken by row id, so a cursor (the last
row's sort values and id) continues exactly where a page ended, even while rows change.
"""

from __future__ import annotations

import base64
import json
import operator
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from sqlalchemy import ColumnElement, Select, and_, false, func, literal, or_, select, true
from sqlalchemy.orm import Session

from server.db import DataRow, DataTable
from server.errors import BadRequest, Invalid
from server.tables import types
from server.tables.types import Column

#: Operators and the column types they apply to ("system" is id, created_at, updated_at).
OPERATORS: dict[str, tuple[str, ...]] = {
    "eq": ("text", "number", "money", "date", "boolean", "reference", "system"),
    "ne": ("text", "number", "money", "date", "boolean", "reference", "system"),
    "gt": ("text", "number", "money", "date", "reference", "system"),
    "gte": ("text", "number", "money", "date", "reference", "system"),
    "lt": ("text", "number", "money", "date", "reference", "system"),
    "lte": ("text", "number", "money", "date", "reference", "system"),
    "in": ("text", "number", "money", "date", "reference", "system"),
    "contains": ("text", "json"),
    "not_contains": ("text", "json"),
    "starts_with": ("text",),
    "ends_with": ("text",),
    "is_empty": ("text", "number", "money", "date", "boolean", "json", "reference"),
    "is_not_empty": ("text", "number", "money", "date", "boolean", "json", "reference"),
}
MAX_FILTERS = 50
_COMPARE = {"eq": operator.eq, "ne": operator.ne, "gt": operator.gt, "gte": operator.ge,
            "lt": operator.lt, "lte": operator.le}


@dataclass(frozen=True)
class Filter:
    column: str
    op: str
    value: Any = None


@dataclass(frozen=True)
class Sort:
    column: str
    desc: bool = False


def parse_filters(short: list[str], json_text: str | None) -> list[Filter]:
    """`filter=column:op:value` (repeatable) and/or `filters=[{"column","op","value"}]`."""
    filters = []
    for text in short:
        column, _, rest = text.partition(":")
        op, _, value = rest.partition(":")
        if not column or not op:
            raise BadRequest(f"filter {text!r} should read column:operator:value.")
        filters.append(Filter(column, op, value.split(",") if op == "in" else value))
    if json_text:
        try:
            given = json.loads(json_text)
        except ValueError:
            raise BadRequest("filters is not valid JSON.") from None
        filters += filters_from(given, "filters")
    return filters


def filters_from(given: Any, where: str) -> list[Filter]:
    if not isinstance(given, list) or not all(isinstance(f, dict) for f in given):
        raise BadRequest(f"{where} is a list of {{column, op, value}} objects.")
    if len(given) > MAX_FILTERS:
        raise BadRequest(f"At most {MAX_FILTERS} filters.")
    found = []
    for item in given:
        if not isinstance(item.get("column"), str) or not isinstance(item.get("op"), str):
            raise BadRequest(f"Each of {where} needs a column and an op.")
        found.append(Filter(item["column"], item["op"], item.get("value")))
    return found


def parse_sort(text: str | None) -> list[Sort]:
    """`sort=stage,-value`: columns in order, "-" for descending."""
    sorts = []
    for part in (text or "").split(","):
        part = part.strip()
        if part:
            sorts.append(Sort(part.lstrip("-"), part.startswith("-")))
    if len(sorts) > 5:
        raise BadRequest("Sort by at most 5 columns.")
    return sorts


def where(table: DataTable, filters: list[Filter], match: str = "all",
          q: str | None = None) -> list[ColumnElement[bool]]:
    """The WHERE clauses for a table's rows matching the filters (and text `q`)."""
    clauses = [_clause(table, f) for f in filters]
    found: list[ColumnElement[bool]] = [DataRow.table_id == table.id]
    if clauses:
        found.append(or_(*clauses) if match == "any" else and_(*clauses))
    if q and q.strip():
        pattern = f"%{_escape(q.strip().lower())}%"
        texts = [func.lower(DataRow.data[c.name].as_string()).like(pattern, escape="\\")
                 for c in table.columns if c.type == "text"]
        found.append(or_(*texts) if texts else false())
    return found


def select_rows(table: DataTable, filters: list[Filter], *, sort: list[Sort] | None = None,
                match: str = "all", q: str | None = None) -> Select[Any]:
    """Every matching row, in order (no pagination): exports and searches."""
    keys = _sort_keys(table, sort or [])
    return select(DataRow).where(*where(table, filters, match, q)).order_by(*_order(keys))


def search(session: Session, table: DataTable, filters: list[Filter], *,
           sort: list[Sort] | None = None, match: str = "all", limit: int = 100,
           offset: int = 0) -> list[DataRow]:
    query = select_rows(table, filters, sort=sort, match=match)
    return list(session.scalars(query.offset(offset).limit(limit)))


def page(session: Session, table: DataTable, filters: list[Filter], *, sort: list[Sort],
         match: str = "all", q: str | None = None, limit: int = 50, offset: int = 0,
         cursor: str | None = None) -> tuple[list[DataRow], int, str | None]:
    """One page of rows, the total that match, and the cursor of the next page (or None)."""
    keys = _sort_keys(table, sort)
    clauses = where(table, filters, match, q)
    total = session.scalar(select(func.count(DataRow.id)).where(*clauses)) or 0
    signature = [[s.column, s.desc] for s in sort]
    query = select(DataRow, *[expr for expr, _d, _s in keys]).where(*clauses)
    if cursor:
        if offset:
            raise BadRequest("Use either a cursor or an offset, not both.")
        query = query.where(_after_cursor(keys, _decode(cursor, signature, keys)))
    found = session.execute(query.order_by(*_order(keys)).offset(offset).limit(limit + 1)).all()
    rows = [r[0] for r in found[:limit]]
    next_cursor = None
    if len(found) > limit:
        last = found[limit - 1]
        next_cursor = _encode(signature, list(last[1:]), keys)
    return rows, total, next_cursor


def _column(table: DataTable, name: str) -> Column:
    for column in table.columns:
        if column.name == name:
            return Column.of(column)
    if name in types.SYSTEM_FIELDS:
        return Column(name, "system")
    raise Invalid(f"{table.name!r} has no column {name!r}.")


def _expr(column: Column) -> Any:
    if column.type == "system":
        return getattr(DataRow, column.name)
    field = DataRow.data[column.name]
    if column.type in ("number", "money"):
        return field.as_float()
    if column.type == "boolean":
        return field.as_boolean()
    if column.type == "reference":
        return field.as_integer()
    return field.as_string()


def _filter_value(column: Column, value: Any) -> Any:
    if column.name == "id":
        return types.convert(Column("id", "reference"), value)
    if column.type == "system":
        text = types.convert(Column(column.name, "date", {"time": True}), value)
        return datetime.fromisoformat(text.rstrip("Z")) if text else None
    return types.convert(column, value)


def _clause(table: DataTable, given: Filter) -> ColumnElement[bool]:
    column = _column(table, given.column)
    if given.op not in OPERATORS:
        raise Invalid(f"{given.op!r} is not a filter operator; use one of "
                      f"{', '.join(OPERATORS)}.")
    if column.type not in OPERATORS[given.op]:
        raise Invalid(f"{given.op} does not apply to {column.name!r} ({column.type}).")
    expr = _expr(column)
    if given.op == "is_empty":
        return expr.is_(None)  # type: ignore[no-any-return]
    if given.op == "is_not_empty":
        return expr.is_not(None)  # type: ignore[no-any-return]
    if given.op in ("contains", "not_contains", "starts_with", "ends_with"):
        text = _escape(str(given.value if given.value is not None else "").lower())
        pattern = {"contains": f"%{text}%", "not_contains": f"%{text}%",
                   "starts_with": f"{text}%", "ends_with": f"%{text}"}[given.op]
        matched = func.lower(expr).like(pattern, escape="\\")
        return or_(~matched, expr.is_(None)) if given.op == "not_contains" else matched
    try:
        if given.op == "in":
            values = given.value if isinstance(given.value, list) else [given.value]
            converted = [_filter_value(column, v) for v in values]
            return expr.in_([v for v in converted if v is not None])  # type: ignore[no-any-return]
        value = _filter_value(column, given.value)
    except ValueError as err:
        raise Invalid(f"Filter on {err}") from None
    if value is None:
        return expr.is_(None) if given.op == "eq" else expr.is_not(None)  # type: ignore[no-any-return]
    compared = _COMPARE[given.op](expr, value)
    # "not equal" keeps empty values: a person filtering stage != Won expects blank stages.
    return or_(compared, expr.is_(None)) if given.op == "ne" else compared  # type: ignore[no-any-return]


#: What a sort value is, per column type: a cursor's values are checked against it.
_KINDS = {"number": "number", "money": "number", "boolean": "bool", "reference": "int"}
_PYTHON = {"text": (str,), "number": (int, float), "bool": (bool, int), "int": (int,),
           "datetime": (str,)}


def _sort_keys(table: DataTable, sort: list[Sort]) -> list[tuple[Any, bool, str]]:
    """(SQL expression, descending, kind) per sort column, then the row id as tie-break."""
    keys = []
    for item in sort:
        column = _column(table, item.column)
        if column.type == "json":
            raise Invalid(f"{column.name!r} holds JSON; it cannot be sorted on.")
        expr = _expr(column)
        if column.type == "text":
            expr = func.lower(expr)  # people expect "apple" before "Banana"
        kind = _KINDS.get(column.type, "text")
        if column.type == "system":
            kind = "int" if column.name == "id" else "datetime"
        keys.append((expr, item.desc, kind))
    keys.append((DataRow.id, False, "int"))
    return keys


def _order(keys: list[tuple[Any, bool, str]]) -> list[Any]:
    order: list[Any] = []
    for expr, desc, _kind in keys:
        order += [expr.is_(None), expr.desc() if desc else expr]
    return order


def _after_cursor(keys: list[tuple[Any, bool, str]], values: list[Any]) -> Any:
    """Rows strictly after the cursor's position in the (nulls last) order."""
    alternatives = []
    equal: list[Any] = []
    for (expr, desc, _kind), value in zip(keys, values, strict=True):
        if value is None:
            after: Any = false()  # nothing follows an empty value but more empty values
            same = expr.is_(None)
        else:
            bound = literal(value)  # a bound literal: SQL compares true/false as values too
            after = or_(expr < bound if desc else expr > bound, expr.is_(None))
            same = expr == bound
        alternatives.append(and_(*equal, after) if equal else after)
        equal.append(same)
    return or_(*alternatives) if alternatives else true()


def _encode(signature: list[Any], values: list[Any], keys: list[tuple[Any, bool, str]]) -> str:
    plain = [v.isoformat() if isinstance(v, datetime) else v for v in values]
    raw = json.dumps({"s": signature, "v": plain}, separators=(",", ":"))
    return base64.urlsafe_b64encode(raw.encode()).decode().rstrip("=")


def _decode(cursor: str, signature: list[Any], keys: list[tuple[Any, bool, str]]) -> list[Any]:
    try:
        raw = base64.urlsafe_b64decode(cursor + "=" * (-len(cursor) % 4))
        data = json.loads(raw)
        values = data["v"]
        if data["s"] != signature:
            raise BadRequest("This cursor belongs to another sort order; start from the "
                             "first page.")
        if not isinstance(values, list) or len(values) != len(keys):
            raise ValueError
        for value, (_e, _d, kind) in zip(values, keys, strict=True):
            if value is not None and not isinstance(value, _PYTHON[kind]):
                raise ValueError
        return [datetime.fromisoformat(v) if kind == "datetime" and v is not None else v
                for v, (_e, _d, kind) in zip(values, keys, strict=True)]
    except BadRequest:
        raise
    except Exception:
        raise BadRequest("The cursor is not one this server gave out.") from None


def _escape(text: str) -> str:
    return text.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_")
