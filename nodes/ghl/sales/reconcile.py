""""Reconcile": compare the Opportunities table with HighLevel by id (`ghl_id`) and last
modified, fix the drift in the chosen direction, and report what differed.

- `ghl_to_table`: HighLevel is right; rows are corrected, opportunities the table lacks are
  added (unless "Add missing rows" is off).
- `table_to_ghl`: the table is right; opportunities are corrected with PUT
  /opportunities/:id (a row's empty column leaves HighLevel's value, which the row takes).
- `newest_wins`: per record, the side changed last (row `last_modified`, opportunity
  `updatedAt`) is right; HighLevel on a tie.

HighLevel is written first, record by record; the table's corrections are written together
at the end, so the table is never locked while HighLevel answers. A record that cannot be
fixed (HighLevel refused, the row names a stage HighLevel lacks) is reported and the node
fails after writing the rest, so the run's failure alert fires. Rows whose opportunity
HighLevel no longer has are reported, never deleted.
"""

from __future__ import annotations

from collections import Counter
from datetime import UTC, datetime
from typing import Any

from nodes.core import table_common as common
from nodes.ghl.auth import FAMILY, Connection
from nodes.ghl.client import GhlClient
from nodes.ghl.paginate import all_pages
from nodes.ghl.runner import client_for
from nodes.ghl.sales import mapping
from nodes.ghl.sales.mapping import Catalog
from nodes.registry import Items, NodeError, Outputs, Params, RunContext, node

DIRECTIONS = ["ghl_to_table", "table_to_ghl", "newest_wins"]
COUNTS = ("checked", "in_sync", "fixed_in_table", "fixed_in_ghl", "added_to_table",
          "missing_in_table", "missing_in_ghl", "unlinked", "failed")
#: Records listed in the report (the counts are always complete).
LISTED = 1_000
SEARCH_PAGES = {"style": "cursor", "list": "opportunities", "page_size": "limit",
                "max_page_size": 100}


@node(
    type="ghl.opportunities.reconcile", title="Reconcile table with HighLevel",
    group="HighLevel · Opportunities",
    description="Compare the Opportunities table with HighLevel by id and last modified, fix "
                "the drift in the chosen direction and output a diff report.",
    credential=FAMILY, icon="highlevel",
    meta={"operations": [mapping.SEARCH, mapping.UPDATE],
          "scopes": ["opportunities.readonly", "opportunities.write"]},
    params={"type": "object", "required": ["direction"], "properties": {
        "table": {**common.TABLE, "default": "Opportunities"},
        "direction": {"title": "Fix drift", "enum": DIRECTIONS, "default": "newest_wins",
                      "description": "ghl_to_table: HighLevel is right; table_to_ghl: the "
                                     "table is right; newest_wins: whichever changed last."},
        "pipeline": {"type": "string", "title": "Only this pipeline",
                     "description": "Id or name; empty: every pipeline.",
                     "ui": {"options": "ghl.pipelines", "depends_on": []}},
        "add_missing": {"type": "boolean", "title": "Add missing rows", "default": True,
                        "description": "Add opportunities the table lacks (not with "
                                       "table_to_ghl)."},
        "dry_run": {"type": "boolean", "title": "Only report", "default": False,
                    "description": "Compare and report; change nothing."},
        "trigger": {**common.TRIGGER, "default": False,
                    "description": "On: the table's corrections start 'Table changed' "
                                   "workflows. Off (default): they start none."},
    }},
)
def run(ctx: RunContext, items: Items, params: Params) -> Outputs:
    """One report per run, whatever the number of items in."""
    rendered = params.render(items[0] if items else None)
    direction = str(rendered.get("direction") or "newest_wins")
    if direction not in DIRECTIONS:
        raise NodeError(f"The direction {direction!r} is not one of {', '.join(DIRECTIONS)}.")
    client, connection = client_for(ctx)
    catalog = Catalog(ctx)
    table = str(rendered.get("table") or "Opportunities")
    pipeline = None
    if rendered.get("pipeline"):
        pipeline = catalog.pipeline(rendered["pipeline"])
        if pipeline is None:
            raise NodeError(f"HighLevel has no pipeline {rendered['pipeline']!r}.")
    job = Reconciliation(ctx, client, catalog, direction, bool(rendered.get("dry_run")),
                         rendered.get("add_missing", True) is not False)
    opportunities = _opportunities(client, connection, pipeline)
    rows = [r for r in mapping.all_rows(ctx.service("tables"), table)
            if pipeline is None or r.get("pipeline_id") in (None, "", pipeline["id"])]
    job.compare(opportunities, rows)
    if not job.dry_run and job.table_writes:
        with ctx.service("tables").transaction(
                trigger=rendered.get("trigger", False) is True) as tx:
            for row_id, values in job.table_writes:
                if row_id is None:
                    tx.insert(table, values)
                else:
                    tx.update(table, values, row_id=row_id)
    report = job.report(table)
    if job.counts["failed"]:
        failed = job.counts["failed"]
        raise NodeError(f"Reconcile could not fix {failed} record{'s' * (failed != 1)} "
                        f"({job.counts['checked']} checked; the rest was written): "
                        f"{job.failures[0]}", {"report": report})
    return {"main": [report]}


def _opportunities(client: GhlClient, connection: Connection,
                   pipeline: dict[str, Any] | None) -> list[dict[str, Any]]:
    query: dict[str, Any] = {"location_id": connection.location_id, "status": "all"}
    if pipeline is not None:
        query["pipeline_id"] = pipeline["id"]
    found = all_pages(client, mapping.operation(mapping.SEARCH), {}, query, None, SEARCH_PAGES,
                      idempotent=True)
    return [o for o in found if isinstance(o, dict) and o.get("id")]


class Reconciliation:
    def __init__(self, ctx: RunContext, client: GhlClient, catalog: Catalog, direction: str,
                 dry_run: bool, add_missing: bool) -> None:
        self.ctx, self.client, self.catalog = ctx, client, catalog
        self.direction, self.dry_run, self.add_missing = direction, dry_run, add_missing
        self.counts: Counter[str] = Counter()
        self.changes: list[dict[str, Any]] = []
        self.failures: list[str] = []
        #: (row id or None for a new row, values), written together at the end.
        self.table_writes: list[tuple[int | None, dict[str, Any]]] = []

    def compare(self, opportunities: list[dict[str, Any]], rows: list[dict[str, Any]]) -> None:
        linked = {str(r["ghl_id"]): r for r in rows if not mapping.is_empty(r.get("ghl_id"))}
        self.counts["unlinked"] = len(rows) - len(linked)
        for opportunity in opportunities:
            if self.ctx.cancelled():
                raise NodeError("Reconcile was cancelled before it finished.")
            self.counts["checked"] += 1
            row = linked.pop(str(opportunity["id"]), None)
            if row is None:
                self._absent_row(opportunity)
            else:
                self._pair(row, opportunity)
        for ghl_id, row in linked.items():
            self.counts["checked"] += 1
            self._record("missing_in_ghl", row, {"id": ghl_id}, [])

    def _absent_row(self, opportunity: dict[str, Any]) -> None:
        values = mapping.row_values(opportunity, self.catalog)
        if self.direction == "table_to_ghl" or not self.add_missing:
            self._record("missing_in_table", {}, opportunity, [])
            return
        self.table_writes.append((None, values))
        self._record("added_to_table", {}, opportunity,
                     [{"field": f, "table": None, "ghl": values[f]} for f in mapping.FIELDS
                      if not mapping.is_empty(values[f])])

    def _pair(self, row: dict[str, Any], opportunity: dict[str, Any]) -> None:
        theirs = mapping.row_values(opportunity, self.catalog)
        diffs = mapping.differences(row, theirs)
        if not diffs:
            self.counts["in_sync"] += 1
            return
        winner = {"ghl_to_table": "ghl", "table_to_ghl": "table"}.get(
            self.direction) or mapping.newer(row, opportunity)
        if winner == "ghl":
            self.table_writes.append((row["id"], theirs))
            self._record("fixed_in_table", row, opportunity, diffs)
            return
        to_ghl = [d["field"] for d in diffs if not mapping.is_empty(d["table"])]
        from_ghl = {d["field"]: d["ghl"] for d in diffs if mapping.is_empty(d["table"])}
        try:
            body = mapping.ghl_body(row, to_ghl, self.catalog,
                                    row.get("pipeline_id") or opportunity.get("pipelineId"))
            updated = opportunity
            if body and not self.dry_run:
                updated = mapping.update(self.client, str(opportunity["id"]), body)
        except NodeError as err:
            self.failures.append(f"{row.get('name') or opportunity.get('name')}: {err.message}")
            self._record("failed", row, opportunity, diffs, error=err.message)
            return
        self.table_writes.append((row["id"], {
            **from_ghl, "last_modified": updated.get("updatedAt") or opportunity.get("updatedAt")}))
        self._record("fixed_in_ghl", row, opportunity, diffs)

    def _record(self, action: str, row: dict[str, Any], opportunity: dict[str, Any],
                fields: list[dict[str, Any]], error: str | None = None) -> None:
        self.counts[action] += 1
        if len(self.changes) >= LISTED:
            return
        change: dict[str, Any] = {
            "action": action, "ghl_id": opportunity.get("id") or row.get("ghl_id"),
            "row_id": row.get("id"), "name": row.get("name") or opportunity.get("name"),
            "fields": fields}
        if error:
            change["error"] = error
        self.changes.append(change)

    def report(self, table: str) -> dict[str, Any]:
        counts = {key: self.counts[key] for key in COUNTS}
        fixed = counts["fixed_in_table"] + counts["fixed_in_ghl"] + counts["added_to_table"]
        told = [f"{counts[k]} {k.replace('_', ' ')}" for k in COUNTS[1:] if counts[k]]
        return {
            "table": table, "direction": self.direction, "dry_run": self.dry_run,
            "counts": counts, "drift": fixed + counts["failed"] + counts["missing_in_table"]
            + counts["missing_in_ghl"],
            "summary": f"{counts['checked']} checked: " + (", ".join(told) or "nothing"),
            "changes": self.changes, "checked_at": datetime.now(UTC).isoformat(),
        }
