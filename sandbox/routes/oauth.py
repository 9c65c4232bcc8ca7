"""OAuth 2.0: the consent page (GET/POST /oauth/chooselocation) and the spec's token endpoints.

The consent page stands in for marketplace.gohighlevel.com: it shows the app and the scopes it
asks for, lets the user pick the location (or the agency), and on Approve redirects to the
app's `redirect_uri` with `code` and the caller's `state`. Headless clients may POST the same
fields with `decision=approve`; `auto_approve` skips the page entirely.
"""

from __future__ import annotations

import html
from typing import Any
from urllib.parse import urlencode

from flask import Blueprint, current_app, redirect, request
from werkzeug.wrappers import Response

from sandbox.api import Call, Operations
from sandbox.auth import Consent, OAuthApp
from sandbox.errors import ApiError, unprocessable
from sandbox.state import SandboxState

ops = Operations("oauth")
bp = Blueprint("oauth_consent", __name__)


@ops.route("POST", "/oauth/token")
def token(call: Call) -> dict[str, Any]:
    body = call.body
    auth = call.state.auth
    grant_type = body["grant_type"]
    if grant_type == "authorization_code":
        if not body.get("code"):
            raise unprocessable(["code should not be empty"])
        return auth.exchange_code(body["client_id"], body["client_secret"], body["code"],
                                  body.get("redirect_uri"))
    if grant_type == "refresh_token":
        if not body.get("refresh_token"):
            raise unprocessable(["refresh_token should not be empty"])
        return auth.refresh(body["client_id"], body["client_secret"], body["refresh_token"])
    raise ApiError(400, f"grant_type {grant_type} is not supported by the sandbox",
                   error="unsupported_grant_type")


@ops.route("POST", "/oauth/locationToken")
def location_token(call: Call) -> dict[str, Any]:
    assert call.grant is not None  # the gate requires an agency OAuth token here
    location = call.location(call.body["locationId"])
    return call.state.auth.location_token(call.grant, location["id"])


@ops.route("GET", "/oauth/installedLocations")
def installed_locations(call: Call) -> dict[str, Any]:
    grant = call.grant
    assert grant is not None
    locations = [loc for loc in call.crm.locations.values() if loc["companyId"] == grant.company_id]
    skip, limit = int(call.query.get("skip", 0)), int(call.query.get("limit", 20))
    return {
        "locations": [{"_id": loc["id"], "name": loc["name"], "address": loc.get("address", ""),
                       "isInstalled": True} for loc in locations[skip:skip + limit]],
        "count": len(locations),
        "installToFutureLocations": False,
    }


# -- the consent page ------------------------------------------------------------------------


def _state() -> SandboxState:
    return current_app.extensions["sandbox"]  # type: ignore[no-any-return]


@bp.get("/oauth/chooselocation")
@bp.get("/v2/oauth/chooselocation")
def choose_location() -> Response | tuple[str, int]:
    state = _state()
    params = request.args
    app, scopes, problem = _validate(state, params)
    if problem:
        return _page("Cannot authorize", f"<p class=error>{html.escape(problem)}</p>"), 400
    assert app is not None
    if state.options.auto_approve:
        return _approve(state, app, scopes, params, f"location:{state.location_id}")
    return _page(f"Connect {app.name}", _form(state, app, scopes, params)), 200


@bp.post("/oauth/chooselocation")
@bp.post("/v2/oauth/chooselocation")
def decide() -> Response | tuple[str, int]:
    state = _state()
    form = request.form
    app, scopes, problem = _validate(state, form)
    if problem:
        return _page("Cannot authorize", f"<p class=error>{html.escape(problem)}</p>"), 400
    assert app is not None
    if form.get("decision") != "approve":
        query = {"error": "access_denied", "error_description": "The user denied access"}
        if form.get("state"):
            query["state"] = form["state"]
        return redirect(_with_query(form["redirect_uri"], query), code=302)
    target = form.get("target") or f"location:{state.location_id}"
    return _approve(state, app, scopes, form, target)


def _validate(state: SandboxState, params: Any) -> tuple[OAuthApp | None, frozenset[str], str]:
    app = state.auth.apps.get(params.get("client_id", ""))
    if app is None:
        return None, frozenset(), "Unknown client_id: register the app first (POST /_sandbox/apps)."
    if params.get("response_type", "code") != "code":
        return None, frozenset(), "response_type must be code."
    redirect_uri = params.get("redirect_uri", "")
    if not redirect_uri or not app.accepts_redirect(redirect_uri):
        return None, frozenset(), f"redirect_uri {redirect_uri!r} is not registered for this app."
    scopes = frozenset(params.get("scope", "").replace(",", " ").split())
    if not scopes:
        return None, frozenset(), "No scope requested: pass scope as space-separated names."
    unknown = sorted(scopes - state.catalogue.all_scopes)
    if unknown:
        return None, frozenset(), f"Unknown scope(s): {', '.join(unknown)}."
    if app.scopes is not None and not scopes <= app.scopes:
        extra = ", ".join(sorted(scopes - app.scopes))
        return None, frozenset(), f"The app may not request: {extra}."
    return app, scopes, ""


def _approve(
    state: SandboxState, app: OAuthApp, scopes: frozenset[str], params: Any, target: str
) -> Response:
    with state.lock:
        if target == "company":
            location_id = None
            approved = [loc["id"] for loc in state.crm.locations.values()
                        if loc["companyId"] == state.company_id]
        else:
            location_id = target.removeprefix("location:")
            if location_id not in state.crm.locations:
                location_id = state.location_id
            approved = [location_id]
        admins = [u for u in state.crm.users.values()
                  if (location_id or state.location_id) in u["roles"]["locationIds"]]
        code = state.auth.issue_code(Consent(
            client_id=app.client_id,
            scopes=scopes,
            user_type="Location" if location_id else "Company",
            company_id=state.company_id,
            location_id=location_id,
            user_id=admins[0]["id"] if admins else "",
            redirect_uri=params["redirect_uri"],
            approved_locations=approved,
        ))
    query = {"code": code}
    if params.get("state"):
        query["state"] = params["state"]
    return redirect(_with_query(params["redirect_uri"], query), code=302)


def _with_query(uri: str, query: dict[str, str]) -> str:
    return f"{uri}{'&' if '?' in uri else '?'}{urlencode(query)}"


def _form(state: SandboxState, app: OAuthApp, scopes: frozenset[str], params: Any) -> str:
    hidden = "".join(
        f'<input type=hidden name="{name}" value="{html.escape(params.get(name, ""))}">'
        for name in ("client_id", "redirect_uri", "scope", "state", "response_type")
    )
    options = "".join(
        f'<option value="location:{html.escape(loc["id"])}">{html.escape(loc["name"])} '
        f"({html.escape(loc['id'])})</option>"
        for loc in state.crm.locations.values()
    )
    options += '<option value="company">The whole agency (Company token)</option>'
    scope_items = "".join(f"<li><code>{html.escape(s)}</code></li>" for s in sorted(scopes))
    return (
        f"<p><strong>{html.escape(app.name)}</strong> asks to access your account with these "
        f"scopes:</p><ul>{scope_items}</ul>"
        f'<form method=post>{hidden}<label>Sub-account <select name=target>{options}</select>'
        "</label><p><button name=decision value=approve>Approve</button> "
        "<button name=decision value=deny>Deny</button></p></form>"
    )


def _page(title: str, body: str) -> str:
    return (
        "<!doctype html><html><head><meta charset=utf-8>"
        f"<title>{html.escape(title)} · HighLevel sandbox</title>"
        "<style>body{font-family:system-ui,sans-serif;max-width:36rem;margin:3rem auto}"
        ".error{color:#b00}button{padding:.4rem 1rem}</style></head>"
        f"<body><h1>{html.escape(title)}</h1>{body}</body></html>"
    )

