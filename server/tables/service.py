"""`ctx.service("tables")`: what data-table nodes use.

    tables = ctx.service("tables")
    tables.table("Opportunities")            -> {"id", "name", "key_column", "columns", ...}
    tables.preset("pipelines")               -> the preset table, made when missing
    tables.get("Opportunities", row_id=12)   -> row dict, or None
    tables.get("Opportunities", key="abc")   -> by the key column
    tables.search("Opportunities", filters=[{"column": "stage", "op": "eq", "value": "Won"}],
                  sort=[{"column": "value", "order": "desc"}], limit=100, match="all")
    with tables.transaction(trigger=True) as tx:     # all writes commit together, or none
        tx.insert(table, values)                     -> row
        tx.update(table, values, row_id=..|key=..)   -> row, or None when there is none
        tx.upsert(table, values, key_column=None)    -> (row, "created"|"updated"|"unchanged")
        tx.delete(table, row_id=..|key=..)           -> the deleted row, or None

Rows are plain dicts: {"id", <columns>..., "created_at", "updated_at"}. Writes made by a run
never start that run's workflow again (nor a workflow whose run led to it); with
`trigger=False` they start no workflow at all. Problems raise NodeError with the reason.
"""

from __future__ import annotations

import logging
from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any

from sqlalchemy.orm import Session

from nodes.registry import NodeError
from server.db import DataRow, DataTable
from server.errors import FlowlaneError
from server.tables import presets, query, store, triggers
from server.tables.store import Source

log = logging.getLogger("flowlane.tables")

MAX_SEARCH = 10_000


@contextmanager
def _node_errors() -> Iterator[None]:
    """Flowlane's errors, as the sentence a node shows."""
    try:
        yield
    except FlowlaneError as err:
        details = {k: v for k, v in err.extra.items() if k in ("errors", "count")}
        raise NodeError(err.detail, details) from None


class Transaction:
    """Writes made together; the runs they trigger commit with them."""

    def __init__(self, session: Session, source: Source) -> None:
        self.session, self.source = session, source
        self._tables: dict[Any, DataTable] = {}

    def table(self, ref: int | str) -> DataTable:
        if ref not in self._tables:
            with _node_errors():
                self._tables[ref] = store.get_table(self.session, ref)
        return self._tables[ref]

    def find(self, ref: int | str, row_id: Any = None, key: Any = None) -> DataRow | None:
        table = self.table(ref)
        with _node_errors():
            if row_id not in (None, ""):
                try:
                    return store.get_row(self.session, table, row_id)
                except LookupError:
                    return None
            if key in (None, ""):
                raise NodeError("Give a row id or a key value to find the row by.")
            return store.find_by_key(self.session, table, key)

    def insert(self, ref: int | str, values: dict[str, Any],
               ignore_unknown: bool = False) -> dict[str, Any]:
        table = self.table(ref)
        with _node_errors():
            converted = store.convert_values(self.session, table, values, ignore_unknown)
            row = store.insert_row(self.session, table, converted, self.source)
            return store.describe_row(table, row)

    def update(self, ref: int | str, values: dict[str, Any], row_id: Any = None,
               key: Any = None, ignore_unknown: bool = False) -> dict[str, Any] | None:
        table = self.table(ref)
        row = self.find(ref, row_id, key)
        if row is None:
            return None
        with _node_errors():
            converted = store.convert_values(self.session, table, values, ignore_unknown)
            store.update_row(self.session, table, row, converted, self.source)
            return store.describe_row(table, row)

    def upsert(self, ref: int | str, values: dict[str, Any], key_column: str | None = None,
               ignore_unknown: bool = False) -> tuple[dict[str, Any], str]:
        table = self.table(ref)
        with _node_errors():
            converted = store.convert_values(self.session, table, values, ignore_unknown)
            row, outcome = store.upsert_row(self.session, table, converted, self.source,
                                            key_column or None)
            return store.describe_row(table, row), outcome

    def delete(self, ref: int | str, row_id: Any = None,
               key: Any = None) -> dict[str, Any] | None:
        table = self.table(ref)
        row = self.find(ref, row_id, key)
        if row is None:
            return None
        with _node_errors():
            return store.delete_row(self.session, table, row, self.source)


class TablesService:
    def __init__(self, svc: Any, workflow_id: int | None, run_id: int | None) -> None:
        self.svc, self.workflow_id, self.run_id = svc, workflow_id, run_id

    def table(self, ref: int | str) -> dict[str, Any]:
        with self.svc.db.session() as session, _node_errors():
            return store.describe_table(store.get_table(session, ref))

    def get(self, ref: int | str, row_id: Any = None, key: Any = None) -> dict[str, Any] | None:
        with self.svc.db.session() as session:
            tx = Transaction(session, Source("workflow"))
            row = tx.find(ref, row_id, key)
            return None if row is None else store.describe_row(tx.table(ref), row)

    def search(self, ref: int | str, filters: list[dict[str, Any]] | None = None,
               sort: list[dict[str, Any]] | None = None, limit: int = 100, offset: int = 0,
               match: str = "all") -> list[dict[str, Any]]:
        with self.svc.db.session() as session, _node_errors():
            table = store.get_table(session, ref)
            found = query.search(
                session, table, query.filters_from(filters or [], "filters"),
                sort=[query.Sort(str(s.get("column")), s.get("order") == "desc")
                      for s in sort or []],
                match=match, limit=max(1, min(int(limit), MAX_SEARCH)), offset=max(0, offset))
            return [store.describe_row(table, row) for row in found]

    def preset(self, preset: str) -> dict[str, Any]:
        """A preset table (server/tables/presets.py), made now when it is missing."""
        with self.svc.db.session() as session, _node_errors():
            table, _made = presets.create_preset(session, preset)
            session.commit()
            return store.describe_table(table)

    @contextmanager
    def transaction(self, trigger: bool = True) -> Iterator[Transaction]:
        """Writes in one transaction, committed (then their runs enqueued) when the block
        ends; nothing is written when it raises."""
        with self.svc.db.session() as session:
            tx = Transaction(session, self._source(session, trigger))
            try:
                yield tx
                session.commit()
            except BaseException:
                session.rollback()
                triggers.discard_pending(session)
                raise
            triggers.enqueue_pending(self.svc, session)

    def _source(self, session: Session, trigger: bool) -> Source:
        if self.run_id is None:
            return Source("workflow", workflow_id=self.workflow_id, trigger=trigger)
        workflows, depth = triggers.lineage(session, self.run_id)
        if trigger and depth >= triggers.MAX_CHAIN:
            log.warning("run %s: %s workflows deep in table changes; its writes start no "
                        "more workflows", self.run_id, depth)
            trigger = False
        return Source("workflow", workflow_id=self.workflow_id, run_id=self.run_id,
                      trigger=trigger, skip_workflows=workflows | {self.workflow_id or 0})


def _register() -> None:
    from server.runs import host_services

    host_services.register(
        "tables", lambda svc, run, node_id: TablesService(svc, run.workflow_id, run.id))


_register()
