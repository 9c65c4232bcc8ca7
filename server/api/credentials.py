"""/api/credentials: connections, their secrets write-only."""

from __future__ import annotations

from typing import Any

from flask import Blueprint
from sqlalchemy import select

from server import audit, credentials
from server.api.base import db, doc, json_body, services
from server.auth.permissions import Permission, requires
from server.db import Credential

bp = Blueprint("credentials", __name__, url_prefix="/api/credentials")

CREATE_BODY = {
    "type": "object",
    "required": ["name", "kind", "data"],
    "properties": {
        "name": {"type": "string", "minLength": 1, "maxLength": 200},
        "kind": {"type": "string", "minLength": 1},
        "data": {"type": "object"},
    },
}
UPDATE_BODY = {
    "type": "object",
    "properties": {
        "name": {"type": "string", "minLength": 1, "maxLength": 200},
        "data": {"type": "object", "description": "Fields to change; a secret left out is kept."},
    },
}


def _show(credential: Credential) -> dict[str, Any]:
    return credentials.describe(credential, services().vault.decrypt(credential.data))


@bp.get("")
@requires(Permission.READ)
@doc("Every connection, secrets masked", tag="credentials")
def list_credentials() -> dict[str, Any]:
    rows = db().scalars(select(Credential).order_by(Credential.name))
    return {"credentials": [_show(c) for c in rows]}


@bp.post("")
@requires(Permission.CONNECTIONS)
@doc("Create a connection", tag="credentials", body=CREATE_BODY,
     responses={201: "Created", 409: "Name taken", 422: "Invalid"})
def create() -> tuple[dict[str, Any], int]:
    body = json_body(CREATE_BODY)
    credential = credentials.create(services(), db(), body["name"], body["kind"], body["data"])
    audit.record(db(), "created", "connection", credential.id, name=credential.name,
                 kind=credential.kind)
    db().commit()
    return _show(credential), 201


@bp.get("/<int:credential_id>")
@requires(Permission.READ)
@doc("One connection, secrets masked", tag="credentials", responses={200: "OK", 404: "Not found"})
def get(credential_id: int) -> dict[str, Any]:
    return _show(credentials.get(db(), credential_id))


@bp.put("/<int:credential_id>")
@requires(Permission.CONNECTIONS)
@doc("Rename a connection or change its fields", tag="credentials", body=UPDATE_BODY,
     responses={200: "Saved", 404: "Not found", 409: "Name taken", 422: "Invalid"})
def update(credential_id: int) -> dict[str, Any]:
    body = json_body(UPDATE_BODY)
    credential = credentials.update(services(), db(), credentials.get(db(), credential_id),
                                    body.get("name"), body.get("data"))
    audit.record(db(), "changed", "connection", credential.id, name=credential.name,
                 fields=sorted((body.get("data") or {}).keys()))
    db().commit()
    return _show(credential)


@bp.delete("/<int:credential_id>")
@requires(Permission.CONNECTIONS)
@doc("Delete a connection", tag="credentials", responses={204: "Deleted", 404: "Not found"})
def delete(credential_id: int) -> tuple[str, int]:
    credential = credentials.get(db(), credential_id)
    audit.record(db(), "deleted", "connection", credential.id, name=credential.name)
    db().delete(credential)
    db().commit()
    return "", 204
