""""Attach note to opportunity": HighLevel keeps notes on contacts, not opportunities.

The public API has no opportunity notes (NOTES.md §7), so the note goes to the opportunity's
contact, and says which opportunity it is about (name and id), so a person reading the
contact's notes knows, and a workflow can find it again.
"""

from __future__ import annotations

import re
from typing import Any

from nodes.ghl.auth import FAMILY
from nodes.ghl.openapi import find
from nodes.ghl.runner import client_for
from nodes.registry import Items, NodeError, Outputs, Params, RunContext, node

GET_OPPORTUNITY = "GET /opportunities/{id}"
CREATE_NOTE = "POST /contacts/{contactId}/notes"


def note_text(body: str, opportunity: dict[str, Any]) -> str:
    name = opportunity.get("name") or "(no name)"
    return f"{body.rstrip()}\n\nOpportunity: {name} ({opportunity.get('id')})"


_NAMED = re.compile(r"\n\nOpportunity: .* \(([^()\s]+)\)\s*$")


def opportunity_of(note_body: str) -> str | None:
    """The id of the opportunity a note written by `note_text` is about, else None."""
    found = _NAMED.search(note_body or "")
    return found.group(1) if found else None


@node(
    type="ghl.notes.attach_to_opportunity", title="Attach note to opportunity",
    group="HighLevel · Opportunities",
    description="Adds a note to the opportunity's contact, naming the opportunity (HighLevel "
                "keeps notes on contacts).",
    credential=FAMILY, icon="highlevel",
    meta={"operations": [GET_OPPORTUNITY, CREATE_NOTE],
          "scopes": ["opportunities.readonly", "contacts.write"], "curated": True},
    params={"type": "object", "required": ["opportunity_id", "body"], "properties": {
        "opportunity_id": {"type": "string", "title": "Opportunity id"},
        "body": {"type": "string", "title": "Note", "minLength": 1},
        "user_id": {"type": "string", "title": "Author",
                    "ui": {"options": "ghl.users", "depends_on": []}},
    }},
)
def run(ctx: RunContext, items: Items, params: Params) -> Outputs:
    """One note per item, on the contact of the item's opportunity."""
    client, _connection = client_for(ctx)
    get_op, note_op = find(*GET_OPPORTUNITY.split(" ")), find(*CREATE_NOTE.split(" "))
    assert get_op is not None and note_op is not None
    out: Items = []
    for index, item in enumerate(items or [{}]):
        if ctx.cancelled():
            break
        values = params.render(item, index)
        opportunity_id = str(values.get("opportunity_id") or "").strip()
        if not opportunity_id:
            raise NodeError("Opportunity id is empty.")
        answer = client.call(get_op, path={"id": opportunity_id}).body
        opportunity = answer.get("opportunity") or {}
        contact_id = opportunity.get("contactId") or (opportunity.get("contact") or {}).get("id")
        if not contact_id:
            raise NodeError(f"The opportunity {opportunity_id} has no contact to hold the note.")
        note: dict[str, Any] = {"body": note_text(str(values.get("body") or ""), opportunity)}
        if values.get("user_id"):
            note["userId"] = values["user_id"]
        created = client.call(note_op, path={"contactId": contact_id}, body=note).body
        out.append({**(created.get("note") or created), "opportunityId": opportunity.get("id"),
                    "opportunityName": opportunity.get("name")})
    return {"main": out}
