"""HighLevel: the public webhook endpoint, OAuth connect and callback, Test connection, and
the option lists the editor's dropdowns load.

POST /hooks/ghl is public (HighLevel calls it) and checks signatures itself; the OAuth
callback is public too (HighLevel's page sends the browser there) and trusts only its
one-time `state`. Everything else needs a signed-in person.
"""

from __future__ import annotations

import html
import json
import secrets
from typing import Any

from flask import Blueprint, Response, redirect, request
from sqlalchemy import select
from werkzeug.wrappers import Response as BaseResponse

from nodes import registry
from nodes.ghl import options
from nodes.ghl.auth import OAUTH_KIND, authorize_url, exchange_code
from nodes.ghl.errors import GhlError
from nodes.ghl.host import host_for
from nodes.ghl.probe import compare_scopes, describe_location
from nodes.ghl.triggers import activation as _activation  # noqa: F401  registers the Activator
from nodes.ghl.triggers.inbox import receive
from server import audit, keys
from server.api.base import db, doc, services
from server.auth.permissions import Permission, public, requires
from server.credentials import get as get_credential
from server.db import Credential, Workflow, WorkflowVersion
from server.errors import BadRequest, Invalid, NotFound, TooLarge

bp = Blueprint("ghl", __name__)

#: How long a person has to approve on HighLevel's page (seconds).
STATE_TTL = 600
CALLBACK = "/api/ghl/oauth/callback"


@bp.post("/hooks/ghl")
@public
@doc("HighLevel webhook events (signed), for every location", tag="webhooks",
     responses={200: "Stored (or a duplicate)", 400: "Not JSON", 401: "Bad or no signature",
                413: "Too large", 429: "Not stored; send again"})
def hook() -> tuple[dict[str, Any], int]:
    svc = services()
    limit = svc.config.webhook_max_bytes
    if (request.content_length or 0) > limit:
        raise TooLarge(f"The body is larger than {limit} bytes.")
    raw = request.get_data(cache=False)
    if len(raw) > limit:
        raise TooLarge(f"The body is larger than {limit} bytes.")
    answer = receive(svc, raw, dict(request.headers))
    if answer.status >= 400:
        body = {"type": "about:blank", "status": answer.status, **answer.body}
        return body, answer.status
    return answer.body, answer.status


@bp.get("/api/options/<path:source>")
@requires(Permission.READ)
@doc("Choices for a HighLevel dropdown (pipelines, stages, users, custom fields, calendars)",
     tag="ghl", responses={200: "OK", 404: "No such source or connection", 422: "Bad input"})
def option_list(source: str) -> dict[str, Any]:
    if source not in options.SOURCES:
        raise NotFound(f"There is no option list {source!r} (known: "
                       f"{', '.join(sorted(options.SOURCES))}).")
    name = request.args.get("credential", "").strip()
    if not name:
        raise Invalid("Name the connection: ?credential=<connection name>.")
    host = host_for(services())
    try:
        connection = host.connection(name)
    except GhlError as err:
        raise NotFound(err.ghl_message) from None
    args = {k: v for k, v in request.args.items() if k not in ("credential", "refresh")}
    try:
        found = options.options(host, connection, source, args,
                                refresh=request.args.get("refresh") in ("1", "true"))
    except GhlError as err:
        raise Invalid(f"HighLevel could not list them: {err.ghl_message}",
                      status_from_ghl=err.status) from None
    return {"source": source, "options": found}


@bp.get("/api/connections/<int:credential_id>/authorize")
@requires(Permission.CONNECTIONS)
@doc("Connect an OAuth connection: redirects to HighLevel's authorization page", tag="ghl",
     responses={302: "To HighLevel", 404: "No such connection", 422: "Not an OAuth app"})
def authorize(credential_id: int) -> BaseResponse:
    svc = services()
    credential = get_credential(db(), credential_id)
    if credential.kind != OAUTH_KIND:
        raise Invalid("Only HighLevel OAuth connections are authorised this way.")
    state = secrets.token_urlsafe(32)
    svc.redis.set(keys.ghl_oauth_state(state), json.dumps({"credential_id": credential.id}),
                  ex=STATE_TTL)
    data = svc.vault.decrypt(credential.data)
    return redirect(authorize_url(data, svc.config.base_url + CALLBACK, state), code=302)


@bp.get(CALLBACK)
@public
@doc("Where HighLevel sends the browser after the person approved", tag="ghl",
     responses={200: "Connected", 400: "Unknown state, denied, or the exchange failed"})
def callback() -> Response:
    svc = services()
    state = request.args.get("state", "")
    stored = svc.redis.getdel(keys.ghl_oauth_state(state)) if state else None
    if stored is None:
        raise BadRequest("This authorization link is unknown or has expired (its state does "
                         "not match); start again from the connection.")
    if request.args.get("error"):
        raise BadRequest(f"HighLevel did not authorise the connection: "
                         f"{request.args.get('error_description') or request.args['error']}.")
    code = request.args.get("code", "")
    if not code:
        raise BadRequest("HighLevel sent no authorization code.")
    credential_id = int(json.loads(stored)["credential_id"])
    session = db()
    credential = session.get(Credential, credential_id)
    if credential is None:
        raise NotFound("The connection was deleted while it was being authorised.")
    data = svc.vault.decrypt(credential.data)
    try:
        changes = exchange_code(svc.http, data, code, svc.config.base_url + CALLBACK)
    except GhlError as err:
        raise BadRequest(f"HighLevel refused the authorization code: {err.ghl_message}") from None
    credential.data = svc.vault.encrypt({**data, **changes})
    audit.record(session, "authorised", "connection", credential.id, name=credential.name,
                 location=changes.get("location_id"), scopes=changes.get("granted_scopes"))
    session.commit()
    where = html.escape(str(changes.get("location_id") or changes.get("company_id") or ""))
    page = (f"<!doctype html><meta charset=utf-8><title>Connected</title><p>The connection "
            f"<b>{html.escape(credential.name)}</b> is connected to HighLevel location "
            f"<code>{where}</code>. You can close this window.</p>")
    return Response(page, mimetype="text/html")


@bp.post("/api/connections/<int:credential_id>/test")
@requires(Permission.CONNECTIONS)
@doc("Test a HighLevel connection: the location, and granted versus needed scopes",
     tag="ghl", responses={200: "Tested (see ok)", 404: "No such connection"})
def test_connection(credential_id: int) -> dict[str, Any]:
    credential = get_credential(db(), credential_id)
    host = host_for(services())
    try:
        connection = host.connection_by_id(credential.id)
    except GhlError as err:
        raise Invalid(err.ghl_message) from None
    try:
        result = describe_location(host.client(connection), connection.location_id)
    except GhlError as err:
        result = {"ok": False, "message": err.message, "location": None}
    needed, used_by = needed_scopes(connection.name)
    return {**result, "scopes": compare_scopes(connection.granted_scopes(), needed),
            "workflows": used_by}


def needed_scopes(credential_name: str) -> tuple[set[str], list[dict[str, Any]]]:
    """The scopes the nodes using this connection need, in current and active versions."""
    needed: set[str] = set()
    used_by: list[dict[str, Any]] = []
    session = db()
    for workflow in session.scalars(select(Workflow)):
        documents = [v.document for v in (workflow.current_version, workflow.active_version)
                     if isinstance(v, WorkflowVersion)]
        scopes: set[str] = set()
        for document in documents:
            for node in document.get("nodes", []):
                if node.get("credential") != credential_name:
                    continue
                spec = registry.get(str(node.get("type")))
                if spec is not None:
                    scopes.update(spec.meta.get("scopes") or [])
        if scopes:
            needed |= scopes
            used_by.append({"id": workflow.id, "name": workflow.name, "scopes": sorted(scopes)})
    return needed, used_by
