"""/api/settings: Flowlane-wide settings (run retention, ...), with their form."""

from __future__ import annotations

from typing import Any

from flask import Blueprint

from server import audit, settings
from server.api.base import db, doc, json_body, services
from server.auth.permissions import Permission, requires

bp = Blueprint("settings", __name__, url_prefix="/api/settings")


@bp.get("")
@requires(Permission.READ)
@doc("Current settings, and the schema of the form that edits them", tag="settings")
def get() -> dict[str, Any]:
    return {"settings": settings.current(db(), services().config), "schema": settings.SCHEMA}


@bp.put("")
@requires(Permission.SETTINGS)
@doc("Change settings (admins)", tag="settings", body=settings.SCHEMA,
     responses={200: "Saved", 422: "Invalid"})
def put() -> dict[str, Any]:
    changes = json_body(settings.SCHEMA)
    settings.update(db(), changes)
    audit.record(db(), "changed", "settings", None, **changes)
    db().commit()
    return {"settings": settings.current(db(), services().config), "schema": settings.SCHEMA}
