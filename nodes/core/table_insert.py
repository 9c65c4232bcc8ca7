"""Insert rows: one new row in a data table per item."""

from __future__ import annotations

from nodes.core import table_common as common
from nodes.registry import Items, Outputs, Params, RunContext, node


@node(
    type="core.table.insert",
    title="Insert rows",
    group="Data",
    description="Add a row to a data table for each item; outputs the new rows.",
    icon="table",
    params={
        "type": "object",
        "required": ["table"],
        "properties": {
            "table": common.TABLE,
            "mapping": common.MAPPING,
            "values": common.VALUES,
            "trigger": common.TRIGGER,
        },
    },
)
def run(ctx: RunContext, items: Items, params: Params) -> Outputs:
    """All rows are written together: if one item's values are refused, none is saved."""
    tables = ctx.service("tables")
    rows: Items = []
    with tables.transaction(trigger=params.raw.get("trigger", True) is not False) as tx:
        for index, item in enumerate(items):
            rendered = params.render(item, index)
            values, auto = common.values_of(rendered, item)
            rows.append(tx.insert(rendered["table"], values, ignore_unknown=auto))
    return {"main": rows}
