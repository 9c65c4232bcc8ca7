"""Delete rows: remove the row each item points at, by row id or key."""

from __future__ import annotations

from nodes.core import table_common as common
from nodes.registry import Items, Outputs, Params, RunContext, node


@node(
    type="core.table.delete",
    title="Delete rows",
    group="Data",
    description="Delete the row with this id or key value; outputs the deleted rows.",
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
            "if_missing": common.IF_MISSING,
            "trigger": common.TRIGGER,
        },
    },
)
def run(ctx: RunContext, items: Items, params: Params) -> Outputs:
    """All deletions happen together; a row another row refers to is not deleted (the
    node fails and nothing is deleted)."""
    tables = ctx.service("tables")
    rows: Items = []
    with tables.transaction(trigger=params.raw.get("trigger", True) is not False) as tx:
        for index, item in enumerate(items):
            rendered = params.render(item, index)
            where = common.locate(rendered, item)
            row = tx.delete(rendered["table"], **where)
            if row is None:
                common.missing(rendered, rendered["table"], where)
            else:
                rows.append(row)
    return {"main": rows}
