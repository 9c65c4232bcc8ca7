""""Update row from HighLevel": fetch the opportunity as it is now (GET
/opportunities/:id) and write it into its row of the Opportunities table (found by
`ghl_id`; a new row when there is none): status, stage (by name), owner, value, pipeline,
last_modified, with the contact's notes about it appended to the row's notes.

Webhook events say that something changed, not always what it is now (two quick changes
arrive in any order): reading the opportunity again makes the row match HighLevel. An
opportunity HighLevel no longer has goes to `not_found`.
"""

from __future__ import annotations

from typing import Any

from nodes.core import table_common as common
from nodes.ghl.auth import FAMILY
from nodes.ghl.client import GhlClient
from nodes.ghl.notes import opportunity_of
from nodes.ghl.runner import client_for
from nodes.ghl.sales import mapping
from nodes.ghl.sales.mapping import Catalog
from nodes.registry import Items, NodeError, Outputs, Params, RunContext, node

NOTE_FOOTER = "\n\nOpportunity: "


@node(
    type="ghl.opportunities.pull_row", title="Update row from HighLevel",
    group="HighLevel · Opportunities",
    description="Fetch the opportunity from HighLevel and update (or add) its row in the "
                "Opportunities table, with the contact's notes appended.",
    credential=FAMILY, icon="highlevel", outputs=("main", "not_found"),
    meta={"operations": [mapping.GET, mapping.NOTES],
          "scopes": ["opportunities.readonly", "contacts.readonly"]},
    params={"type": "object", "properties": {
        "table": {**common.TABLE, "default": "Opportunities"},
        "opportunity_id": {"type": "string", "title": "Opportunity id",
                           "description": "Empty: the item's id (an opportunity event's)."},
        "match_column": {**common.column("Row's HighLevel id column"), "default": "ghl_id"},
        "append_notes": {"type": "boolean", "title": "Append the contact's notes",
                         "default": True,
                         "description": "Notes about this opportunity (or about none in "
                                        "particular) that the row's notes do not hold yet."},
        "trigger": common.TRIGGER,
    }},
)
def run(ctx: RunContext, items: Items, params: Params) -> Outputs:
    client, _connection = client_for(ctx)
    catalog = Catalog(ctx)
    tables = ctx.service("tables")
    updated: Items = []
    gone: Items = []
    for index, item in enumerate(items):
        if ctx.cancelled():
            break
        rendered = params.render(item, index)
        table = str(rendered.get("table") or "Opportunities")
        column = str(rendered.get("match_column") or "ghl_id")
        opportunity_id = str(rendered.get("opportunity_id") or item.get("id") or "").strip()
        if not opportunity_id:
            raise NodeError("The opportunity id is empty for this item.")
        opportunity = mapping.fetch(client, opportunity_id)
        if opportunity is None:
            gone.append({"ghl_id": opportunity_id, "event": item})
            continue
        existing = _row(tables, table, column, opportunity_id)
        values = mapping.row_values(opportunity, catalog)
        values[column] = values.pop("ghl_id")
        added = 0
        if rendered.get("append_notes", True) and opportunity.get("contactId"):
            values["notes"], added = _notes(client, opportunity, (existing or {}).get("notes"))
        with tables.transaction(trigger=rendered.get("trigger", True) is not False) as tx:
            row, outcome = tx.upsert(table, values, key_column=column)
        changes = mapping.differences(existing or {}, values)
        updated.append({"row": row, "outcome": outcome, "changes": changes,
                        "summary": mapping.summary(changes, towards="table"),
                        "notes_added": added, "opportunity": opportunity})
    return {"main": updated, "not_found": gone}


def _row(tables: Any, table: str, column: str, value: str) -> dict[str, Any] | None:
    found = tables.search(table, filters=[{"column": column, "op": "eq", "value": value}],
                          limit=2)
    if len(found) > 1:
        raise NodeError(f"Several rows of {table!r} have {column} = {value!r}.")
    return found[0] if found else None


def _notes(client: GhlClient, opportunity: dict[str, Any], current: Any) -> tuple[Any, int]:
    """The row's notes with the contact's new notes about this opportunity appended."""
    answer = client.call(mapping.operation(mapping.NOTES),
                         path={"contactId": opportunity["contactId"]}).body
    notes = answer.get("notes") if isinstance(answer, dict) else None
    text = str(current or "")
    lines = []
    for note in sorted((n for n in notes or [] if isinstance(n, dict)),
                       key=lambda n: str(n.get("dateAdded") or "")):
        body = str(note.get("body") or "")
        if opportunity_of(body) not in (None, opportunity.get("id")):
            continue  # about another opportunity of the same contact
        body = body.split(NOTE_FOOTER)[0].strip()
        if not body or body in text:
            continue
        lines.append(f"[{str(note.get('dateAdded') or '')[:10]}] {body}")
    if not lines:
        return current, 0
    return "\n".join([text, *lines] if text else lines), len(lines)
