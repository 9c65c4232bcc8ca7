"""The sandbox's own controls, under /_sandbox/ only: reset, faults, webhooks, tokens, OAuth apps,
stats, keys, limits, the clock, extra locations, uploaded media. Never rate limited, faulted or
counted.

Errors here are `application/problem+json` (RFC 9457), like the rest of Flowlane's own API.
"""

from __future__ import annotations

from typing import Any

from flask import Blueprint, Response, current_app, jsonify, request

from sandbox.ids import new_id
from sandbox.options import DEMO_CLIENT_ID, DEMO_CLIENT_SECRET
from sandbox.seed import seed_location
from sandbox.state import SandboxState

bp = Blueprint("sandbox_admin", __name__, url_prefix="/_sandbox")


class AdminError(Exception):
    def __init__(self, detail: str, status: int = 400) -> None:
        super().__init__(detail)
        self.detail, self.status = detail, status


@bp.errorhandler(AdminError)
def _admin_error(err: AdminError) -> Response:
    response = jsonify({"type": "about:blank", "title": "Bad Request", "status": err.status,
                        "detail": err.detail})
    response.status_code = err.status
    response.mimetype = "application/problem+json"
    return response


def _state() -> SandboxState:
    return current_app.extensions["sandbox"]  # type: ignore[no-any-return]


def _body() -> dict[str, Any]:
    body = request.get_json(silent=True, force=True) if request.get_data() else {}
    if not isinstance(body, dict):
        raise AdminError("the body must be a JSON object")
    return body


@bp.get("")
@bp.get("/")
def info() -> dict[str, Any]:
    state = _state()
    base = request.host_url.rstrip("/")
    return {
        "baseUrl": base,
        "locationId": state.location_id,
        "companyId": state.company_id,
        "token": state.token,
        "oauth": {
            "clientId": DEMO_CLIENT_ID,
            "clientSecret": DEMO_CLIENT_SECRET,
            "authorizeUrl": f"{base}/oauth/chooselocation",
            "tokenUrl": f"{base}/oauth/token",
        },
        "limits": _limits(state),
        "webhookUrls": state.hub.urls,
        "keysUrl": f"{base}/_sandbox/keys",
    }


@bp.post("/reset")
def reset() -> dict[str, Any]:
    body = _body()
    _state().reset(seed=_int(body, "seed"), opportunities=_int(body, "opportunities"))
    return {"reset": True, "opportunities": len(_state().crm.opportunities)}


@bp.route("/faults", methods=["GET", "POST", "DELETE"])
def faults() -> dict[str, Any]:
    state = _state()
    if request.method == "DELETE":
        state.faults.reset()
    elif request.method == "POST":
        try:
            return state.faults.configure(_body())
        except (TypeError, ValueError) as err:
            raise AdminError(str(err)) from None
    return state.faults.settings()


@bp.route("/webhooks", methods=["GET", "POST", "DELETE"])
def webhooks() -> dict[str, Any]:
    state = _state()
    if request.method == "POST":
        body = _body()
        urls = body.get("urls", [body["url"]] if body.get("url") else [])
        if not isinstance(urls, list) or not all(
            isinstance(u, str) and u.startswith(("http://", "https://")) for u in urls
        ):
            raise AdminError("urls must be a list of http(s) URLs")
        state.hub.set_urls(urls)
    elif request.method == "DELETE":
        state.hub.clear()
    return {"urls": state.hub.urls, "events": state.hub.events(),
            "deliveries": state.hub.deliveries()}


@bp.route("/tokens", methods=["GET", "POST"])
def tokens() -> tuple[dict[str, Any], int] | dict[str, Any]:
    state = _state()
    if request.method == "GET":
        return {"tokens": [g.public() for g in state.auth.tokens.values() if g.kind == "pit"]}
    body = _body()
    scopes = _scopes(state, body.get("scopes"))
    agency = body.get("userType") == "Company" or body.get("agency") is True
    location_id = None if agency else (body.get("locationId") or state.location_id)
    with state.lock:
        if location_id is not None and location_id not in state.crm.locations:
            raise AdminError(f"unknown location {location_id}")
        grant = state.auth.mint_pit(company_id=state.company_id, location_id=location_id,
                                    scopes=scopes)
    return grant.public(), 201


@bp.route("/apps", methods=["GET", "POST"])
def apps() -> tuple[dict[str, Any], int] | dict[str, Any]:
    state = _state()
    if request.method == "GET":
        return {"apps": [a.public() for a in state.auth.apps.values()]}
    body = _body()
    redirect_uris = body.get("redirectUris", body.get("redirect_uris", []))
    if not isinstance(redirect_uris, list):
        raise AdminError("redirectUris must be a list")
    scopes = _scopes(state, body["scopes"]) if body.get("scopes") else None
    app = state.auth.register_app(str(body.get("name") or "Sandbox app"),
                                  redirect_uris=redirect_uris, scopes=scopes)
    return app.public(), 201


@bp.route("/stats", methods=["GET", "DELETE"])
def stats() -> dict[str, Any]:
    state = _state()
    if request.method == "DELETE":
        state.stats.reset()
    return {**state.stats.snapshot(), "limits": _limits(state),
            "buckets": state.limiter.snapshot(),
            "webhooks": {"queued": sum(1 for d in state.hub.deliveries()
                                       if d["state"] == "pending")}}


@bp.get("/media")
def media() -> dict[str, Any]:
    """Files uploaded through POST /medias/upload-file: name, size, checksum, location."""
    with _state().lock:
        return {"media": list(_state().crm.media.values())}


@bp.get("/media/<file_id>")
def media_file(file_id: str) -> dict[str, Any]:
    """One upload, at the `url` the upload answered with."""
    with _state().lock:
        found = _state().crm.media.get(file_id)
    if found is None:
        raise AdminError(f"No uploaded file {file_id}", 404)
    return found


@bp.get("/keys")
def keys() -> dict[str, Any]:
    return _state().keys.public_keys()


@bp.route("/limits", methods=["GET", "POST"])
def limits() -> dict[str, Any]:
    state = _state()
    if request.method == "POST":
        body = _body()
        try:
            limit = int(body["rateLimit"]) if "rateLimit" in body else None
            window = float(body["rateWindow"]) if "rateWindow" in body else None
            daily = int(body["dailyLimit"]) if "dailyLimit" in body else None
        except (TypeError, ValueError):
            raise AdminError("rateLimit, rateWindow and dailyLimit must be numbers") from None
        if any(v is not None and v <= 0 for v in (limit, window, daily)):
            raise AdminError("limits must be positive")
        state.limiter.configure(limit=limit, window=window, daily=daily)
        state.limiter.reset()
    return _limits(state)


@bp.route("/clock", methods=["GET", "POST"])
def clock() -> dict[str, Any]:
    state = _state()
    if request.method == "POST":
        body = _body()
        try:
            state.clock.advance(float(body.get("advance", 0)))
        except (TypeError, ValueError):
            raise AdminError("advance must be a number of seconds") from None
    return {"offset": state.clock.offset, "now": state.clock.iso()}


@bp.post("/locations")
def add_location() -> tuple[dict[str, Any], int]:
    """Another location of the agency, seeded like the first (for per-location limits)."""
    state = _state()
    body = _body()
    location_id = str(body.get("id") or new_id())
    with state.lock:
        if location_id in state.crm.locations:
            raise AdminError(f"location {location_id} exists")
        location = seed_location(
            state.crm,
            seed=state.options.seed,
            location_id=location_id,
            company_id=state.company_id,
            name=str(body.get("name") or f"Sandbox location {len(state.crm.locations) + 1}"),
            opportunities=_int(body, "opportunities") or 0,
            users=_int(body, "users") or 2,
        )
    return {"id": location["id"], "name": location["name"]}, 201


def _limits(state: SandboxState) -> dict[str, Any]:
    limiter = state.limiter
    return {"rateLimit": limiter.limit, "rateWindow": limiter.window,
            "dailyLimit": limiter.daily_limit}


def _int(body: dict[str, Any], name: str) -> int | None:
    if body.get(name) is None:
        return None
    try:
        value = int(body[name])
    except (TypeError, ValueError):
        raise AdminError(f"{name} must be a whole number") from None
    if value < 0:
        raise AdminError(f"{name} must not be negative")
    return value


def _scopes(state: SandboxState, value: Any) -> frozenset[str]:
    if value is None:
        return state.catalogue.all_scopes
    if isinstance(value, str):
        value = value.split()
    if not isinstance(value, list):
        raise AdminError("scopes must be a list of scope names")
    unknown = sorted(set(value) - state.catalogue.all_scopes)
    if unknown:
        raise AdminError(f"unknown scope(s): {', '.join(unknown)}")
    return frozenset(value)
