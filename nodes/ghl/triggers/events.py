"""The 58 documented webhook events (nodes/ghl/spec/webhook-events), as trigger definitions.

One node type per event (`ghl.trigger.<event>`, e.g. `ghl.trigger.opportunity_stage_update`):
a workflow names exactly what starts it, the palette lists every event, and an event's own
filters (pipeline, stage, owner, status, value changed) sit on its own form.

The event's name is its doc's file name; the `type` its payload carries is the same except
where the docs say otherwise (AppInstall arrives as INSTALL, ConversationUnreadWebhook as
ConversationUnreadUpdate, PlanChange as PLAN_CHANGE; a conversation provider's outbound
message carries the channel, SMS or Email, as its type).
"""

from __future__ import annotations

import functools
import re
from dataclasses import dataclass

from nodes.ghl.settings import SPEC_DIR

EVENTS_DIR = SPEC_DIR / "webhook-events"

#: Payload `type` values that differ from the event's name.
TYPE_OF = {"AppInstall": "INSTALL", "AppUninstall": "UNINSTALL",
           "ConversationUnreadWebhook": "ConversationUnreadUpdate", "PlanChange": "PLAN_CHANGE"}
#: Events whose payload `type` is something else entirely: matched by these values.
OTHER_TYPES = {"ProviderOutboundMessage": ("SMS", "Email")}

OPPORTUNITY_FILTERS = ("pipeline_id", "pipeline_stage_id", "assigned_to", "status",
                       "value_changed")
#: Filters each family of events supports (the fields their payloads carry).
FILTERS = {
    "Opportunity": OPPORTUNITY_FILTERS,
    "Contact": ("assigned_to",),
    "Task": ("assigned_to",),
    "Appointment": ("assigned_to", "status"),
}
#: Scopes HighLevel ties to events (docs/oauth/Scopes.md; NOTES.md §4.3, §6.3).
SCOPES = {
    "Opportunity": "opportunities.readonly", "Contact": "contacts.readonly",
    "Note": "contacts.readonly", "Task": "contacts.readonly",
    "Appointment": "calendars/events.readonly", "CampaignStatusUpdate": "campaigns.readonly",
    "ConversationUnreadWebhook": "conversations.readonly",
    "InboundMessage": "conversations/message.readonly",
    "OutboundMessage": "conversations/message.readonly",
    "ProviderOutboundMessage": "conversations/message.write",
    "Location": "locations.readonly", "Invoice": "invoices.readonly",
    "Order": "payments/orders.readonly", "Product": "products.readonly",
    "Price": "products/prices.readonly", "User": "users.readonly",
    "Association": "associations.readonly", "Relation": "associations/relation.readonly",
    "Record": "objects/record.readonly", "ObjectSchema": "objects/schema.readonly",
}
TITLES = {
    "OpportunityCreate": "Opportunity created", "OpportunityUpdate": "Opportunity updated",
    "OpportunityDelete": "Opportunity deleted",
    "OpportunityStageUpdate": "Opportunity stage changed",
    "OpportunityStatusUpdate": "Opportunity status changed",
    "OpportunityMonetaryValueUpdate": "Opportunity value changed",
    "OpportunityAssignedToUpdate": "Opportunity owner changed",
    "ContactCreate": "Contact created", "ContactUpdate": "Contact updated",
    "ContactDelete": "Contact deleted", "ContactTagUpdate": "Contact tags changed",
    "ContactDndUpdate": "Contact do-not-disturb changed",
    "NoteCreate": "Note created", "NoteUpdate": "Note updated", "NoteDelete": "Note deleted",
    "TaskCreate": "Task created", "TaskComplete": "Task completed", "TaskDelete": "Task deleted",
    "AppointmentCreate": "Appointment booked", "AppointmentUpdate": "Appointment updated",
    "AppointmentDelete": "Appointment deleted", "InboundMessage": "Message received",
    "OutboundMessage": "Message sent", "AppInstall": "App installed",
    "AppUninstall": "App uninstalled",
}
_WORDS = re.compile(r"(?<=[a-z])(?=[A-Z])")


@dataclass(frozen=True)
class Event:
    name: str
    types: tuple[str, ...]
    title: str
    description: str
    family: str
    filters: tuple[str, ...]
    scope: str | None

    @property
    def node_type(self) -> str:
        return "ghl.trigger." + _WORDS.sub("_", self.name).lower()


def _family(name: str) -> str:
    for family in ("Opportunity", "Contact", "Note", "Task", "Appointment", "Invoice", "Order",
                   "Product", "Price", "Location", "Association", "Relation", "Record",
                   "ObjectSchema", "User"):
        if name.startswith(family):
            return family
    return name


def _description(text: str) -> str:
    for line in text.splitlines():
        line = line.strip()
        if line.startswith(("Called ", "This webhook", "Triggered")):
            return line.rstrip(".") + "."
    return ""


@functools.cache
def events() -> tuple[Event, ...]:
    found = []
    for doc in sorted(EVENTS_DIR.glob("*.md")):
        name = doc.stem
        family = _family(name)
        found.append(Event(
            name=name,
            types=OTHER_TYPES.get(name, (TYPE_OF.get(name, name),)),
            title=TITLES.get(name, _WORDS.sub(" ", name).capitalize()),
            description=_description(doc.read_text(encoding="utf-8")),
            family=family,
            filters=FILTERS.get(family, ()),
            scope=SCOPES.get(name) or SCOPES.get(family),
        ))
    return tuple(found)


@functools.cache
def by_type() -> dict[str, Event]:
    """The event a payload `type` announces."""
    return {value: event for event in events() for value in event.types}


def of_payload(payload: dict[str, object]) -> Event | None:
    kind = payload.get("type")
    return by_type().get(kind) if isinstance(kind, str) else None
