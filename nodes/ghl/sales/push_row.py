""""Send row to HighLevel": a row of the Opportunities table becomes its opportunity.

The stage name is looked up live in the pipeline's stages, value becomes monetaryValue and
owner_id assignedTo. A row with a `ghl_id` updates that opportunity with only what differs;
a row without one is upserted (by contact and pipeline, so a retry never makes a second
opportunity). A row that already matches HighLevel goes to `unchanged` and writes nothing:
that is what ends a loop of two syncs answering each other.

Each item out carries `ghl_id` (to write back into the row, silently), `changes` and
`summary` (for an activity note), `created`, the row and the opportunity as HighLevel now
has it.
"""

from __future__ import annotations

from typing import Any

from nodes.ghl.auth import FAMILY, Connection
from nodes.ghl.client import GhlClient
from nodes.ghl.runner import client_for
from nodes.ghl.sales import mapping
from nodes.ghl.sales.mapping import FIELDS, Catalog
from nodes.registry import Items, NodeError, Outputs, Params, RunContext, node


@node(
    type="ghl.opportunities.push_row", title="Send row to HighLevel",
    group="HighLevel · Opportunities",
    description="Create or update the opportunity of an Opportunities table row (stage by "
                "name, value, owner, status); rows already in step go to 'unchanged'.",
    credential=FAMILY, icon="highlevel", outputs=("main", "unchanged"),
    meta={"operations": [mapping.GET, mapping.UPDATE, mapping.UPSERT,
                         mapping.CREATE_CONTACT],
          "scopes": ["opportunities.readonly", "opportunities.write", "contacts.write"]},
    params={"type": "object", "properties": {
        "row": {"title": "Row", "description": "Empty: the row of a 'Table changed' item, "
                                               "or the item itself."},
        "pipeline": {"type": "string", "title": "Pipeline of rows without one",
                     "description": "Id or name; used when the row's pipeline_id is empty.",
                     "ui": {"options": "ghl.pipelines", "depends_on": []}},
        "contact_id": {"type": "string", "title": "Contact of a new opportunity",
                       "description": "For rows not yet in HighLevel. Empty: a new contact "
                                      "named after the row."},
        "fields": {"type": "array", "title": "Columns to send", "uniqueItems": True,
                   "items": {"enum": list(FIELDS)}, "default": list(FIELDS)},
    }},
)
def run(ctx: RunContext, items: Items, params: Params) -> Outputs:
    client, connection = client_for(ctx)
    catalog = Catalog(ctx)
    sent: Items = []
    unchanged: Items = []
    for index, item in enumerate(items):
        if ctx.cancelled():
            break
        rendered = params.render(item, index)
        row = mapping.row_of(item, rendered.get("row"))
        fields = list(rendered.get("fields") or FIELDS)
        ghl_id = str(row.get("ghl_id") or "").strip()
        if ghl_id:
            result = _update(client, catalog, row, ghl_id, fields, rendered)
        else:
            result = _create(client, connection, catalog, row, fields, rendered)
        (sent if result["changes"] else unchanged).append(result)
    return {"main": sent, "unchanged": unchanged}


def _update(client: GhlClient, catalog: Catalog, row: dict[str, Any], ghl_id: str,
            fields: list[str], rendered: dict[str, Any]) -> dict[str, Any]:
    current = mapping.fetch(client, ghl_id)
    if current is None:
        raise NodeError(f"The row {row.get('id')} points at the opportunity {ghl_id}, which "
                        "HighLevel no longer has. Empty its ghl_id to create it again.")
    pipeline = row.get("pipeline_id") or current.get("pipelineId")
    changes = mapping.differences(row, mapping.row_values(current, catalog),
                                  skip_empty_row=True, fields=tuple(fields))
    if not changes:
        return _result(row, current, [], created=False)
    body = mapping.ghl_body(row, [c["field"] for c in changes], catalog, pipeline)
    return _result(row, mapping.update(client, ghl_id, body), changes, created=False)


def _create(client: GhlClient, connection: Connection, catalog: Catalog, row: dict[str, Any],
            fields: list[str], rendered: dict[str, Any]) -> dict[str, Any]:
    pipeline_ref = row.get("pipeline_id") or rendered.get("pipeline")
    pipeline = catalog.pipeline(pipeline_ref)
    if pipeline is None:
        raise NodeError(f"The row {row.get('id')} has no pipeline HighLevel knows "
                        f"({pipeline_ref!r}); set its pipeline_id or the node's pipeline.")
    if not str(row.get("name") or "").strip():
        raise NodeError(f"The row {row.get('id')} has no name; HighLevel needs one.")
    body = mapping.ghl_body(row, [f for f in fields if f != "pipeline_id"], catalog,
                            pipeline["id"])
    contact_id = str(rendered.get("contact_id") or "").strip() or _new_contact(
        client, connection, str(row["name"]))
    answer = client.call(mapping.operation(mapping.UPSERT), idempotent=True, body={
        **mapping.UPSERT_DEFAULTS, **body, "locationId": connection.location_id,
        "pipelineId": pipeline["id"], "contactId": contact_id}).body
    opportunity = dict(answer.get("opportunity") or {})
    changes = [{"field": f, "table": row.get(f), "ghl": None} for f in fields
               if not mapping.is_empty(row.get(f))]
    return _result(row, opportunity, changes, created=bool(answer.get("new", True)))


def _new_contact(client: GhlClient, connection: Connection, name: str) -> str:
    answer = client.call(mapping.operation(mapping.CREATE_CONTACT), body={
        "locationId": connection.location_id, "name": name, "source": "Flowlane"}).body
    contact = answer.get("contact") if isinstance(answer, dict) else None
    if not isinstance(contact, dict) or not contact.get("id"):
        raise NodeError("HighLevel did not return the new contact's id.")
    return str(contact["id"])


def _result(row: dict[str, Any], opportunity: dict[str, Any], changes: list[dict[str, Any]],
            created: bool) -> dict[str, Any]:
    told = "created in HighLevel: " if created else ""
    return {"row_id": row.get("id"), "ghl_id": opportunity.get("id"), "created": created,
            "changes": changes,
            "summary": told + mapping.summary(changes, towards="ghl") if changes else
            "already in step",
            "last_modified": opportunity.get("updatedAt"), "row": row,
            "opportunity": opportunity}
