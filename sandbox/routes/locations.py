"""Locations (sub-accounts): get, update, search (apps/locations.json)."""

from __future__ import annotations

from typing import Any

from sandbox.api import Call, Operations
from sandbox.views import public

ops = Operations("locations")
WRITABLE = ("name", "phone", "address", "city", "state", "country", "postalCode", "website",
            "timezone", "email", "settings", "social")


@ops.route("GET", "/locations/{locationId}")
def get_location(call: Call) -> dict[str, Any]:
    return {"location": public(call.location(call.path["locationId"]))}


@ops.route("PUT", "/locations/{locationId}")
def update_location(call: Call) -> dict[str, Any]:
    location = call.location(call.path["locationId"])
    for key in WRITABLE:
        if key in call.body:
            if isinstance(location.get(key), dict) and isinstance(call.body[key], dict):
                location[key] = {**location[key], **call.body[key]}
            else:
                location[key] = call.body[key]
    call.emit("LocationUpdate", None, {"id": location["id"], "companyId": location["companyId"],
                                       "name": location["name"], "email": location.get("email")})
    return public(location)


@ops.route("GET", "/locations/search")
def search_locations(call: Call) -> dict[str, Any]:
    query = call.query
    grant = call.grant
    locations = [loc for loc in call.crm.locations.values()
                 if grant is None or loc["companyId"] == grant.company_id]
    if grant is not None and grant.location_id:
        locations = [loc for loc in locations if loc["id"] == grant.location_id]
    if query.get("email"):
        locations = [loc for loc in locations if loc.get("email") == query["email"]]
    locations.sort(key=lambda loc: loc["name"].lower(), reverse=query.get("order") == "desc")
    skip, limit = int(query.get("skip", 0)), int(query.get("limit", 10))
    keys = ("id", "name", "phone", "email", "address", "city", "state", "country", "postalCode",
            "website", "timezone", "settings", "social")
    return {"locations": [{k: loc[k] for k in keys if k in loc}
                          for loc in locations[skip:skip + limit]]}
