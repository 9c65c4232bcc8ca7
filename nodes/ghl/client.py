"""The only code that speaks HTTP to HighLevel.

One `GhlClient` per connection and use; the pooled `httpx.Client` underneath is shared by the
process. Each request takes a slot from the shared limiter, sends the bearer token and the
operation's `Version` header, and turns a non-2xx answer into a typed error carrying GHL's
status and message. 429, 5xx and timeouts are retried with exponential backoff and jitter, a
bounded number of times; any other 4xx is final (retrying a 422 only repeats it). A 401 on an
OAuth connection gets one token refresh and one more try.

Timeouts and dropped connections are retried for idempotent calls only (reads, PUT, DELETE,
searches, upserts): a POST that created something may have been carried out before the answer
was lost, and doing it twice makes a duplicate opportunity. A connect timeout is always safe.
"""

from __future__ import annotations

import json
import os
import random
import threading
import time
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from typing import Any, Protocol

import httpx

from nodes.ghl.errors import (
    GhlConnectionError,
    GhlError,
    GhlQuotaExhausted,
    GhlScopeMissing,
    GhlTimeout,
    from_response,
)
from nodes.ghl.limiter import H_DAILY_REMAINING, Limiter
from nodes.ghl.openapi import Operation
from nodes.ghl.settings import Settings, manifest, settings

IDEMPOTENT = frozenset({"GET", "HEAD", "OPTIONS", "PUT", "DELETE"})
DEFAULT = object()
_trace_lock = threading.Lock()


class TokenSource(Protocol):
    def token(self) -> str:
        """A valid access token (refreshed first when it is about to expire)."""
        ...

    def refresh_rejected(self, rejected: str) -> bool:
        """After a 401 for `rejected`: get a new token if this source can. True if it did."""
        ...


class StaticToken:
    """A Private Integration Token: fixed until someone rotates it in HighLevel."""

    def __init__(self, token: str) -> None:
        self._token = token

    def token(self) -> str:
        return self._token

    def refresh_rejected(self, rejected: str) -> bool:
        return False


@dataclass(frozen=True)
class FilePart:
    """A file sent as a multipart part (a body field's value; other fields go as text)."""

    name: str
    mime: str
    content: bytes


@dataclass(frozen=True)
class GhlResponse:
    status: int
    body: Any
    headers: Mapping[str, str]


class GhlClient:
    def __init__(self, http: httpx.Client, base_url: str, tokens: TokenSource, *,
                 bucket: str = "", limiter: Limiter | None = None,
                 config: Settings | None = None, sleep: Callable[[float], None] = time.sleep,
                 cancelled: Callable[[], bool] | None = None) -> None:
        self.http = http
        self.base_url = base_url.rstrip("/")
        self.tokens = tokens
        self.bucket = bucket
        self.limiter = limiter
        self.config = config or settings()
        self.sleep = sleep
        self.cancelled = cancelled or (lambda: False)
        #: Counters for the benchmark and tests: requests sent, retries, 429s seen.
        self.stats = {"requests": 0, "retries": 0, "429": 0}

    # -- the spec's operations ----------------------------------------------------------------

    def call(self, operation: Operation, *, path: Mapping[str, Any] | None = None,
             query: Mapping[str, Any] | None = None, body: Any = None,
             idempotent: bool | None = None) -> GhlResponse:
        """Call one spec operation: its path filled in, its own Version header."""
        url_path = operation.path
        for name, value in (path or {}).items():
            url_path = url_path.replace("{" + name + "}", _segment(value))
        json_body = form = files = None
        if operation.body_type == "application/json":
            json_body = body
        elif operation.body_type == "application/x-www-form-urlencoded":
            form = body
        elif operation.body_type == "multipart/form-data":
            files = {k: (v.name, v.content, v.mime) if isinstance(v, FilePart) else (None, _text(v))
                     for k, v in (body or {}).items()}
        return self.request(operation.method, url_path, version=operation.version, query=query,
                            json_body=json_body, form=form, files=files, idempotent=idempotent)

    # -- any request --------------------------------------------------------------------------

    def request(self, method: str, path: str, *, version: str | object | None = DEFAULT,
                query: Mapping[str, Any] | None = None, json_body: Any = None,
                form: Mapping[str, Any] | None = None, files: Any = None,
                idempotent: bool | None = None, authenticated: bool = True) -> GhlResponse:
        method = method.upper()
        if version is DEFAULT:
            version = manifest()["api"]["default_version"]
        safe = method in IDEMPOTENT if idempotent is None else idempotent
        params = _query(query or {})
        attempt, refreshed = 0, False
        while True:
            attempt += 1
            granted = None
            if self.limiter is not None and self.bucket:
                granted = self.limiter.acquire(self.bucket, self.cancelled)
            headers = {"Accept": "application/json"}
            if version:
                headers["Version"] = str(version)
            token = self.tokens.token() if authenticated else ""
            if authenticated:
                headers["Authorization"] = f"Bearer {token}"
            failure, retry = self._send(method, path, params, json_body, form, files, headers,
                                        safe, granted)
            if isinstance(failure, GhlResponse):
                return failure
            if (failure.status == 401 and authenticated and not refreshed
                    and not isinstance(failure, GhlScopeMissing)
                    and self.tokens.refresh_rejected(token)):
                refreshed, attempt = True, attempt - 1
                continue
            if not retry or attempt >= self.config.max_attempts or self.cancelled():
                raise failure
            self.stats["retries"] += 1
            self.sleep(self._delay(attempt, failure))

    def _send(self, method: str, path: str, params: list[tuple[str, Any]], json_body: Any,
              form: Any, files: Any, headers: dict[str, str], safe: bool,
              granted: float | None = None) -> tuple[GhlResponse | GhlError, bool]:
        """One try: the answer, or the error and whether another try may help."""
        self.stats["requests"] += 1
        try:
            response = self.http.request(
                method, self.base_url + path, params=params or None, json=json_body,
                data=form, files=files, headers=headers, timeout=self.config.timeout_s)
        except httpx.TimeoutException as err:
            never_sent = isinstance(err, httpx.ConnectTimeout | httpx.PoolTimeout)
            return GhlTimeout(f"no answer within {self.config.timeout_s:g} s",
                              method=method, path=path), safe or never_sent
        except httpx.ConnectError as err:
            return GhlConnectionError(f"cannot connect: {err}", method=method, path=path), True
        except httpx.TransportError as err:
            return GhlConnectionError(f"the connection failed: {err}", method=method,
                                      path=path), safe
        if self.limiter is not None and self.bucket:
            self.limiter.observe(self.bucket, response.headers, response.status_code, granted)
        body = _decode(response)
        _trace(method, path, params, json_body if json_body is not None else form,
               headers.get("Version"), response.status_code, body)
        if response.status_code < 400:
            return GhlResponse(response.status_code, body, response.headers), False
        status = response.status_code
        failure = from_response(status, body, method, path,
                                _retry_after(response.headers.get("Retry-After")))
        if status == 429:
            self.stats["429"] += 1
            if response.headers.get(H_DAILY_REMAINING, "").strip() == "0":
                return GhlQuotaExhausted(failure.ghl_message, status=429, method=method,
                                         path=path, body=body), False
            return failure, True
        return failure, status >= 500

    def _delay(self, attempt: int, failure: GhlError) -> float:
        """Full-jitter exponential backoff; after a 429 the limiter already holds the bucket
        shut for the window, so only a short spread is added then."""
        if failure.status == 429 and self.limiter is not None and self.bucket:
            return random.uniform(0, 0.05)
        if failure.retry_after:
            return min(failure.retry_after, self.config.max_backoff_s)
        ceiling = min(self.config.max_backoff_s, self.config.backoff_s * 2 ** (attempt - 1))
        return ceiling * random.uniform(0.5, 1.0)

    # -- shorthands -----------------------------------------------------------------------

    def get(self, path: str, **options: Any) -> Any:
        return self.request("GET", path, **options).body

    def post(self, path: str, **options: Any) -> Any:
        return self.request("POST", path, **options).body


def _segment(value: Any) -> str:
    from urllib.parse import quote

    return quote(str(value), safe="")


def _text(value: Any) -> str:
    if isinstance(value, str):
        return value
    return json.dumps(value)


def _query(values: Mapping[str, Any]) -> list[tuple[str, str | int | float | bool | None]]:
    """Query pairs: empty values left out (GHL reads `?pipeline_id=` as a filter for "")."""
    pairs: list[tuple[str, str | int | float | bool | None]] = []
    for name, value in values.items():
        for one in value if isinstance(value, list | tuple) else [value]:
            if one is None or one == "":
                continue
            if isinstance(one, bool):
                one = "true" if one else "false"
            elif isinstance(one, float) and one.is_integer():
                one = int(one)
            pairs.append((name, one if isinstance(one, str) else json.dumps(one)
                          if isinstance(one, dict | list) else str(one)))
    return pairs


def _decode(response: httpx.Response) -> Any:
    if not response.content:
        return {}
    if "json" in response.headers.get("content-type", "") or response.content[:1] in b"{[":
        try:
            return response.json()
        except ValueError:
            pass
    return response.text


def _retry_after(value: str | None) -> float | None:
    if not value:
        return None
    try:
        return max(0.0, float(value))
    except ValueError:
        return None


SECRET_KEYS = frozenset({"access_token", "refresh_token", "client_secret", "code", "password",
                         "accessToken", "refreshToken", "clientSecret"})


def _masked(value: Any) -> Any:
    """Secrets in token requests and answers, replaced (the trace is a file on disk)."""
    if isinstance(value, Mapping):
        return {k: "[secret]" if k in SECRET_KEYS and v else _masked(v) for k, v in value.items()}
    if isinstance(value, list):
        return [_masked(v) for v in value]
    return value


def _trace(method: str, path: str, params: list[tuple[str, Any]], body: Any,
           version: str | None, status: int, answer: Any) -> None:
    """With FLOWLANE_GHL_TRACE=<file>, append each exchange as a JSON line (debugging; the
    tests check every request and answer against the spec from it). Tokens never go in."""
    target = os.environ.get("FLOWLANE_GHL_TRACE")
    if not target:
        return
    line = json.dumps({"method": method, "path": path, "query": params, "body": _masked(body),
                       "version": version, "status": status, "answer": _masked(answer)},
                      default=str)
    with _trace_lock, open(target, "a", encoding="utf-8") as handle:
        handle.write(line + "\n")
