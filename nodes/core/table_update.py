"""Update rows: change some columns of the row each item points at (by id or key)."""

from __future__ import annotations

from nodes.core import table_common as common
from nodes.registry import Items, Outputs, Params, RunContext, node


@node(
    type="core.table.update",
    title="Update rows",
    group="Data",
    description="Change columns of an existing row, found by row id or key; outputs the rows.",
    icon="table",
    check=common.check_locate,
    params={
        "type": "object",
        "required": ["table"],
        "properties": {
            "table": common.TABLE,
            "match": common.MATCH,
            "row_id": common.ROW_ID,
            "key": common.KEY,
            "mapping": common.MAPPING,
            "values": common.VALUES,
            "if_missing": common.IF_MISSING,
            "trigger": common.TRIGGER,
        },
    },
)
def run(ctx: RunContext, items: Items, params: Params) -> Outputs:
    """Columns left out keep their values; a row that is not there is skipped or fails."""
    tables = ctx.service("tables")
    rows: Items = []
    with tables.transaction(trigger=params.raw.get("trigger", True) is not False) as tx:
        for index, item in enumerate(items):
            rendered = params.render(item, index)
            values, auto = common.values_of(rendered, item)
            where = common.locate(rendered, item)
            row = tx.update(rendered["table"], values, ignore_unknown=auto, **where)
            if row is None:
                common.missing(rendered, rendered["table"], where)
            else:
                rows.append(row)
    return {"main": rows}
