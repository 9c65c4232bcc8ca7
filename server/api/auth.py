"""/api/auth: sign in and out, who am I, change my password."""

from __future__ import annotations

from typing import Any

from flask import Blueprint, g, request, session
from flask_wtf.csrf import generate_csrf

from server import audit
from server.api.base import db, doc, json_body, services
from server.auth import passwords, sessions, throttle, users
from server.auth.permissions import Permission, public, requires
from server.db.models import utcnow
from server.errors import Unauthorized

bp = Blueprint("auth", __name__, url_prefix="/api/auth")

LOGIN_BODY = {
    "type": "object",
    "required": ["email", "password"],
    "properties": {"email": {"type": "string", "minLength": 1, "maxLength": 320},
                   "password": {"type": "string", "minLength": 1, "maxLength": 1000}},
}
PASSWORD_BODY = {
    "type": "object",
    "required": ["current_password", "new_password"],
    "properties": {"current_password": {"type": "string", "maxLength": 1000},
                   "new_password": {"type": "string", "maxLength": 1000}},
}


def _me() -> dict[str, Any]:
    return {"user": users.describe(g.user), "csrf_token": generate_csrf()}


@bp.post("/login")
@public
@doc("Sign in with email and password; sets the session cookie", tag="auth", body=LOGIN_BODY,
     responses={200: "Signed in", 401: "Wrong email or password", 429: "Too many tries"})
def login() -> dict[str, Any]:
    body = json_body(LOGIN_BODY)
    address = request.remote_addr or "unknown"
    redis = services().redis
    throttle.check(redis, address, body["email"])
    user = users.by_email(db(), body["email"])
    if user is None or user.disabled or not passwords.verify(
            user.password_hash if user else None, body["password"]):
        throttle.failed(redis, address, body["email"])
        raise Unauthorized("Wrong email or password.")
    throttle.succeeded(redis, body["email"])
    session.clear()
    session["sid"] = sessions.create(redis, user.id)
    user.last_login_at = utcnow()
    g.user = user
    audit.record(db(), "signed_in", "user", user.id)
    db().commit()
    return _me()


@bp.post("/logout")
@public
@doc("Sign out: the session ends on the server too", tag="auth")
def logout() -> tuple[str, int]:
    session_id = session.get("sid")
    if isinstance(session_id, str):
        sessions.end(services().redis, session_id)
    session.clear()
    return "", 204


@bp.get("/me")
@requires(Permission.READ)
@doc("The signed-in user, and the CSRF token for changes made with the session cookie",
     tag="auth", responses={200: "OK", 401: "Not signed in"})
def me() -> dict[str, Any]:
    return _me()


@bp.post("/password")
@requires(Permission.READ)
@doc("Change my password (signs out my other sessions)", tag="auth", body=PASSWORD_BODY,
     responses={200: "Changed", 401: "Wrong current password", 422: "Too weak"})
def change_password() -> dict[str, Any]:
    body = json_body(PASSWORD_BODY)
    user = g.user
    if not passwords.verify(user.password_hash, body["current_password"]):
        raise Unauthorized("The current password is wrong.")
    users.set_password(user, body["new_password"])
    audit.record(db(), "changed_password", "user", user.id)
    db().commit()
    redis = services().redis
    sessions.end_all(redis, user.id)
    if g.auth == "session":
        session["sid"] = sessions.create(redis, user.id)
    return _me()
