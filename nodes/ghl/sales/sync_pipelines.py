""""Sync pipelines": mirror HighLevel's pipelines and stages into a data table (one row
per stage, the preset "Pipelines" table by default), and find the stage names Flowlane
still uses that HighLevel no longer has.

Stage names are used by mappings (listed in the node, e.g. the stages rules route on) and by
the rows of the Opportunities table. Each name HighLevel lacks comes out on `missing`, one
item per name with a sentence, so an alert follows; a sync that finds none sends nothing
there. Rows of stages HighLevel deleted are removed from the mirror.
"""

from __future__ import annotations

from collections import Counter
from datetime import UTC, datetime
from typing import Any

from nodes.core import table_common as common
from nodes.ghl.auth import FAMILY
from nodes.ghl.sales import mapping
from nodes.ghl.sales.mapping import Catalog
from nodes.registry import Items, NodeError, Outputs, Params, RunContext, node

PIPELINES_TABLE = "Pipelines"
#: Row ids listed with a missing stage (the count is always complete).
LISTED_ROWS = 20


@node(
    type="ghl.opportunities.sync_pipelines", title="Sync pipelines",
    group="HighLevel · Opportunities",
    description="Mirror HighLevel's pipelines and stages into a table and report stage names "
                "Flowlane uses that HighLevel no longer has.",
    credential=FAMILY, icon="highlevel", outputs=("main", "missing"),
    meta={"operations": ["GET /opportunities/pipelines"],
          "scopes": ["opportunities.readonly"]},
    params={"type": "object", "properties": {
        "table": {**common.TABLE, "default": PIPELINES_TABLE,
                  "description": "Where the stages are mirrored; \"Pipelines\" is made when "
                                 "it is missing."},
        "pipeline": {"type": "string", "title": "Only this pipeline",
                     "description": "Id or name; empty: every pipeline.",
                     "ui": {"options": "ghl.pipelines", "depends_on": []}},
        "stage_names": {"type": "array", "title": "Stage names used by mappings",
                        "items": {"type": "string"},
                        "description": "Names your workflows rely on (routing rules, "
                                       "alerts, field mappings)."},
        "check_table": {"type": "string", "title": "Also check the stages of this table",
                        "default": "Opportunities", "ui": {"options": "tables"},
                        "description": "Its rows' stage names (empty: none)."},
        "check_column": {"type": "string", "title": "Its stage column", "default": "stage"},
        "trigger": common.TRIGGER,
    }},
)
def run(ctx: RunContext, items: Items, params: Params) -> Outputs:
    """Once per run, whatever the number of items in."""
    rendered = params.render(items[0] if items else None)
    catalog = Catalog(ctx, refresh=True)
    wanted = str(rendered.get("pipeline") or "").strip()
    scope = catalog.pipelines
    if wanted:
        found = catalog.pipeline(wanted)
        if found is None:
            raise NodeError(f"HighLevel has no pipeline {wanted!r}.")
        scope = [found]
    tables = ctx.service("tables")
    table = str(rendered.get("table") or PIPELINES_TABLE)
    if table.casefold() == PIPELINES_TABLE.casefold():
        tables.preset("pipelines")
    counts = _mirror(tables, table, catalog, scope, bool(wanted),
                     rendered.get("trigger", True) is not False)
    missing = _missing_in_mappings(rendered.get("stage_names") or [], catalog, scope)
    check_table = rendered.get("check_table", "Opportunities")
    if check_table:
        missing += _missing_in_table(tables, str(check_table),
                                     str(rendered.get("check_column") or "stage"),
                                     catalog, scope, bool(wanted))
    summary = {"pipelines": [p.get("name") for p in scope],
               "stages": sum(len(catalog.stages(p)) for p in scope), **counts,
               "missing": [m["stage"] for m in missing]}
    return {"main": [summary], "missing": missing}


def _mirror(tables: Any, table: str, catalog: Catalog, scope: list[dict[str, Any]],
            filtered: bool, trigger: bool) -> dict[str, int]:
    """Write the stages that are new or changed, remove the ones HighLevel dropped."""
    now = datetime.now(UTC).isoformat()
    counts: Counter[str] = Counter()
    current = {str(r.get("stage_id")): r for r in mapping.all_rows(tables, table)}
    scoped = {str(p.get("id")) for p in scope}
    kept: set[str] = set()
    with tables.transaction(trigger=trigger) as tx:
        for pipeline in scope:
            for position, stage in enumerate(catalog.stages(pipeline)):
                values = {"pipeline_name": pipeline.get("name"), "stage_name": stage.get("name"),
                          "position": stage.get("position", position),
                          "pipeline_id": pipeline.get("id"), "stage_id": stage.get("id")}
                kept.add(str(stage.get("id")))
                existing = current.get(str(stage.get("id")))
                if existing is not None and all(
                        str(existing.get(k)) == str(v) for k, v in values.items()):
                    counts["unchanged"] += 1
                    continue
                tx.upsert(table, {**values, "synced_at": now}, key_column="stage_id")
                counts["updated" if existing is not None else "created"] += 1
        for stage_id, row in current.items():
            if stage_id not in kept and (not filtered or str(row.get("pipeline_id"))
                                         in scoped):
                tx.delete(table, row_id=row["id"])
                counts["removed"] += 1
    return {key: counts[key] for key in ("created", "updated", "unchanged", "removed")}


def _missing_in_mappings(names: list[Any], catalog: Catalog,
                         scope: list[dict[str, Any]]) -> list[dict[str, Any]]:
    known = _names(catalog, scope)
    missing = []
    for name in dict.fromkeys(str(n).strip() for n in names if str(n).strip()):
        if name.casefold() not in known:
            missing.append({"stage": name, "used_by": "mappings", "rows": 0, "row_ids": [],
                            "message": f"The stage {name!r} used by a mapping no longer "
                                       "exists in HighLevel."})
    return missing


def _missing_in_table(tables: Any, table: str, column: str, catalog: Catalog,
                      scope: list[dict[str, Any]], filtered: bool) -> list[dict[str, Any]]:
    scoped = {str(p.get("id")) for p in scope}
    by_name: dict[str, list[int]] = {}
    spelling: dict[str, str] = {}
    for row in mapping.all_rows(tables, table):
        stage = str(row.get(column) or "").strip()
        pipeline_id = str(row.get("pipeline_id") or "")
        if not stage or (filtered and pipeline_id and pipeline_id not in scoped):
            continue
        pipeline = catalog.pipeline(pipeline_id) if pipeline_id else None
        known = _names(catalog, [pipeline] if pipeline else scope)
        if stage.casefold() not in known:
            spelling.setdefault(stage.casefold(), stage)
            by_name.setdefault(stage.casefold(), []).append(row["id"])
    return [{"stage": spelling[key], "used_by": table, "rows": len(ids),
             "row_ids": ids[:LISTED_ROWS],
             "message": f"The stage {spelling[key]!r} used by {len(ids)} "
                        f"row{'s' * (len(ids) != 1)} of {table} no longer exists in HighLevel."}
            for key, ids in by_name.items()]


def _names(catalog: Catalog, pipelines: list[dict[str, Any]]) -> set[str]:
    return {str(s.get("name") or "").casefold() for p in pipelines for s in catalog.stages(p)}
