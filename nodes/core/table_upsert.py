"""Upsert rows: update the row whose key column matches the item, or insert one."""

from __future__ import annotations

from nodes.core import table_common as common
from nodes.registry import Items, Outputs, Params, RunContext, node


@node(
    type="core.table.upsert",
    title="Upsert rows",
    group="Data",
    description="Update the row with the same key value, or insert it; outputs the rows.",
    icon="table",
    params={
        "type": "object",
        "required": ["table"],
        "properties": {
            "table": common.TABLE,
            "key_column": common.column(
                "Match on column",
                description="Defaults to the table's key column. Another column works when "
                            "its values are unique."),
            "mapping": common.MAPPING,
            "values": common.VALUES,
            "trigger": common.TRIGGER,
        },
    },
)
def run(ctx: RunContext, items: Items, params: Params) -> Outputs:
    """The values must include the matched column; unchanged rows are not written again
    (and start no workflow)."""
    tables = ctx.service("tables")
    rows: Items = []
    with tables.transaction(trigger=params.raw.get("trigger", True) is not False) as tx:
        for index, item in enumerate(items):
            rendered = params.render(item, index)
            values, auto = common.values_of(rendered, item)
            row, _outcome = tx.upsert(rendered["table"], values,
                                      key_column=rendered.get("key_column") or None,
                                      ignore_unknown=auto)
            rows.append(row)
    return {"main": rows}
