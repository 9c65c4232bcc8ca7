"""Test connection: one cheap call that says whether HighLevel takes the token, for which
location, and which scopes the connection has against those its workflows need."""

from __future__ import annotations

from dataclasses import replace
from typing import Any

import httpx

from nodes.ghl.client import GhlClient, StaticToken
from nodes.ghl.errors import GhlError, GhlScopeMissing, GhlUnauthorized
from nodes.ghl.settings import base_url, settings


def describe_location(client: GhlClient, location_id: str) -> dict[str, Any]:
    """{"ok", "message", "location": {"id", "name"}}. A missing scope still proves the token
    works, so the fallback is a call that needs only `opportunities.readonly`."""
    if not location_id:
        return {"ok": False, "message": "The connection has no location id.", "location": None}
    location: dict[str, Any] = {"id": location_id, "name": None}
    try:
        body = client.request("GET", f"/locations/{location_id}", version="2021-07-28").body
        found = body.get("location") if isinstance(body, dict) else None
        if isinstance(found, dict):
            location = {"id": found.get("id") or location_id, "name": found.get("name")}
    except GhlScopeMissing:
        try:
            client.request("GET", "/opportunities/pipelines", version="2021-07-28",
                           query={"locationId": location_id})
        except GhlScopeMissing:
            pass  # the token is accepted; it just may not read locations or opportunities
        except GhlError as err:
            return _failed(err)
    except GhlError as err:
        return _failed(err)
    name = location["name"] or location["id"]
    return {"ok": True, "message": f"Connected to HighLevel location {name}.",
            "location": location}


def _failed(err: GhlError) -> dict[str, Any]:
    if isinstance(err, GhlUnauthorized):
        return {"ok": False, "location": None,
                "message": f"HighLevel refused the token: {err.ghl_message}"}
    return {"ok": False, "location": None, "message": err.message}


def compare_scopes(granted: list[str] | None, needed: set[str]) -> dict[str, Any]:
    """Granted versus needed; `granted` None means the token does not tell (a PIT whose
    owner did not list its scopes)."""
    return {
        "granted": granted,
        "needed": sorted(needed),
        "missing": None if granted is None else sorted(needed - set(granted)),
    }


def probe(data: dict[str, Any]) -> str | None:
    """`CredentialKind.test` for a PIT: None when HighLevel accepts it, else a sentence."""
    from server.netguard import OutboundGuard

    guard = OutboundGuard()  # the connection form must not become a way to reach metadata
    config = replace(settings(), max_attempts=2, timeout_s=15)
    with httpx.Client(event_hooks={"request": [guard.check_request]}) as http:
        client = GhlClient(http, str(data.get("base_url") or base_url()),
                           StaticToken(str(data.get("token", ""))), config=config)
        try:
            result = describe_location(client, str(data.get("location_id", "")))
        except Exception as err:  # a refused address (guard) or a broken URL
            return f"cannot reach HighLevel: {err}"
    return None if result["ok"] else str(result["message"])
