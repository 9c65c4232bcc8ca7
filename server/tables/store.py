"""Tables and rows. Every row write goes through here: values are converted per column type,
the key column is kept unique, and the change starts the "Table changed" triggers of active
workflows in the same transaction (`triggers.changed`); `commit` then enqueues those runs.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass, field
from typing import Any

from sqlalchemy import func, or_, select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session, selectinload
from sqlalchemy.orm.exc import StaleDataError

from server.db import DataColumn, DataRow, DataTable
from server.db.models import MAX_ID, utcnow
from server.errors import Conflict, Invalid, NotFound
from server.tables import triggers, types
from server.tables.types import Column

log = logging.getLogger("flowlane.tables")

MAX_COLUMNS = 200


@dataclass(frozen=True)
class Source:
    """Who makes a change, and whether it may start workflows.

    `trigger=False` is a silent write (a sync writing `ghl_id` back); `skip_workflows` holds
    the writing run's workflow and the workflows whose runs led to it, so a change never
    starts the workflow that caused it (no loops).
    """

    kind: str  # "api", "csv", "workflow"
    user: str | None = None
    workflow_id: int | None = None
    run_id: int | None = None
    trigger: bool = True
    skip_workflows: frozenset[int] = field(default_factory=frozenset)

    def describe(self) -> dict[str, Any]:
        described: dict[str, Any] = {"kind": self.kind}
        if self.user:
            described["user"] = self.user
        if self.workflow_id is not None:
            described.update(workflow_id=self.workflow_id, run_id=self.run_id)
        return described


def iso(value: Any) -> str | None:
    return value.isoformat() + "Z" if value is not None else None


# Tables ---------------------------------------------------------------------------------

def list_tables(session: Session) -> list[DataTable]:
    return list(session.scalars(select(DataTable).options(selectinload(DataTable.columns))
                                .order_by(func.lower(DataTable.name))))


def row_counts(session: Session) -> dict[int, int]:
    return dict(session.execute(  # type: ignore[arg-type]
        select(DataRow.table_id, func.count(DataRow.id)).group_by(DataRow.table_id)).all())


def get_table(session: Session, ref: int | str) -> DataTable:
    """A table by id or by name (a node's param holds either); NotFound names it."""
    query = select(DataTable).options(selectinload(DataTable.columns))
    found = None
    if isinstance(ref, int) and not isinstance(ref, bool):
        found = session.scalars(query.where(DataTable.id == ref)).first()
    elif isinstance(ref, str) and ref.strip():
        name = ref.strip()
        found = (session.scalars(query.where(DataTable.name == name)).first()
                 or session.scalars(query.where(func.lower(DataTable.name) == name.lower()))
                 .first())
        # isdecimal and isascii: "²".isdigit() is true, and int("²") fails.
        if found is None and name.isascii() and name.isdecimal() and int(name) <= MAX_ID:
            found = session.scalars(query.where(DataTable.id == int(name))).first()
    if found is None:
        raise NotFound(f"There is no data table {ref!r}.")
    return found


def check_table_name(session: Session, name: Any, table_id: int | None = None) -> str:
    if not isinstance(name, str) or not name.strip() or len(name.strip()) > 100:
        raise Invalid("A table name is 1 to 100 characters.")
    name = name.strip()
    # Names are unique ignoring case. The exact match is there too because the databases'
    # lower() and Python's disagree outside ASCII (SQLite leaves "É" as it is), and the
    # unique constraint compares exactly.
    taken = session.scalars(select(DataTable).where(or_(
        DataTable.name == name, func.lower(DataTable.name) == name.lower()))).first()
    if taken is not None and taken.id != table_id:
        raise Conflict(f"A table named {taken.name!r} exists already.")
    return name


def column_from_spec(session: Session, spec: Any, where: str) -> DataColumn:
    """A new column from {"name", "type", "options"}; `where` prefixes error messages."""
    if not isinstance(spec, dict):
        raise Invalid(f"{where}: a column is an object with a name and a type.")
    try:
        name = types.check_name(spec.get("name"))
        options = types.clean_options(spec.get("type", "text"), spec.get("options"))
    except ValueError as err:
        raise Invalid(f"{where}: {err}") from None
    if "table_id" in options and session.get(DataTable, options["table_id"]) is None:
        raise Invalid(f"{where}: there is no table {options['table_id']} to refer to.")
    return DataColumn(name=name, type=spec.get("type", "text"), options=options)


def check_key_column(table: DataTable, name: str | None) -> str | None:
    if name is None:
        return None
    column = next((c for c in table.columns if c.name == name), None)
    if column is None:
        raise Invalid(f"The key column {name!r} is not a column of {table.name!r}.")
    if column.type not in types.KEY_TYPES:
        raise Invalid(f"A key column is {', '.join(types.KEY_TYPES)}; {name!r} is "
                      f"{column.type}.")
    return name


def create_table(session: Session, name: str, columns: list[Any], *,
                 key_column: str | None = None, description: str = "",
                 preset: str | None = None) -> DataTable:
    table = DataTable(name=check_table_name(session, name), description=description or "",
                      preset=preset)
    if len(columns) > MAX_COLUMNS:
        raise Invalid(f"A table has at most {MAX_COLUMNS} columns.")
    seen: set[str] = set()
    for position, spec in enumerate(columns):
        column = column_from_spec(session, spec, f"/columns/{position}")
        if column.name.lower() in seen:
            raise Invalid(f"/columns/{position}: the column {column.name!r} is there twice.")
        seen.add(column.name.lower())
        column.position = position
        table.columns.append(column)
    table.key_column = check_key_column(table, key_column)
    session.add(table)
    session.flush()
    return table


def references_to(session: Session, table_id: int) -> list[tuple[DataTable, str]]:
    """(table, column) pairs whose reference columns point at `table_id`."""
    found = []
    for column in session.scalars(select(DataColumn).where(DataColumn.type == "reference")):
        if (column.options or {}).get("table_id") == table_id:
            found.append((column.table, column.name))
    return found


def delete_table(session: Session, table: DataTable) -> None:
    """Delete a table and its rows (no row triggers: the table itself goes away)."""
    others = [(t, c) for t, c in references_to(session, table.id) if t.id != table.id]
    if others:
        names = ", ".join(f"{t.name}.{c}" for t, c in others)
        raise Conflict(f"{table.name!r} is referred to by {names}; remove those columns first.")
    session.delete(table)
    session.flush()


def describe_table(table: DataTable, row_count: int | None = None) -> dict[str, Any]:
    described = {
        "id": table.id, "name": table.name, "description": table.description,
        "key_column": table.key_column, "preset": table.preset,
        "columns": [{"name": c.name, "type": c.type, "options": c.options or {}}
                    for c in table.columns],
        "created_at": iso(table.created_at), "updated_at": iso(table.updated_at),
    }
    if row_count is not None:
        described["row_count"] = row_count
    return described


# Rows -----------------------------------------------------------------------------------

def describe_row(table: DataTable, row: DataRow) -> dict[str, Any]:
    data = row.data or {}
    return {"id": row.id, **{c.name: data.get(c.name) for c in table.columns},
            "created_at": iso(row.created_at), "updated_at": iso(row.updated_at)}


def get_row(session: Session, table: DataTable, row_id: Any) -> DataRow:
    row = None
    if isinstance(row_id, str) and row_id.strip().isascii() and row_id.strip().isdecimal():
        row_id = int(row_id)
    if isinstance(row_id, int) and not isinstance(row_id, bool) and 0 < row_id <= MAX_ID:
        row = session.get(DataRow, row_id)
    if row is None or row.table_id != table.id:
        raise NotFound(f"There is no row {row_id!r} in {table.name!r}.")
    return row


def find_by_key(session: Session, table: DataTable, value: Any) -> DataRow | None:
    """The row whose key column holds `value` (converted as the column converts it)."""
    if table.key_column is None:
        raise Invalid(f"{table.name!r} has no key column; set one, or find rows by id.")
    column = _columns(table)[table.key_column]
    try:
        key = types.key_text(column, types.convert(column, value))
    except ValueError as err:
        raise Invalid(str(err)) from None
    if key is None:
        raise Invalid(f"A value for the key column {table.key_column!r} is needed.")
    return session.scalars(select(DataRow).where(DataRow.table_id == table.id,
                                                 DataRow.key == key)).first()


def convert_values(session: Session, table: DataTable, values: Any,
                   ignore_unknown: bool = False) -> dict[str, Any]:
    """Every value converted for its column; one Invalid listing every problem."""
    if not isinstance(values, dict):
        raise Invalid("Row values are an object of column names and values.")
    columns = _columns(table)
    converted: dict[str, Any] = {}
    problems: list[dict[str, str]] = []
    for name, value in values.items():
        if name in types.SYSTEM_FIELDS:
            continue  # a row passed back whole: its id and times are not values
        column = columns.get(name)
        if column is None:
            if not ignore_unknown:
                problems.append({"column": str(name),
                                 "message": f"{table.name!r} has no column {name!r}."})
            continue
        try:
            converted[name] = types.convert(column, value)
        except ValueError as err:
            problems.append({"column": name, "message": str(err)})
    problems += _missing_references(session, table, converted)
    if problems:
        raise Invalid("; ".join(p["message"] for p in problems), errors=problems)
    return converted


def insert_row(session: Session, table: DataTable, values: dict[str, Any],
               source: Source) -> DataRow:
    """Insert converted `values` (see `convert_values`)."""
    data = {name: value for name, value in values.items() if value is not None}
    row = DataRow(table_id=table.id, data=data, key=_key(session, table, data, None))
    now = utcnow()
    row.created_at = row.updated_at = now
    session.add(row)
    flush(session)
    described = describe_row(table, row)
    triggers.changed(session, table, "created", described, None,
                     [name for name in _columns(table) if name in data], source)
    return row


def insert_many(session: Session, table: DataTable, rows: list[dict[str, Any]],
                source: Source) -> list[DataRow]:
    """Insert many rows with one flush: for imports whose key values were checked already
    (unique in the batch, free in the table); the unique constraint still guards a race."""
    now = utcnow()
    created = []
    for values in rows:
        data = {name: value for name, value in values.items() if value is not None}
        key = None
        if table.key_column is not None:
            try:
                key = types.key_text(_columns(table)[table.key_column], data.get(table.key_column))
            except ValueError as err:
                raise Invalid(str(err)) from None
        created.append(DataRow(table_id=table.id, data=data, key=key, created_at=now,
                               updated_at=now))
    session.add_all(created)
    flush(session)
    names = list(_columns(table))
    for row in created:
        triggers.changed(session, table, "created", describe_row(table, row), None,
                         [name for name in names if name in row.data], source)
    return created


def update_row(session: Session, table: DataTable, row: DataRow, values: dict[str, Any],
               source: Source) -> list[str]:
    """Apply converted `values`; returns the columns that changed (none: nothing written)."""
    before = dict(row.data or {})
    data = {**before, **values}
    data = {name: value for name, value in data.items() if value is not None}
    changed = [name for name in _columns(table) if before.get(name) != data.get(name)]
    if not changed:
        return []
    previous = describe_row(table, row)
    if table.key_column in changed:
        row.key = _key(session, table, data, row.id)
    row.data = data
    row.updated_at = utcnow()
    flush(session)
    triggers.changed(session, table, "updated", describe_row(table, row), previous, changed,
                     source)
    return changed


def upsert_row(session: Session, table: DataTable, values: dict[str, Any], source: Source,
               key_column: str | None = None) -> tuple[DataRow, str]:
    """Update the row matching `values[key_column]` or insert one; returns the row and
    "created", "updated" or "unchanged". Without `key_column`, the table's key column."""
    from server.tables import query

    name = key_column or table.key_column
    if name is None:
        raise Invalid(f"{table.name!r} has no key column; choose the column to match rows on.")
    if name not in _columns(table):
        raise Invalid(f"{table.name!r} has no column {name!r}.")
    value = values.get(name)
    if value is None:
        raise Invalid(f"An upsert needs a value for {name!r}, the column it matches on.")
    if name == table.key_column:
        found = find_by_key(session, table, value)
    else:
        matches = query.search(session, table, [query.Filter(name, "eq", value)], limit=2)
        if len(matches) > 1:
            raise Conflict(f"Several rows have {name} = {value!r}; match on a column whose "
                           "values are unique (the key column).")
        found = matches[0] if matches else None
    if found is None:
        return insert_row(session, table, values, source), "created"
    changed = update_row(session, table, found, values, source)
    return found, "updated" if changed else "unchanged"


def delete_row(session: Session, table: DataTable, row: DataRow,
               source: Source) -> dict[str, Any]:
    """Delete a row no other row refers to; returns it as it was."""
    from server.tables import query

    for other, column in references_to(session, table.id):
        referring = query.search(session, other, [query.Filter(column, "eq", row.id)], limit=1)
        if referring:
            raise Conflict(f"Row {row.id} is referred to by row {referring[0].id} of "
                           f"{other.name!r} ({column}); change or delete that first.")
    described = describe_row(table, row)
    session.delete(row)
    flush(session)
    triggers.changed(session, table, "deleted", described, described, [], source)
    return described


def flush(session: Session) -> None:
    """Flush, turning a lost race into a clear conflict (the caller's transaction fails)."""
    try:
        session.flush()
    except StaleDataError:
        raise Conflict("The row was changed at the same moment by someone else; "
                       "reload it and try again.") from None
    except IntegrityError as err:
        raise Conflict(f"The change conflicts with another one made at the same moment "
                       f"(a key value already taken?): {err.orig}") from None


def commit(svc: Any, session: Session) -> None:
    """Commit the changes with the runs they start, then enqueue those runs."""
    session.commit()
    triggers.enqueue_pending(svc, session)


def rows_for_dashboard(svc: Any, table: str) -> list[dict[str, Any]]:
    """Every row of a table by name, as plain dicts (the pipeline dashboard reads them)."""
    with svc.db.session() as session:
        found = get_table(session, table)
        rows = session.scalars(select(DataRow).where(DataRow.table_id == found.id)
                               .order_by(DataRow.id))
        return [describe_row(found, row) for row in rows]


def _columns(table: DataTable) -> dict[str, Column]:
    return {c.name: Column.of(c) for c in table.columns}


def _key(session: Session, table: DataTable, data: dict[str, Any],
         row_id: int | None) -> str | None:
    """The key text of `data`, refused when another row of the table holds it."""
    if table.key_column is None:
        return None
    column = _columns(table)[table.key_column]
    try:
        key = types.key_text(column, data.get(table.key_column))
    except ValueError as err:
        raise Invalid(str(err)) from None
    if key is None:
        return None
    taken = session.scalars(select(DataRow.id).where(
        DataRow.table_id == table.id, DataRow.key == key)).first()
    if taken is not None and taken != row_id:
        raise Conflict(f"{table.key_column} {data[table.key_column]!r} is already used by row "
                       f"{taken}; key values are unique.", column=table.key_column, row=taken)
    return key


def _missing_references(session: Session, table: DataTable,
                        values: dict[str, Any]) -> list[dict[str, str]]:
    problems = []
    for column in table.columns:
        target = (column.options or {}).get("table_id")
        value = values.get(column.name)
        if column.type != "reference" or value is None:
            continue
        exists = session.scalar(select(DataRow.id).where(DataRow.id == value,
                                                         DataRow.table_id == target))
        if exists is None:
            problems.append({"column": column.name,
                             "message": f"{column.name}: there is no row {value} in the table "
                                        "it refers to."})
    return problems
