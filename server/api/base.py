"""What every API blueprint shares: the request's session and services, JSON bodies checked
against a schema, and the OpenAPI description each route declares with `@doc`."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any, TypeVar

from flask import current_app, g, request
from jsonschema import Draft202012Validator
from sqlalchemy.orm import Session

from server.errors import BadRequest, Invalid
from server.services import Services

F = TypeVar("F", bound=Callable[..., Any])


def services() -> Services:
    return current_app.extensions["flowlane"]  # type: ignore[no-any-return]


def db() -> Session:
    """One session per request, closed when the request ends."""
    if "db_session" not in g:
        g.db_session = services().db.session()
    return g.db_session  # type: ignore[no-any-return]


def close_session(_exc: BaseException | None = None) -> None:
    session = g.pop("db_session", None)
    if session is not None:
        session.close()


def doc(summary: str, *, body: dict[str, Any] | None = None,
        query: dict[str, Any] | None = None, responses: dict[int, str] | None = None,
        tag: str | None = None) -> Callable[[F], F]:
    """Describe a route for /api/openapi.json (the body schema is also what `json_body` uses)."""

    def wrap(view: F) -> F:
        view._openapi = {  # type: ignore[attr-defined]
            "summary": summary, "body": body, "query": query,
            "responses": responses or {200: "OK"}, "tag": tag,
        }
        return view

    return wrap


def json_body(schema: dict[str, Any] | None = None, *, required: bool = True) -> Any:
    """The request's JSON body, checked against `schema`; a clear 400/422 when it is not."""
    if not request.data and not required:
        return {}
    if not request.is_json and request.data:
        raise BadRequest("Send the body as JSON with Content-Type: application/json.")
    body = request.get_json(silent=True)
    if body is None:
        if not request.data and not required:
            return {}
        raise BadRequest("The body is not valid JSON." if request.data else
                         "A JSON body is required.")
    if schema is not None:
        validator = Draft202012Validator(schema)
        errors = sorted(validator.iter_errors(body), key=lambda e: list(e.absolute_path))
        if errors:
            problems = [{"pointer": "".join(f"/{p}" for p in e.absolute_path),
                         "message": e.message} for e in errors]
            where = problems[0]["pointer"] or "the body"
            raise Invalid(f"{where}: {problems[0]['message']}", errors=problems)
    return body


def int_arg(name: str, default: int, low: int, high: int) -> int:
    raw = request.args.get(name)
    if raw is None or raw == "":
        return default
    try:
        value = int(raw)
    except ValueError:
        raise BadRequest(f"{name} must be a whole number, not {raw!r}.") from None
    if not low <= value <= high:
        raise BadRequest(f"{name} must be between {low} and {high}.")
    return value
