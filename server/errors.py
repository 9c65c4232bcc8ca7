"""Flowlane's errors and their rendering as `application/problem+json` (RFC 9457).

Errors keep the built-in meaning callers catch (`NotFound` is a `LookupError`, `Invalid` a
`ValueError`), so service code raises them without knowing about HTTP.
"""

from __future__ import annotations

from typing import Any

from flask import Flask, Response, json, request
from sqlalchemy.exc import DataError
from werkzeug.exceptions import HTTPException

PROBLEM = "application/problem+json"


class FlowlaneError(Exception):
    status = 400
    title = "Bad request"

    def __init__(self, detail: str, **extra: Any) -> None:
        super().__init__(detail)
        self.detail = detail
        self.extra = extra


class BadRequest(FlowlaneError, ValueError):
    pass


class Invalid(FlowlaneError, ValueError):
    """Well-formed input that breaks a rule; `extra["errors"]` lists every problem."""

    status = 422
    title = "Unprocessable content"


class NotFound(FlowlaneError, LookupError):
    status = 404
    title = "Not found"


class Conflict(FlowlaneError):
    status = 409
    title = "Conflict"


class Forbidden(FlowlaneError, PermissionError):
    status = 403
    title = "Forbidden"


class Unauthorized(FlowlaneError, PermissionError):
    status = 401
    title = "Unauthorized"


class TooLarge(FlowlaneError):
    status = 413
    title = "Content too large"


class TooManyRequests(FlowlaneError):
    status = 429
    title = "Too many requests"


class Unavailable(FlowlaneError):
    status = 503
    title = "Service unavailable"


def problem(status: int, title: str, detail: str, **extra: Any) -> Response:
    body = {"type": "about:blank", "title": title, "status": status, "detail": detail, **extra}
    return Response(json.dumps(body), status=status, mimetype=PROBLEM)


def init_app(app: Flask) -> None:
    @app.errorhandler(FlowlaneError)
    def flowlane_error(error: FlowlaneError) -> Response:
        response = problem(error.status, error.title, error.detail, **error.extra)
        if "retry_after" in error.extra:
            response.headers["Retry-After"] = str(error.extra["retry_after"])
        return response

    @app.errorhandler(HTTPException)
    def http_error(error: HTTPException) -> Response | HTTPException:
        if not _wants_problem():
            return error
        detail = error.description or error.name
        response = problem(error.code or 500, error.name, detail)
        if error.code == 405 and error.valid_methods:  # type: ignore[attr-defined]
            response.headers["Allow"] = ", ".join(error.valid_methods)  # type: ignore[attr-defined]
        return response

    @app.errorhandler(DataError)
    def data_error(error: DataError) -> Response:
        # The database refused a value the checks let through (a number out of its range, a
        # character it cannot store): the caller's input, not our failure.
        from server.api.base import close_session

        close_session()
        app.logger.warning("database refused a value on %s %s: %s", request.method,
                           request.path, error.orig)
        return problem(400, "Bad request", "A value in the request is out of range or holds "
                                           "characters that cannot be stored.")

    @app.errorhandler(Exception)
    def unexpected(error: Exception) -> Response:
        app.logger.exception("unexpected error on %s %s", request.method, request.path)
        return problem(500, "Internal server error",
                       "Something went wrong on our side; the error was logged.")


def _wants_problem() -> bool:
    return request.path.startswith(("/api/", "/webhook/", "/hooks/"))
