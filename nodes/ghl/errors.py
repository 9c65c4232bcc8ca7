"""What can go wrong talking to HighLevel, as exceptions a node shows and a caller can catch.

Every error carries HighLevel's own status and message (for a 422, its list of class-validator
lines), the request it answered, and whether retrying could help. They are `NodeError`s, so a
failed step shows GHL's sentence, with the details underneath.
"""

from __future__ import annotations

from typing import Any

from nodes.registry import NodeError

SCOPE_MESSAGE = "not authorized for this scope"


class GhlError(NodeError):
    """A failed HighLevel call. `status` is None when no answer came (timeout, network)."""

    status: int | None = None

    def __init__(self, message: str, *, status: int | None = None, method: str = "",
                 path: str = "", body: Any = None, messages: list[str] | None = None,
                 retry_after: float | None = None) -> None:
        self.status = status if status is not None else type(self).status
        self.method, self.path, self.body = method, path, body
        self.messages = list(messages or [message])
        self.retry_after = retry_after
        where = f"{method} {path}".strip()
        prefix = f"HighLevel answered {self.status} to {where}: " if self.status else (
            f"HighLevel {where}: " if where else "HighLevel: ")
        super().__init__(prefix + message, {
            "status": self.status, "method": method, "path": path, "messages": self.messages,
            "body": body})
        self.ghl_message = message


class GhlBadRequest(GhlError):
    status = 400


class GhlUnauthorized(GhlError):
    """The token is wrong, expired or revoked (or lacks a scope: see GhlScopeMissing)."""

    status = 401


class GhlScopeMissing(GhlUnauthorized):
    """401 "The token is not authorized for this scope.": the connection lacks a scope."""


class GhlForbidden(GhlError):
    status = 403


class GhlNotFound(GhlError):
    status = 404


class GhlUnprocessable(GhlError):
    """422: `messages` lists every field problem HighLevel found."""

    status = 422


class GhlRateLimited(GhlError):
    status = 429


class GhlQuotaExhausted(GhlRateLimited):
    """The location's daily quota is spent; `retry_after` is the seconds to midnight UTC."""


class GhlServerError(GhlError):
    status = 500


class GhlTimeout(GhlError):
    """No answer in time. The request may or may not have been carried out."""


class GhlConnectionError(GhlError):
    """HighLevel could not be reached at all (DNS, refused, TLS)."""


class GhlReauthRequired(GhlError):
    """The OAuth connection's refresh token was refused (invalid_grant): authorise it again."""


class GhlConfigError(GhlError):
    """The connection is incomplete (no token, no location): a person must fix it."""


_BY_STATUS: dict[int, type[GhlError]] = {
    400: GhlBadRequest, 401: GhlUnauthorized, 403: GhlForbidden, 404: GhlNotFound,
    422: GhlUnprocessable, 429: GhlRateLimited,
}


def from_response(status: int, body: Any, method: str, path: str,
                  retry_after: float | None = None) -> GhlError:
    """The typed error for a non-2xx answer, with GHL's message (a list for 422s)."""
    messages = _messages(body)
    message = "; ".join(messages) if messages else _reason(status)
    cls = _BY_STATUS.get(status, GhlServerError if status >= 500 else GhlError)
    if status == 401 and SCOPE_MESSAGE in message:
        cls = GhlScopeMissing
        message += " Add the scope to the connection (and authorise it again for OAuth)."
    return cls(message, status=status, method=method, path=path, body=body,
               messages=messages or [message], retry_after=retry_after)


def _messages(body: Any) -> list[str]:
    if isinstance(body, dict):
        message = body.get("message", body.get("error_description", body.get("error")))
        if isinstance(message, list):
            return [str(m) for m in message]
        if message:
            return [str(message)]
    if isinstance(body, str) and body.strip():
        return [body.strip()[:500]]
    return []


def _reason(status: int) -> str:
    from http import HTTPStatus

    try:
        return HTTPStatus(status).phrase
    except ValueError:
        return f"status {status}"
