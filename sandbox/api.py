"""The API door: every request is matched to a spec operation, checked, then answered.

Checks run in the order a client meets them: unknown path (404), injected faults, the bearer
token (401), the rate limit (429), the `Version` header (400), the token's kind and scopes (401),
access to the location named in the request (401), then the query and body against the spec
(422). A modelled operation's handler then runs under the state lock; any other operation gets
a placeholder shaped by its response schema.
"""

from __future__ import annotations

import time
from collections.abc import Callable, Iterable
from typing import Any

from flask import Flask, Response, g, jsonify, request

from sandbox import errors
from sandbox.auth import Grant
from sandbox.crm import Crm, Record
from sandbox.errors import ApiError, bad_request, not_found, too_many_requests, unprocessable
from sandbox.options import KNOWN_VERSIONS
from sandbox.placeholders import placeholder
from sandbox.spec import JSON, Operation
from sandbox.state import SandboxState
from sandbox.validation import check_body, check_query

NO_ACCESS = "The token does not have access to this location."
WRONG_AUTH_CLASS = (
    "This authClass type is not allowed to access this scope. "
    "Please reach out to the Platform team to get it added."
)


Handler = Callable[["Call"], Any]


class Operations:
    """Handlers for spec operations, keyed by method and spec path: a Blueprint for the API."""

    def __init__(self, name: str) -> None:
        self.name = name
        self.handlers: dict[str, Handler] = {}

    def route(self, method: str, path: str) -> Callable[[Handler], Handler]:
        def register(handler: Handler) -> Handler:
            self.handlers[f"{method} {path}"] = handler
            return handler

        return register


class Call:
    """One checked request, as a handler sees it."""

    def __init__(
        self,
        state: SandboxState,
        operation: Operation,
        path: dict[str, str],
        query: JSON,
        body: Any,
        grant: Grant | None,
    ) -> None:
        self.state = state
        self.operation = operation
        self.path = path
        self.query = query
        self.body = body if isinstance(body, dict) else {}
        self.grant = grant
        self.args = request.args
        self.base_url = (state.options.public_url or request.host_url).rstrip("/")

    @property
    def crm(self) -> Crm:
        return self.state.crm

    def now_ms(self) -> int:
        return self.state.clock.now_ms()

    def emit(self, event_type: str, location_id: str | None, fields: dict[str, Any]) -> None:
        self.state.hub.emit(event_type, location_id, fields)

    def location(self, location_id: str | None = None) -> Record:
        """The location the request is about: the one named, else the token's own."""
        wanted = location_id or (self.grant.location_id if self.grant else None)
        if not wanted:
            raise unprocessable(["locationId should not be empty"])
        location = self.crm.locations.get(wanted)
        if location is None:
            raise ApiError(400, f"Location {wanted} not found")
        check_location(self.state, self.grant, wanted)
        return location

    def owned(self, record: Record | None, what: str) -> Record:
        """`record` if it exists and the token may see its location, else 404/401."""
        if record is None:
            raise not_found(f"{what} not found")
        if record.get("locationId"):
            check_location(self.state, self.grant, record["locationId"])
        return record


def check_location(state: SandboxState, grant: Grant | None, location_id: str) -> None:
    if grant is None:
        return
    if grant.location_id is not None:
        if location_id != grant.location_id:
            raise errors.unauthorized(NO_ACCESS)
        return
    location = state.crm.locations.get(location_id)
    if location is None or location["companyId"] != grant.company_id:
        raise errors.unauthorized(NO_ACCESS)


class Api:
    def __init__(self, state: SandboxState, operation_sets: Iterable[Operations]) -> None:
        self.state = state
        self.handlers: dict[str, Handler] = {}
        for operations in operation_sets:
            for key, handler in operations.handlers.items():
                if key not in state.catalogue.by_key:
                    raise LookupError(f"{operations.name}: {key} is not an operation of the spec")
                self.handlers[key] = handler

    def init_app(self, app: Flask) -> None:
        methods = ["GET", "POST", "PUT", "PATCH", "DELETE"]
        app.add_url_rule("/", "api_root", self.view, methods=methods, defaults={"path": ""})
        app.add_url_rule("/<path:path>", "api", self.view, methods=methods)
        app.extensions["sandbox_api"] = self

    def view(self, path: str) -> Response:
        state = self.state
        match = state.catalogue.match(request.method, request.path)
        if match is None:
            raise not_found(f"Cannot {request.method} {request.path}")
        operation, path_params = match
        g.operation = operation.key
        self._faults(operation)
        grant = self._authenticate(operation)
        self._check_version(operation)
        if grant is not None:
            _check_scopes(operation, grant)
        query, body = self._check_input(operation, path_params, grant)
        call = Call(state, operation, path_params, query, body, grant)
        handler = self.handlers.get(operation.key)
        with state.lock:
            if handler is None:
                hints = dict(path_params)
                if grant is not None and grant.location_id:
                    hints.setdefault("locationId", grant.location_id)
                result: Any = placeholder(operation, hints)
            else:
                result = handler(call)
        # A handler answers with its operation's documented success status (201 on creates).
        status = operation.success_status
        if status == 204:
            return Response(status=204)
        response = jsonify(result)
        response.status_code = status
        return response

    # -- the checks -------------------------------------------------------------------------

    def _faults(self, operation: Operation) -> None:
        fault = self.state.faults.draw()
        if fault.latency_s:
            time.sleep(fault.latency_s)
        if fault.force_429:
            g.fault = "force_429"
            grant = self.state.auth.tokens.get(_bearer())
            headers = self.state.limiter.peek(grant.limit_key).headers if grant else {}
            g.rate_headers = headers
            raise too_many_requests(_burst_message(self.state), headers)
        if fault.hang_s is not None:
            g.fault = "timeout"
            self.state.faults.released.wait(fault.hang_s)
            raise errors.server_error(504, "Gateway Timeout")
        if fault.error_status is not None:
            g.fault = "error"
            raise errors.server_error(fault.error_status)

    def _authenticate(self, operation: Operation) -> Grant | None:
        header = request.headers.get("Authorization")
        if operation.security is None and not header:
            return None
        if operation.security is None and operation.path.startswith("/oauth/token"):
            return None  # the token endpoint authenticates the client, not a bearer
        grant = self.state.auth.authenticate(header)
        g.location = grant.resource
        decision = self.state.limiter.hit(grant.limit_key)
        g.rate_headers = decision.headers
        if not decision.allowed:
            g.rate_limited = True
            if decision.reason == "daily":
                message = f"Daily limit of {self.state.limiter.daily_limit} requests reached."
            else:
                message = _burst_message(self.state)
            raise too_many_requests(message, decision.headers)
        return grant

    def _check_version(self, operation: Operation) -> None:
        mode = self.state.options.version_check
        if operation.version is None or mode == "off":
            return
        version = request.headers.get("Version", "").strip()
        if not version:
            raise bad_request(
                f"The Version header is missing: send Version: {operation.version} "
                f"with {operation.method} {operation.path}."
            )
        if mode == "strict" and version != operation.version:
            raise bad_request(
                f"Version {version} is not supported by {operation.method} {operation.path}: "
                f"send Version: {operation.version}."
            )
        if mode == "known" and version not in KNOWN_VERSIONS:
            raise bad_request(
                f"Version {version} is not a known API version ({', '.join(KNOWN_VERSIONS)})."
            )

    def _check_input(
        self, operation: Operation, path_params: dict[str, str], grant: Grant | None
    ) -> tuple[JSON, Any]:
        query, problems = check_query(operation, request.args)
        body: Any = {}
        content_type = operation.body_content_type
        if content_type == "application/json":
            raw = request.get_data(cache=True)
            if raw.strip():
                body = request.get_json(silent=True, force=True)
                if body is None:
                    raise bad_request("The request body is not valid JSON.")
        elif content_type == "application/x-www-form-urlencoded":
            body = request.form.to_dict()
        if content_type in ("application/json", "application/x-www-form-urlencoded"):
            strict = self.state.options.strict_bodies and content_type == "application/json"
            problems += check_body(operation, body, strict=strict)
        if grant is not None:
            named = [path_params.get("locationId"), request.args.get("locationId"),
                     request.args.get("location_id")]
            if isinstance(body, dict):
                named.append(body.get("locationId"))
            for location_id in filter(None, named):
                if isinstance(location_id, str):
                    check_location(self.state, grant, location_id)
            company = request.args.get("companyId") or (
                body.get("companyId") if isinstance(body, dict) else None
            )
            if isinstance(company, str) and company and company != grant.company_id:
                raise errors.unauthorized("The token does not have access to this company.")
        if problems:
            raise unprocessable(problems)
        return query, body


def _check_scopes(operation: Operation, grant: Grant) -> None:
    """The token must satisfy one of the operation's security alternatives (kind and scopes)."""
    if not operation.security:
        return
    scope_missing = False
    for requirement in operation.security:
        kinds_ok = all(_accepts(scheme, grant) for scheme in requirement)
        scopes_ok = all(set(scopes) <= grant.scopes for scopes in requirement.values())
        if kinds_ok and scopes_ok:
            return
        scope_missing = scope_missing or kinds_ok
    if scope_missing:
        raise errors.forbidden_scope()
    raise errors.unauthorized(WRONG_AUTH_CLASS)


def _accepts(scheme: str, grant: Grant) -> bool:
    if scheme.startswith("Location-Access"):
        return grant.user_type == "Location" and (
            scheme == "Location-Access" or grant.kind == "oauth"
        )
    if scheme.startswith("Agency-Access"):
        return grant.user_type == "Company" and (scheme == "Agency-Access" or grant.kind == "oauth")
    return True  # "bearer": any token of the account


def _bearer() -> str:
    scheme, _, token = request.headers.get("Authorization", "").partition(" ")
    return token.strip() if scheme.lower() == "bearer" else ""


def _burst_message(state: SandboxState) -> str:
    limiter = state.limiter
    return (
        f"Too many requests: the limit is {limiter.limit} requests per "
        f"{limiter.window:g} seconds for this location."
    )

