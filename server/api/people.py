"""/api/users, /api/tokens, /api/audit: people and their roles (admins), one's own API
tokens, and the audit log (admins)."""

from __future__ import annotations

from typing import Any

from flask import Blueprint, g, request
from sqlalchemy import select

from server import audit
from server.api.base import db, doc, int_arg, json_body, services
from server.auth import sessions, tokens, users
from server.auth.permissions import Permission, requires
from server.db import ApiToken, AuditEntry, User
from server.db.models import MAX_ID
from server.errors import Conflict, Forbidden, NotFound

bp = Blueprint("people", __name__, url_prefix="/api")

ROLES = ["viewer", "editor", "admin", "owner"]
CREATE_USER = {
    "type": "object",
    "required": ["email", "role"],
    "properties": {
        "email": {"type": "string", "minLength": 3, "maxLength": 320},
        "name": {"type": "string", "maxLength": 200},
        "role": {"enum": ROLES},
        "password": {"type": "string", "maxLength": 1000,
                     "description": "Leave out to generate one, shown once and to be changed."},
    },
}
UPDATE_USER = {
    "type": "object",
    "properties": {"name": {"type": "string", "maxLength": 200}, "role": {"enum": ROLES},
                   "disabled": {"type": "boolean"}},
}
CREATE_TOKEN = {"type": "object", "required": ["name"],
                "properties": {"name": {"type": "string", "minLength": 1, "maxLength": 200}}}


@bp.get("/users")
@requires(Permission.PEOPLE)
@doc("Everyone who can sign in", tag="people")
def list_users() -> dict[str, Any]:
    return {"users": [users.describe(u) for u in db().scalars(select(User).order_by(User.id))]}


@bp.post("/users")
@requires(Permission.PEOPLE)
@doc("Add a person; a generated password is shown once", tag="people", body=CREATE_USER,
     responses={201: "Created", 403: "Only owners make owners", 409: "Email taken"})
def create_user() -> tuple[dict[str, Any], int]:
    body = json_body(CREATE_USER)
    if body["role"] == "owner" and g.user.role != "owner":
        raise Forbidden("Only an owner can make someone an owner.")
    user, generated = users.create(db(), body["email"], body["role"], body.get("password"),
                                   body.get("name", ""))
    audit.record(db(), "created", "user", user.id, email=user.email, role=user.role)
    db().commit()
    return {"user": users.describe(user), "generated_password": generated}, 201


@bp.put("/users/<int:user_id>")
@requires(Permission.PEOPLE)
@doc("Change a person's name, role, or disable them", tag="people", body=UPDATE_USER,
     responses={200: "Saved", 403: "Only owners change owners", 404: "Not found"})
def update_user(user_id: int) -> dict[str, Any]:
    body = json_body(UPDATE_USER)
    user = users.get(db(), user_id)
    if "role" in body and body["role"] != user.role:
        users.change_role(db(), g.user, user, body["role"])
    if "name" in body:
        user.name = body["name"]
    if body.get("disabled") is not None and body["disabled"] != user.disabled:
        if user.id == g.user.id:
            raise Conflict("You cannot disable yourself.")
        if body["disabled"]:
            users.check_owner_removal(db(), g.user, user)
        user.disabled = body["disabled"]
        if user.disabled:
            sessions.end_all(services().redis, user.id)
    audit.record(db(), "changed", "user", user.id, **{k: v for k, v in body.items()})
    db().commit()
    return users.describe(user)


@bp.delete("/users/<int:user_id>")
@requires(Permission.PEOPLE)
@doc("Remove a person (their tokens go too)", tag="people",
     responses={204: "Deleted", 404: "Not found", 409: "Not yourself, not the last owner"})
def delete_user(user_id: int) -> tuple[str, int]:
    user = users.get(db(), user_id)
    if user.id == g.user.id:
        raise Conflict("You cannot delete yourself.")
    users.check_owner_removal(db(), g.user, user)
    sessions.end_all(services().redis, user.id)
    audit.record(db(), "deleted", "user", user.id, email=user.email)
    db().delete(user)
    db().commit()
    return "", 204


@bp.get("/tokens")
@requires(Permission.READ)
@doc("My API tokens (never the tokens themselves)", tag="people")
def list_tokens() -> dict[str, Any]:
    rows = db().scalars(select(ApiToken).where(ApiToken.user_id == g.user.id)
                        .order_by(ApiToken.id))
    return {"tokens": [_token(t) for t in rows]}


@bp.post("/tokens")
@requires(Permission.READ)
@doc("Create an API token; it is shown once", tag="people", body=CREATE_TOKEN,
     responses={201: "Created"})
def create_token() -> tuple[dict[str, Any], int]:
    body = json_body(CREATE_TOKEN)
    token, plain = tokens.issue(db(), g.user, body["name"])
    audit.record(db(), "created", "api_token", token.id, name=token.name)
    db().commit()
    return {**_token(token), "token": plain}, 201


@bp.delete("/tokens/<int:token_id>")
@requires(Permission.READ)
@doc("Revoke one of my API tokens", tag="people", responses={204: "Revoked", 404: "Not found"})
def revoke_token(token_id: int) -> tuple[str, int]:
    token = db().get(ApiToken, token_id)
    if token is None or token.user_id != g.user.id:
        raise NotFound(f"You have no token {token_id}.")
    tokens.revoke(token)
    audit.record(db(), "revoked", "api_token", token.id, name=token.name)
    db().commit()
    return "", 204


@bp.get("/audit")
@requires(Permission.PEOPLE)
@doc("The audit log, newest first", tag="people",
     query={"limit": "1-500", "before": "an entry id", "target_type": "workflow, run, ..."})
def audit_log() -> dict[str, Any]:
    query = select(AuditEntry).order_by(AuditEntry.id.desc())
    before = int_arg("before", 0, 0, MAX_ID)
    if before:
        query = query.where(AuditEntry.id < before)
    target_type = request.args.get("target_type")
    if target_type:
        query = query.where(AuditEntry.target_type == target_type)
    entries = db().scalars(query.limit(int_arg("limit", 100, 1, 500)))
    return {"entries": [{
        "id": e.id, "at": e.at.isoformat() + "Z", "actor": e.actor, "action": e.action,
        "target_type": e.target_type, "target_id": e.target_id, "detail": e.detail, "ip": e.ip,
    } for e in entries]}


def _token(token: ApiToken) -> dict[str, Any]:
    def iso(value: Any) -> str | None:
        return value.isoformat() + "Z" if value else None

    return {"id": token.id, "name": token.name, "prefix": token.prefix,
            "created_at": iso(token.created_at), "last_used_at": iso(token.last_used_at),
            "revoked_at": iso(token.revoked_at)}
