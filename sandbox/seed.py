"""Deterministic demo data: the same seed always gives the same location, people and deals.

One agency, one location (`DEMO_LOCATION_ID`), users, two pipelines with stages, lost reasons,
custom fields, two calendars, and N opportunities each with its own contact (plus a few notes
and tasks). Dates are spread over the year before a fixed day, so they never depend on today.
"""

from __future__ import annotations

import random
from typing import Any

from sandbox.clock import iso_ms
from sandbox.crm import Crm, Record
from sandbox.ids import new_id, new_uuid

SEED_EPOCH_MS = 1_790_812_800_000  # 2026-10-01T00:00:00Z
DAY_MS = 86_400_000
YEAR_MS = 365 * DAY_MS

FIRST_NAMES = (
    "Ava", "Liam", "Mia", "Noah", "Emma", "Lucas", "Sofia", "Ethan", "Chloe", "Mateo", "Grace",
    "Leo", "Zoe", "Owen", "Nora", "Caleb", "Ruby", "Elias", "Ivy", "Jonah", "Maya", "Felix",
    "Hana", "Omar", "Priya", "Diego", "Yuki", "Amara", "Tomas", "Lena",
)
LAST_NAMES = (
    "Carter", "Nguyen", "Patel", "Garcia", "Okafor", "Schmidt", "Rossi", "Kim", "Silva", "Novak",
    "Haddad", "Murphy", "Tanaka", "Dubois", "Larsen", "Moreno", "Ali", "Fischer", "Byrne", "Costa",
)
COMPANIES = (
    "Bright Dental", "Summit Roofing", "Harbor Fitness", "Oak & Ivy Salon", "Peak HVAC",
    "Northside Realty", "Bluewave Pools", "Cedar Law Group", "Urban Paws Vet",
    "Golden Crust Bakery", "Apex Auto Repair", "Lumen Med Spa", "Riverbend Chiropractic",
    "Keystone Plumbing", "Skyline Solar",
)
PRODUCTS = (
    "Website redesign", "SEO retainer", "Ads management", "CRM setup", "Review campaign",
    "Booking funnel", "Email nurture", "Social package", "Annual plan", "Pilot",
)
SOURCES = ("Website form", "Facebook ad", "Google ad", "Referral", "Cold call", "Webinar", "")
TAGS = ("hot-lead", "newsletter", "webinar", "referral", "vip", "follow-up", "trial")
CITIES = (
    ("Austin", "TX", "78701"), ("Denver", "CO", "80202"), ("Tampa", "FL", "33602"),
    ("Columbus", "OH", "43215"), ("Portland", "OR", "97204"), ("Raleigh", "NC", "27601"),
)
STATUSES = (("open", 70), ("won", 15), ("lost", 10), ("abandoned", 5))
USER_NAMES = (
    ("Jordan", "Reyes", "admin"), ("Casey", "Morgan", "user"), ("Riley", "Chen", "user"),
    ("Taylor", "Brooks", "user"), ("Sam", "Whitfield", "user"),
)
PIPELINES = (
    ("Sales Pipeline", ("New Lead", "Contacted", "Qualified", "Proposal Sent", "Negotiation",
                        "Closed")),
    ("Customer Onboarding", ("Kickoff", "Setup", "Training", "Live")),
)
LOST_REASONS = ("Price too high", "Went with a competitor", "No budget", "Stopped responding")
PERMISSIONS = {
    "campaignsEnabled": True, "contactsEnabled": True, "workflowsEnabled": True,
    "opportunitiesEnabled": True, "appointmentsEnabled": True, "conversationsEnabled": True,
    "dashboardStatsEnabled": True, "settingsEnabled": True, "tagsEnabled": True,
    "leadValueEnabled": True, "assignedDataOnly": False,
}


def seed_company(crm: Crm, company_id: str) -> None:
    crm.companies[company_id] = {"id": company_id, "name": "Flowlane Sandbox Agency"}


def seed_location(
    crm: Crm,
    *,
    seed: int,
    location_id: str,
    company_id: str,
    name: str = "Flowlane Demo Co",
    opportunities: int = 200,
    users: int = 5,
) -> Record:
    """One location with everything in it; returns the location record."""
    rng = random.Random(f"{seed}:{location_id}")
    city, state, postal = CITIES[0]
    location: Record = {
        "id": location_id,
        "companyId": company_id,
        "name": name,
        "domain": "demo.flowlane.sandbox",
        "address": "100 Congress Ave",
        "city": city,
        "state": state,
        "country": "US",
        "postalCode": postal,
        "website": "https://demo.flowlane.sandbox",
        "timezone": "America/Chicago",
        "firstName": "Jordan",
        "lastName": "Reyes",
        "email": "owner@demo.flowlane.sandbox",
        "phone": "+15125550100",
        "business": {"name": name, "address": "100 Congress Ave", "city": city, "state": state,
                     "country": "US", "postalCode": postal, "timezone": "America/Chicago"},
        "social": {},
        "settings": {"allowDuplicateContact": False, "allowDuplicateOpportunity": False,
                     "allowFacebookNameMerge": False, "disableContactTimezone": False},
    }
    crm.locations[location_id] = location
    user_ids = _seed_users(crm, rng, location_id, company_id, users)
    pipeline_ids = _seed_pipelines(crm, rng, location_id)
    lost_ids = _seed_lost_reasons(crm, rng, location_id)
    fields = _seed_custom_fields(crm, rng, location_id)
    _seed_calendars(crm, rng, location_id, user_ids)
    for index in range(opportunities):
        _seed_deal(crm, rng, location_id, index, user_ids, pipeline_ids, lost_ids, fields)
    return location


def _seed_users(
    crm: Crm, rng: random.Random, location_id: str, company_id: str, count: int
) -> list[str]:
    ids = []
    for index in range(count):
        first, last, role = USER_NAMES[index % len(USER_NAMES)]
        if index >= len(USER_NAMES):
            first = f"{first}{index // len(USER_NAMES) + 1}"
        user_id = new_id(rng)
        crm.users[user_id] = {
            "id": user_id,
            "name": f"{first} {last}",
            "firstName": first,
            "lastName": last,
            "email": f"{first.lower()}.{last.lower()}@demo.flowlane.sandbox",
            "phone": f"+1512555{1000 + index:04d}",
            "extension": "",
            "permissions": dict(PERMISSIONS),
            "roles": {"type": "account", "role": role, "locationIds": [location_id],
                      "restrictSubAccount": False},
            "deleted": False,
            "platformLanguage": "en_US",
            "_companyId": company_id,
        }
        ids.append(user_id)
    return ids


def _seed_pipelines(crm: Crm, rng: random.Random, location_id: str) -> list[str]:
    ids = []
    for name, stage_names in PIPELINES:
        pipeline: Record = {
            "id": new_id(rng),
            "name": name,
            "stages": [
                {"id": new_uuid(rng), "name": stage, "position": position,
                 "showInFunnel": True, "showInPieChart": True}
                for position, stage in enumerate(stage_names)
            ],
            "showInFunnel": True,
            "showInPieChart": True,
            "locationId": location_id,
            "colorRenderMode": "dot",
        }
        crm.add_pipeline(pipeline)
        ids.append(pipeline["id"])
    return ids


def _seed_lost_reasons(crm: Crm, rng: random.Random, location_id: str) -> list[str]:
    ids = []
    for name in LOST_REASONS:
        reason_id = new_id(rng)
        stamp = iso_ms(SEED_EPOCH_MS - YEAR_MS)
        crm.lost_reasons[reason_id] = {"id": reason_id, "name": name, "locationId": location_id,
                                       "createdAt": stamp, "updatedAt": stamp}
        ids.append(reason_id)
    return ids


def _seed_custom_fields(crm: Crm, rng: random.Random, location_id: str) -> dict[str, str]:
    """The seeded fields, by key (`deal_source` ...), so deals can fill some of them."""
    specs: tuple[tuple[str, str, str, str, list[str]], ...] = (
        ("opportunity", "Deal Source", "deal_source", "TEXT", []),
        ("opportunity", "Expected Close Date", "expected_close_date", "DATE", []),
        ("opportunity", "Products", "products", "MULTIPLE_OPTIONS", list(PRODUCTS[:5])),
        ("contact", "Lead Score", "lead_score", "NUMERICAL", []),
        ("contact", "Industry", "industry", "SINGLE_OPTIONS",
         ["Dental", "Home services", "Fitness", "Legal", "Retail"]),
    )
    ids = {}
    for position, (model, name, key, data_type, options) in enumerate(specs):
        field_id = new_id(rng)
        crm.custom_fields[field_id] = {
            "id": field_id,
            "name": name,
            "fieldKey": f"{model}.{key}",
            "placeholder": name,
            "dataType": data_type,
            "position": position,
            "picklistOptions": options,
            "locationId": location_id,
            "model": model,
        }
        ids[key] = field_id
    return ids


def _seed_calendars(crm: Crm, rng: random.Random, location_id: str, user_ids: list[str]) -> None:
    group_id = new_id(rng)
    weekdays = [{"daysOfTheWeek": [1, 2, 3, 4, 5],
                 "hours": [{"openHour": 9, "openMinute": 0, "closeHour": 17, "closeMinute": 0}]}]
    for name, kind, members, duration in (
        ("Discovery Call", "round_robin", user_ids[:3], 30),
        ("Product Demo", "event", user_ids[:1], 60),
    ):
        calendar_id = new_id(rng)
        crm.calendars[calendar_id] = {
            "id": calendar_id,
            "locationId": location_id,
            "groupId": group_id,
            "name": name,
            "description": f"{name} with the Flowlane demo team",
            "slug": name.lower().replace(" ", "-"),
            "widgetSlug": name.lower().replace(" ", "-"),
            "calendarType": kind,
            "widgetType": "classic",
            "eventTitle": "{{contact.name}}",
            "eventColor": "#039be5",
            "teamMembers": [{"userId": user_id, "priority": 0.5, "isPrimary": index == 0}
                            for index, user_id in enumerate(members)],
            "slotDuration": duration,
            "slotDurationUnit": "mins",
            "slotInterval": 30,
            "slotIntervalUnit": "mins",
            "appoinmentPerSlot": 1,
            "openHours": weekdays,
            "autoConfirm": True,
            "allowReschedule": True,
            "allowCancellation": True,
            "isActive": True,
        }


def _seed_deal(
    crm: Crm,
    rng: random.Random,
    location_id: str,
    index: int,
    user_ids: list[str],
    pipeline_ids: list[str],
    lost_ids: list[str],
    fields: dict[str, str],
) -> None:
    created = SEED_EPOCH_MS - YEAR_MS + rng.randrange(YEAR_MS)
    updated = created + rng.randrange(min(30 * DAY_MS, SEED_EPOCH_MS - created) + 1)
    contact = _contact(rng, location_id, index, created, fields)
    crm.add_contact(contact)
    pipeline_id = pipeline_ids[0] if rng.random() < 0.7 else pipeline_ids[1]
    stage_id = rng.choice(crm.stage_ids(pipeline_id))
    status = rng.choices([s for s, _ in STATUSES], weights=[w for _, w in STATUSES])[0]
    product = rng.choice(PRODUCTS)
    custom_fields = [{"id": fields["deal_source"], "fieldValue": contact["source"] or "Direct"}]
    if rng.random() < 0.5:
        picks = rng.sample(PRODUCTS[:5], rng.randint(1, 2))
        custom_fields.append({"id": fields["products"], "fieldValue": picks})
    opportunity: Record = {
        "id": new_id(rng),
        "name": f"{contact['companyName']} - {product}",
        "monetaryValue": rng.randrange(10, 1000) * 50,
        "pipelineId": pipeline_id,
        "pipelineStageId": stage_id,
        "assignedTo": rng.choice(user_ids),
        "status": status,
        "source": contact["source"],
        "lastStatusChangeAt": iso_ms(updated if status != "open" else created),
        "lastStageChangeAt": iso_ms(updated),
        "lastActionDate": iso_ms(updated),
        "indexVersion": 1,
        "createdAt": iso_ms(created),
        "updatedAt": iso_ms(updated),
        "contactId": contact["id"],
        "locationId": location_id,
        "customFields": custom_fields,
        "followers": [],
        "_created": created,
        "_updated": updated,
    }
    if status == "lost":
        opportunity["lostReasonId"] = rng.choice(lost_ids)
    crm.add_opportunity(opportunity)
    if index % 3 == 0:
        crm.add_note({
            "id": new_id(rng), "body": f"Intro call done; interested in {product.lower()}.",
            "userId": opportunity["assignedTo"], "dateAdded": iso_ms(created + DAY_MS // 2),
            "contactId": contact["id"], "title": "Intro call", "color": "#FFAA00",
            "pinned": False,
        })
    if index % 4 == 0:
        crm.add_task({
            "id": new_id(rng), "title": "Send proposal", "body": f"Proposal for {product}",
            "assignedTo": opportunity["assignedTo"], "dueDate": iso_ms(created + 7 * DAY_MS),
            "completed": rng.random() < 0.5, "contactId": contact["id"],
            "dateAdded": iso_ms(created + DAY_MS),
        })


def _contact(
    rng: random.Random, location_id: str, index: int, created: int, fields: dict[str, str]
) -> Record:
    first, last = rng.choice(FIRST_NAMES), rng.choice(LAST_NAMES)
    company = rng.choice(COMPANIES)
    contact_id = new_id(rng)
    city, state, postal = rng.choice(CITIES)
    tags = sorted(set(rng.sample(TAGS, rng.randint(0, 2))))
    contact: dict[str, Any] = {
        "id": contact_id,
        "locationId": location_id,
        "firstName": first,
        "lastName": last,
        # The index keeps emails and phones unique, as the duplicate-contact rule needs.
        "email": f"{first.lower()}.{last.lower()}.{index}@example.com",
        "phone": f"+1{rng.randrange(201, 989)}{index:07d}",
        "companyName": company,
        "source": rng.choice(SOURCES),
        "tags": tags,
        "type": "lead",
        "dnd": False,
        "address1": f"{rng.randrange(10, 9999)} Main St",
        "city": city,
        "state": state,
        "country": "US",
        "postalCode": postal,
        "timezone": "America/Chicago",
        "customFields": [{"id": fields["lead_score"], "value": str(rng.randrange(1, 100))}],
        "followers": [],
        "dateAdded": iso_ms(created),
        "dateUpdated": iso_ms(created),
        "_created": created,
        "_updated": created,
    }
    return contact
