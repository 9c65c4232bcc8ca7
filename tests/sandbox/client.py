"""Test clients for the sandbox: the spec-checking API client, a webhook receiver, polling.

`Ghl` sends the demo token and each operation's own `Version` header, and checks every answer
against the official spec before a test sees it.
"""

from __future__ import annotations

import json
import threading
import time
from collections.abc import Callable
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any

import httpx

from tests.sandbox.spec import spec, validate_response

AUTO = object()


class Ghl:
    """The HighLevel API of the sandbox, every answer checked against the spec."""

    def __init__(self, base_url: str, token: str) -> None:
        self.base_url = base_url
        self.token = token
        self.http = httpx.Client(base_url=base_url, timeout=10)

    def request(
        self,
        method: str,
        path: str,
        *,
        token: str | object | None = AUTO,
        version: str | object | None = AUTO,
        headers: dict[str, str] | None = None,
        **kwargs: Any,
    ) -> httpx.Response:
        headers = dict(headers or {})
        bearer = self.token if token is AUTO else token
        if bearer is not None:
            headers.setdefault("Authorization", f"Bearer {bearer}")
        wanted = spec().version(method, path) if version is AUTO else version
        if wanted is not None:
            headers.setdefault("Version", str(wanted))
        response = self.http.request(method, path, headers=headers, **kwargs)
        check(method, path, response)
        return response

    def get(self, path: str, **kwargs: Any) -> httpx.Response:
        return self.request("GET", path, **kwargs)

    def post(self, path: str, **kwargs: Any) -> httpx.Response:
        return self.request("POST", path, **kwargs)

    def put(self, path: str, **kwargs: Any) -> httpx.Response:
        return self.request("PUT", path, **kwargs)

    def delete(self, path: str, **kwargs: Any) -> httpx.Response:
        return self.request("DELETE", path, **kwargs)

    def close(self) -> None:
        self.http.close()


def check(method: str, path: str, response: httpx.Response) -> None:
    """The spec's schema for this operation and status, when it has one; GHL's error shape
    (statusCode + message) for the statuses it leaves undocumented (404, 429, 5xx)."""
    if not response.content:
        return
    body = response.json()
    if spec().declares(method, path, response.status_code):
        validate_response(method, path, response.status_code, body)
    elif response.status_code >= 400:
        assert body["statusCode"] == response.status_code, body
        assert isinstance(body["message"], str | list), body


def wait_for(predicate: Callable[[], Any], timeout: float = 10.0) -> Any:
    """Poll until `predicate` returns something truthy (a bound on waiting, not a timing test)."""
    deadline = time.monotonic() + timeout
    while True:
        value = predicate()
        if value:
            return value
        if time.monotonic() > deadline:
            raise AssertionError("gave up waiting")
        time.sleep(0.02)


class Receiver:
    """A real HTTP endpoint recording each POST's headers and exact body bytes.

    `statuses` scripts the answers (e.g. [429, 200]); after the script it answers 200.
    """

    def __init__(self) -> None:
        self.requests: list[tuple[dict[str, str], bytes]] = []
        self.statuses: list[int] = []
        self._lock = threading.Lock()
        receiver = self

        class Handler(BaseHTTPRequestHandler):
            def do_POST(self) -> None:
                body = self.rfile.read(int(self.headers.get("Content-Length", 0)))
                with receiver._lock:
                    receiver.requests.append(({k.lower(): v for k, v in self.headers.items()},
                                              body))
                    status = receiver.statuses.pop(0) if receiver.statuses else 200
                self.send_response(status)
                self.send_header("Content-Length", "0")
                self.end_headers()

            def log_message(self, *args: Any) -> None:
                pass

        self.server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.url = f"http://127.0.0.1:{self.server.server_port}/hooks/ghl"
        self.thread = threading.Thread(target=self.server.serve_forever, daemon=True)
        self.thread.start()

    def events(self) -> list[dict[str, Any]]:
        with self._lock:
            return [json.loads(body) for _, body in self.requests]

    def stop(self) -> None:
        self.server.shutdown()
        self.server.server_close()
