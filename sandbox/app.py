"""`create_app`: one sandbox as a Flask app. Nothing is built at import time."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from flask import Flask, Response, g, request

from sandbox import errors
from sandbox.api import Api
from sandbox.options import SandboxOptions
from sandbox.routes import (
    admin,
    appointments,
    calendars,
    contact_search,
    contacts,
    custom_fields,
    locations,
    medias,
    notes,
    oauth,
    opportunities,
    opportunity_search,
    pipelines,
    tasks,
    users,
)
from sandbox.state import SandboxState

OPERATION_SETS = (
    opportunities.ops, opportunity_search.ops, pipelines.ops, contacts.ops, contact_search.ops,
    notes.ops, tasks.ops, calendars.ops, appointments.ops, users.ops, locations.ops,
    custom_fields.ops, oauth.ops, medias.ops,
)
ADMIN_PREFIX = "/_sandbox"


def create_app(
    state: SandboxState | None = None,
    *,
    options: SandboxOptions | Mapping[str, Any] | None = None,
) -> Flask:
    """Build one sandbox app around `state` (or a fresh state from `options`)."""
    if state is None:
        state = SandboxState(SandboxOptions.coerce(options))
    elif options is not None:
        raise TypeError("pass either a state or options, not both")
    app = Flask(__name__)
    app.json.sort_keys = False  # type: ignore[attr-defined]
    app.extensions["sandbox"] = state
    errors.init_app(app)
    app.register_blueprint(admin.bp)
    app.register_blueprint(oauth.bp)
    Api(state, OPERATION_SETS).init_app(app)

    @app.after_request
    def _account(response: Response) -> Response:
        """Rate-limit headers on every answer to an authenticated call, and the stats."""
        if request.path.startswith(ADMIN_PREFIX):
            return response
        for name, value in (g.get("rate_headers") or {}).items():
            response.headers[name] = value
        fault = g.get("fault")
        if fault:
            response.headers["X-Sandbox-Fault"] = fault
        state.stats.record(
            status=response.status_code,
            operation=g.get("operation"),
            location=g.get("location"),
            rate_limited=bool(g.get("rate_limited")),
            fault=fault,
        )
        return response

    return app
