"""The gate every request passes: who is calling (a session cookie or an API token), may
they call this route, is a cookie-carried change protected against CSRF; and the security
headers every response carries."""

from __future__ import annotations

from typing import Any

from flask import Flask, Response, g, request, session
from flask_wtf.csrf import CSRFProtect
from sqlalchemy import update

from server.auth import sessions, tokens
from server.auth.permissions import allowed, permission_of
from server.db import ApiToken, User
from server.db.models import utcnow
from server.errors import BadRequest, Forbidden, Unauthorized

SAFE_METHODS = {"GET", "HEAD", "OPTIONS"}
#: What someone whose password must change may still call.
DURING_PASSWORD_CHANGE = {"auth.me", "auth.change_password", "auth.logout"}

CONTENT_SECURITY_POLICY = "; ".join([
    "default-src 'self'",
    "script-src 'self'",
    "style-src 'self' 'unsafe-inline'",  # React Flow positions nodes with inline styles
    "img-src 'self' data: blob:",
    "font-src 'self' data:",
    "connect-src 'self' ws: wss:",
    "frame-ancestors 'none'",
    "base-uri 'self'",
    "form-action 'self'",
    "object-src 'none'",
])

csrf = CSRFProtect()


def authenticate(db: Any, redis: Any, auth: dict[str, Any] | None = None) -> tuple[
        User | None, str | None]:
    """The caller and how they proved it: ("token" | "session"), or (None, None).

    A token that is present but wrong is an error, not an anonymous call: a script with a
    revoked token should be told so.
    """
    header = request.headers.get("Authorization", "")
    plain = header[7:].strip() if header.lower().startswith("bearer ") else None
    if plain is None and auth and isinstance(auth.get("token"), str):
        plain = auth["token"]
    if plain is not None:
        token = tokens.find(db, plain)
        if token is None or token.user.disabled:
            raise Unauthorized("The API token is not valid: it is mistyped or revoked.")
        _touch(db, token)
        return token.user, "token"
    session_id = session.get("sid")
    if isinstance(session_id, str):
        user_id = sessions.user_of(redis, session_id)
        if user_id is not None:
            user = db.get(User, user_id)
            if user is not None and not user.disabled:
                return user, "session"
    return None, None


def _touch(db: Any, token: ApiToken) -> None:
    """Note when a token was last used (at most once a minute: not a write per request)."""
    now = utcnow()
    if token.last_used_at is None or (now - token.last_used_at).total_seconds() > 60:
        db.execute(update(ApiToken).where(ApiToken.id == token.id).values(last_used_at=now))
        db.commit()


def init_app(app: Flask, secure_cookies: bool) -> None:
    from server.api.base import db, services

    app.config.update(
        SESSION_COOKIE_NAME="flowlane_session",
        SESSION_COOKIE_HTTPONLY=True,
        SESSION_COOKIE_SAMESITE="Lax",
        SESSION_COOKIE_SECURE=secure_cookies,
        WTF_CSRF_CHECK_DEFAULT=False,  # checked below, for cookie-carried changes only
        WTF_CSRF_TIME_LIMIT=None,      # lives as long as the session
        WTF_CSRF_SSL_STRICT=False,
    )
    csrf.init_app(app)

    @app.before_request
    def refuse_nul_characters() -> None:
        """No database stores a NUL character in text: refuse it up front, clearly."""
        if not request.path.startswith(("/api/", "/webhook/", "/hooks/")):
            return
        if "\x00" in request.path or any("\x00" in k or "\x00" in v
                                           for k, v in request.args.items(multi=True)):
            raise BadRequest("The address holds a NUL character, which Flowlane refuses.")
        if request.is_json and b"\\u0000" in request.get_data(cache=True):
            raise BadRequest("The JSON body holds a NUL character (\\u0000), which Flowlane "
                             "refuses.")

    @app.before_request
    def guard() -> None:
        g.user, g.auth = None, None
        if request.endpoint is None or not request.path.startswith("/api/"):
            return  # the app shell, static files, webhooks: public, they check themselves
        view = app.view_functions[request.endpoint]
        permission = permission_of(view)
        g.user, g.auth = authenticate(db(), services().redis)
        if permission is None:
            return
        if g.user is None:
            raise Unauthorized("Sign in first, or send an API token as 'Authorization: "
                               "Bearer <token>'.")
        if g.auth == "session" and request.method not in SAFE_METHODS:
            csrf.protect()
        if g.user.must_change_password and request.endpoint not in DURING_PASSWORD_CHANGE:
            raise Forbidden("Choose a new password first (POST /api/auth/password).")
        if not allowed(g.user.role, permission):
            raise Forbidden(f"Your role ({g.user.role}) cannot do this: it needs the "
                            f"'{permission}' permission.")

    @app.after_request
    def security_headers(response: Response) -> Response:
        headers = response.headers
        headers.setdefault("X-Content-Type-Options", "nosniff")
        headers.setdefault("X-Frame-Options", "DENY")
        headers.setdefault("Referrer-Policy", "same-origin")
        headers.setdefault("Cross-Origin-Opener-Policy", "same-origin")
        headers.setdefault("Content-Security-Policy", CONTENT_SECURITY_POLICY)
        if secure_cookies:
            headers.setdefault("Strict-Transport-Security", "max-age=31536000")
        if request.path.startswith("/api/"):
            headers.setdefault("Cache-Control", "no-store")
        return response
