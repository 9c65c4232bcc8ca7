"""Table changes start workflows, through the durable path every trigger takes.

Activating a workflow registers its "Table changed" triggers (`TableTrigger` rows, by table
id, so renaming a table keeps them). A row change calls `changed` inside its transaction:
the runs it starts are added to the same session, so they commit with the change or not at
all; `enqueue_pending` enqueues them after the commit, and when Redis refuses, the sweeper
re-enqueues them (queued runs without a job), so no change is ever lost.

The run's trigger payload (the trigger node's one item):

    {"event": "created" | "updated" | "deleted",
     "table": {"id": 3, "name": "Opportunities"},
     "row": {...},            # the row after the change (for deletes: as it was)
     "previous": {...},       # updates and deletes: the row before the change; else null
     "changed": ["stage"],    # updates: columns that changed; creates: columns with a value
     "source": {"kind": "api" | "csv" | "workflow", "user"?, "workflow_id"?, "run_id"?}}
"""

from __future__ import annotations

import logging
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from sqlalchemy import delete, select
from sqlalchemy.orm import Session

from server.db import Run, TableTrigger, Workflow
from server.errors import FlowlaneError, Invalid, NotFound
from server.runs.start import create_run, enqueue
from server.workflows.activation import ACTIVATORS, Activator

if TYPE_CHECKING:
    from server.db import DataTable
    from server.tables.store import Source

log = logging.getLogger("flowlane.tables")

TRIGGER_TYPE = "core.trigger.table"
EVENTS = ("created", "updated", "deleted")
#: Who made a change: people through the Data page or the API, a CSV import, a workflow.
SOURCES = ("api", "csv", "workflow")
#: Runs started by changes, waiting for the commit (kept on the session, see `changed`).
_PENDING = "flowlane.table_runs"
_SUBSCRIPTIONS = "flowlane.table_subscriptions"
_NAMES = "flowlane.table_writer_names"
#: A chain of workflows starting each other through table changes stops this deep.
MAX_CHAIN = 10


@dataclass(frozen=True)
class Subscription:
    workflow_id: int
    node_id: str
    version_id: int
    events: tuple[str, ...]
    columns: tuple[str, ...]
    #: Change sources that fire it (empty: all); names of workflows whose writes do not.
    sources: tuple[str, ...] = ()
    ignore_workflows: frozenset[str] = frozenset()

    def ignores(self, session: Session, source: Source) -> bool:
        if self.sources and source.kind not in self.sources:
            return True
        if not self.ignore_workflows or source.workflow_id is None:
            return False
        return _workflow_name(session, source.workflow_id) in self.ignore_workflows


def changed(session: Session, table: DataTable, event: str, row: dict[str, Any],
            previous: dict[str, Any] | None, columns: list[str], source: Source) -> None:
    """Start the runs this change triggers, in the change's transaction."""
    if not source.trigger:
        return
    for sub in _subscriptions(session, table.id):
        if event not in sub.events or sub.workflow_id in source.skip_workflows:
            continue
        if sub.ignores(session, source):
            continue
        if event == "updated" and sub.columns and not set(sub.columns) & set(columns):
            continue
        payload = {"event": event, "table": {"id": table.id, "name": table.name},
                   "row": row, "previous": previous, "changed": list(columns),
                   "source": source.describe()}
        try:
            run = create_run(session, sub.workflow_id, sub.version_id, kind="table",
                             payload=payload, trigger_node=sub.node_id,
                             parent_run_id=source.run_id,
                             parent_relation="table_change" if source.run_id else None)
        except (FlowlaneError, LookupError) as err:
            # A registration out of step with its version must not block people's edits.
            log.warning("table trigger %s/%s skipped: %s", sub.workflow_id, sub.node_id, err)
            continue
        session.info.setdefault(_PENDING, []).append(run)


def enqueue_pending(svc: Any, session: Session) -> list[int]:
    """Enqueue the runs committed with the changes; the sweeper catches any Redis refuses."""
    runs = session.info.pop(_PENDING, [])
    session.info.pop(_SUBSCRIPTIONS, None)
    session.info.pop(_NAMES, None)
    for run in runs:
        try:
            enqueue(svc, run)
        except Exception as err:  # the run is committed: the sweeper enqueues it later
            log.warning("run %s committed but not enqueued (%s); the sweeper will", run.id, err)
    return [run.id for run in runs]


def discard_pending(session: Session) -> None:
    """After a rollback: the runs went with the changes."""
    session.info.pop(_PENDING, None)
    session.info.pop(_SUBSCRIPTIONS, None)
    session.info.pop(_NAMES, None)


def lineage(session: Session, run_id: int) -> tuple[frozenset[int], int]:
    """The workflows of a run and of the runs that led to it, and how many runs deep."""
    workflows: set[int] = set()
    current: int | None = run_id
    depth = 0
    while current is not None and depth <= MAX_CHAIN:
        found = session.execute(select(Run.workflow_id, Run.parent_run_id)
                                .where(Run.id == current)).first()
        if found is None:
            break
        workflows.add(found.workflow_id)
        current = found.parent_run_id
        depth += 1
    return frozenset(workflows), depth


def _subscriptions(session: Session, table_id: int) -> list[Subscription]:
    """The active triggers on a table, read once per transaction (an import writes many)."""
    cache: dict[int, list[Subscription]] = session.info.setdefault(_SUBSCRIPTIONS, {})
    if table_id not in cache:
        rows = session.execute(
            select(TableTrigger.workflow_id, TableTrigger.node_id, TableTrigger.events,
                   TableTrigger.columns, TableTrigger.sources, TableTrigger.ignore_workflows,
                   Workflow.active_version_id)
            .join(Workflow, Workflow.id == TableTrigger.workflow_id)
            .where(TableTrigger.table_id == table_id, Workflow.active.is_(True),
                   Workflow.active_version_id.is_not(None))
            .order_by(TableTrigger.workflow_id, TableTrigger.node_id))
        cache[table_id] = [Subscription(r.workflow_id, r.node_id, r.active_version_id,
                                        tuple(r.events or EVENTS), tuple(r.columns or ()),
                                        tuple(r.sources or ()),
                                        frozenset(str(n).casefold()
                                                  for n in r.ignore_workflows or ()))
                           for r in rows]
    return cache[table_id]


def _workflow_name(session: Session, workflow_id: int) -> str:
    """A writing workflow's name, ignoring case (read once per transaction)."""
    names: dict[int, str] = session.info.setdefault(_NAMES, {})
    if workflow_id not in names:
        name = session.scalar(select(Workflow.name).where(Workflow.id == workflow_id))
        names[workflow_id] = str(name or "").casefold()
    return names[workflow_id]


# Activation -----------------------------------------------------------------------------

def _activate(session: Session, workflow: Workflow, document: dict[str, Any]) -> None:
    from server.tables import store

    _deactivate(session, workflow)
    for node in document.get("nodes", []):
        if node.get("type") != TRIGGER_TYPE or node.get("disabled"):
            continue
        params = node.get("params") or {}
        label = node.get("name") or node.get("id")
        try:
            table = store.get_table(session, params.get("table") or "")
        except NotFound:
            raise Invalid(f"The trigger {label!r} watches the table {params.get('table')!r}, "
                          "which does not exist; create it or choose another table.") from None
        names = {c.name for c in table.columns}
        columns = [str(c) for c in params.get("columns") or []]
        unknown = [c for c in columns if c not in names]
        if unknown:
            raise Invalid(f"The trigger {label!r} watches columns {table.name!r} does not "
                          f"have: {', '.join(unknown)}.")
        events = [e for e in params.get("events") or EVENTS if e in EVENTS]
        sources = [s for s in params.get("sources") or SOURCES if s in SOURCES]
        ignored = [str(n).strip() for n in params.get("ignore_workflows") or [] if str(n).strip()]
        session.add(TableTrigger(workflow_id=workflow.id, node_id=str(node["id"]),
                                 table_id=table.id, events=events or list(EVENTS),
                                 columns=columns, sources=sources or None,
                                 ignore_workflows=ignored or None))
    session.flush()


def _deactivate(session: Session, workflow: Workflow) -> None:
    session.execute(delete(TableTrigger).where(TableTrigger.workflow_id == workflow.id))


if not any(activator.name == "tables" for activator in ACTIVATORS):
    ACTIVATORS.append(Activator("tables", _activate, _deactivate))
