"""Get a row: the row each item points at, by row id or key."""

from __future__ import annotations

from nodes.core import table_common as common
from nodes.registry import Items, Outputs, Params, RunContext, node


@node(
    type="core.table.get",
    title="Get a row",
    group="Data",
    description="Read the row with this id or key value; outputs it.",
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
        },
    },
)
def run(ctx: RunContext, items: Items, params: Params) -> Outputs:
    tables = ctx.service("tables")
    rows: Items = []
    for index, item in enumerate(items):
        rendered = params.render(item, index)
        where = common.locate(rendered, item)
        row = tables.get(rendered["table"], **where)
        if row is None:
            common.missing(rendered, rendered["table"], where)
        else:
            rows.append(row)
    return {"main": rows}
