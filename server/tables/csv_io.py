"""CSV import and export of a table.

Import is all or nothing: the whole file is read and checked first (header against the
columns, every cell against its column's type, key values unique in the file and in the
table, references pointing at rows that exist), and every problem is reported with its line
and column; only a file without problems writes rows, in one transaction.

Export writes `id`, the columns in order, `created_at` and `updated_at`; importing the file
back (mode "upsert" on a table with a key column, or "insert" into an empty table) gives the
same values. Text that a spreadsheet would run as a formula (=, +, -, @) is written with a
leading apostrophe, which import removes again.
"""

from __future__ import annotations

import csv
import io
import re
from collections.abc import Iterable
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from server.db import DataRow, DataTable
from server.errors import Invalid
from server.tables import store, types
from server.tables.store import Source
from server.tables.types import Column

MAX_ROWS = 50_000
#: Problems listed in a refusal (the count says how many there were in all).
MAX_LISTED = 100
MODES = ("insert", "upsert")
_OUTCOMES = {"created": "inserted", "updated": "updated", "unchanged": "unchanged"}


def read(raw: bytes, delimiter: str = ",") -> tuple[list[str], list[tuple[int, list[str]]]]:
    """The header and the (line number, cells) of each non-blank line."""
    try:
        text = raw.decode("utf-8-sig")
    except UnicodeDecodeError:
        raise Invalid("The file is not UTF-8 text; save it as CSV (UTF-8) and try again."
                      ) from None
    if len(delimiter) != 1 or delimiter in "\"\r\n":
        raise Invalid("The delimiter is one character, such as , or ; or a tab.")
    reader = csv.reader(io.StringIO(text, newline=""), delimiter=delimiter, strict=True)
    lines: list[tuple[int, list[str]]] = []
    try:
        header = next(reader, None)
        for cells in reader:
            if any(cell.strip() for cell in cells):
                lines.append((reader.line_num, cells))
            if len(lines) > MAX_ROWS:
                raise Invalid(f"A file holds at most {MAX_ROWS:,} rows; split it.")
    except csv.Error as err:
        raise Invalid(f"Line {reader.line_num}: the file is not valid CSV ({err}).") from None
    if not header or not any(cell.strip() for cell in header):
        raise Invalid("The file is empty; its first line names the columns.")
    return header, lines


def import_csv(session: Session, table: DataTable, raw: bytes, source: Source, *,
               mode: str = "insert", delimiter: str = ",") -> dict[str, int]:
    """Import every line or none; returns how many rows were inserted, updated, unchanged."""
    if mode not in MODES:
        raise Invalid(f"mode is {' or '.join(MODES)}.")
    if mode == "upsert" and table.key_column is None:
        raise Invalid(f"{table.name!r} has no key column to match rows on; import with mode "
                      "insert, or choose a key column first.")
    header, lines = read(raw, delimiter)
    columns = _map_header(table, header)
    problems: list[dict[str, Any]] = []
    rows: list[tuple[int, dict[str, Any]]] = []
    for line, cells in lines:
        if len(cells) != len(header):
            problems.append({"line": line, "column": None, "message":
                             f"line {line} has {len(cells)} cells; the header has {len(header)}."})
            continue
        values: dict[str, Any] = {}
        for column, cell in zip(columns, cells, strict=True):
            if column is None:
                continue
            try:
                values[column.name] = types.convert(column, cell, from_text=True)
            except ValueError as err:
                problems.append({"line": line, "column": column.name,
                                 "message": f"line {line}, {err}"})
        rows.append((line, values))
    problems += _key_problems(session, table, rows, mode)
    problems += _reference_problems(session, table, rows)
    if problems:
        problems.sort(key=lambda p: p["line"])
        raise Invalid(f"{len(problems)} problem(s) in the file; nothing was imported. "
                      f"First: {problems[0]['message']}", errors=problems[:MAX_LISTED],
                      count=len(problems))
    report = {"rows": len(rows), "inserted": 0, "updated": 0, "unchanged": 0}
    if mode == "insert":
        # Keys were checked above: one flush per batch instead of one per row.
        for start in range(0, len(rows), 1000):
            batch = [values for _line, values in rows[start:start + 1000]]
            report["inserted"] += len(store.insert_many(session, table, batch, source))
        return report
    for _line, values in rows:
        _row, outcome = store.upsert_row(session, table, values, source)
        report[_OUTCOMES[outcome]] += 1
    return report


def export_csv(table: DataTable, rows: Iterable[DataRow], delimiter: str = ",") -> str:
    buffer = io.StringIO()
    writer = csv.writer(buffer, delimiter=delimiter, lineterminator="\r\n")
    columns = [Column.of(c) for c in table.columns]
    writer.writerow(["id", *(c.name for c in columns), "created_at", "updated_at"])
    for row in rows:
        data = row.data or {}
        writer.writerow([row.id, *(types.to_text(c, data.get(c.name)) for c in columns),
                         store.iso(row.created_at), store.iso(row.updated_at)])
    return buffer.getvalue()


def _map_header(table: DataTable, header: list[str]) -> list[Column | None]:
    """The column each header cell names (None: a row's own field, ignored on import)."""
    by_name = {_normal(c.name): Column.of(c) for c in table.columns}
    mapped: list[Column | None] = []
    problems = []
    seen: set[str] = set()
    for index, cell in enumerate(header, start=1):
        name = _normal(cell)
        if name in types.SYSTEM_FIELDS:
            mapped.append(None)
            continue
        column = by_name.get(name)
        if column is None:
            problems.append({"line": 1, "column": cell,
                             "message": f"header cell {index} ({cell!r}) is not a column of "
                                        f"{table.name!r}."})
        elif column.name in seen:
            problems.append({"line": 1, "column": cell,
                             "message": f"the column {column.name!r} is in the header twice."})
        else:
            seen.add(column.name)
        mapped.append(column)
    if problems:
        known = ", ".join(c.name for c in table.columns)
        raise Invalid(f"The header does not match the table: {problems[0]['message']} "
                      f"Its columns are: {known}.", errors=problems, count=len(problems))
    return mapped


def _normal(name: str) -> str:
    """"Close date", "close-date" and "close_date" name the same column."""
    return re.sub(r"[\s\-]+", "_", name.strip()).lower()


def _key_problems(session: Session, table: DataTable, rows: list[tuple[int, dict[str, Any]]],
                  mode: str) -> list[dict[str, Any]]:
    if table.key_column is None:
        return []
    column = next(Column.of(c) for c in table.columns if c.name == table.key_column)
    problems: list[dict[str, Any]] = []
    first_line: dict[str, int] = {}
    for line, values in rows:
        try:
            key = types.key_text(column, values.get(column.name))
        except ValueError as err:
            problems.append({"line": line, "column": column.name, "message": f"line {line}, {err}"})
            continue
        if key is None:
            if mode == "upsert":
                problems.append({"line": line, "column": column.name, "message":
                                 f"line {line}: {column.name} is empty; an upsert matches on it."})
            continue
        if key in first_line:
            problems.append({"line": line, "column": column.name, "message":
                             f"line {line}: {column.name} {key!r} is on line "
                             f"{first_line[key]} too; key values are unique."})
        else:
            first_line[key] = line
    if mode == "insert" and first_line:
        taken: set[str] = set()
        keys = list(first_line)
        for start in range(0, len(keys), 500):
            taken |= {key for key in session.scalars(select(DataRow.key).where(
                DataRow.table_id == table.id, DataRow.key.in_(keys[start:start + 500])))
                if key is not None}
        problems += [{"line": first_line[key], "column": column.name, "message":
                      f"line {first_line[key]}: {column.name} {key!r} is already in the table "
                      "(import with mode upsert to update those rows)."} for key in taken]
    return problems


def _reference_problems(session: Session, table: DataTable,
                        rows: list[tuple[int, dict[str, Any]]]) -> list[dict[str, Any]]:
    problems = []
    for model in table.columns:
        if model.type != "reference":
            continue
        wanted = {v[model.name] for _l, v in rows if v.get(model.name) is not None}
        existing: set[int] = set()
        ids = list(wanted)
        for start in range(0, len(ids), 500):
            existing |= set(session.scalars(select(DataRow.id).where(
                DataRow.table_id == (model.options or {}).get("table_id"),
                DataRow.id.in_(ids[start:start + 500]))))
        problems += [{"line": line, "column": model.name, "message":
                      f"line {line}, {model.name}: there is no row {values[model.name]} in the "
                      "table it refers to."}
                     for line, values in rows
                     if values.get(model.name) is not None and values[model.name] not in existing]
    return problems
