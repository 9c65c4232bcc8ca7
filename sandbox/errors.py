"""Error bodies shaped like the spec's DTOs (common/common-schemas.json), rendered in one place.

HighLevel runs on NestJS, so its errors read `{"statusCode", "message", "error"}`; a 422 carries
a list of class-validator messages. A 404 for an unknown path says "Cannot GET /x", as NestJS does.
"""

from __future__ import annotations

import logging
from http import HTTPStatus
from typing import Any

from flask import Flask, Response, jsonify, request
from werkzeug.exceptions import HTTPException

log = logging.getLogger(__name__)


class ApiError(Exception):
    """An error answer. `message` is a string, or a list of strings for 422."""

    def __init__(
        self,
        status: int,
        message: str | list[str],
        *,
        error: str | None = None,
        extra: dict[str, Any] | None = None,
        headers: dict[str, str] | None = None,
    ) -> None:
        super().__init__(message if isinstance(message, str) else "; ".join(message))
        self.status = status
        self.message = message
        self.error = error
        self.extra = extra or {}
        self.headers = headers or {}

    def body(self) -> dict[str, Any]:
        body: dict[str, Any] = {"statusCode": self.status, "message": self.message}
        if self.error is not None:
            body["error"] = self.error
        body.update(self.extra)
        return body


def bad_request(message: str, **extra: Any) -> ApiError:
    """400 `BadRequestDTO`: `{statusCode, message}`."""
    return ApiError(400, message, extra=extra)


def unauthorized(message: str = "Invalid token: access token is invalid") -> ApiError:
    """401 `UnauthorizedDTO`."""
    return ApiError(401, message, error="Unauthorized")


def forbidden_scope() -> ApiError:
    # The exact body HighLevel answers for a token missing the operation's scope (issue #217).
    return ApiError(401, "The token is not authorized for this scope.")


def unprocessable(messages: list[str]) -> ApiError:
    """422 `UnprocessableDTO`: the message is a list, one line per invalid field."""
    return ApiError(422, messages, error="Unprocessable Entity")


def not_found(message: str) -> ApiError:
    return ApiError(404, message, error="Not Found")


def too_many_requests(message: str, headers: dict[str, str] | None = None) -> ApiError:
    return ApiError(429, message, error="Too Many Requests", headers=headers)


def server_error(status: int, message: str | None = None) -> ApiError:
    phrase = HTTPStatus(status).phrase if status in HTTPStatus._value2member_map_ else "Error"
    return ApiError(status, message or phrase, error=phrase)


def render(err: ApiError) -> Response:
    response = jsonify(err.body())
    response.status_code = err.status
    for name, value in err.headers.items():
        response.headers[name] = value
    return response


def init_app(app: Flask) -> None:
    """Every error leaves as JSON in GHL's shape; bad input never becomes a bare 500 page."""

    @app.errorhandler(ApiError)
    def _api_error(err: ApiError) -> Response:
        return render(err)

    @app.errorhandler(HTTPException)
    def _http_error(err: HTTPException) -> Response:
        status = err.code or 500
        if status in (404, 405):
            # NestJS answers an unknown route (or method) with 404 "Cannot METHOD /path".
            return render(not_found(f"Cannot {request.method} {request.path}"))
        return render(ApiError(status, err.description or err.name, error=err.name))

    @app.errorhandler(Exception)
    def _unexpected(err: Exception) -> Response:
        log.exception("sandbox: unhandled error")
        return render(server_error(500, "Internal server error"))
