"""Helpers for node and engine tests: run documents in this process, and a small HTTP server.

Everything runs through the real engine (`run_document`); only the database and the queue are
left out, because node semantics do not depend on them.
"""

from __future__ import annotations

import json
import threading
import time
from collections.abc import Iterator
from contextlib import contextmanager
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any
from urllib.parse import parse_qs, urlsplit

from nodes.registry import Outputs
from server.engine.executor import Outcome
from server.engine.memory import MemoryRecorder, MemoryServices, run_document
from server.engine.validate import validate
from tests.helpers import doc, node

TRIGGER = "core.trigger.manual"


def run_valid(document: dict[str, Any], payload: Any = None,
              **options: Any) -> tuple[Outcome, MemoryRecorder]:
    """Validate `document` (it must be valid) and run it in this process."""
    report = validate(document)
    assert report.ok, report.as_dict()["errors"]
    return run_document(document, payload, **options)


def run_node(node_type: str, params: dict[str, Any] | None = None, items: Any = None,
             *, services: MemoryServices | None = None, **fields: Any) -> Outputs:
    """Run one node on `items` (after a manual trigger) and return its outputs per port.

    Fails the test when the run fails; use `fail_node` to look at a failure.
    """
    outcome = _run_single(node_type, params, items, services, fields)
    assert outcome.status == "succeeded", outcome.error
    return outcome.results.get("n", {})


def fail_node(node_type: str, params: dict[str, Any] | None = None, items: Any = None,
              *, services: MemoryServices | None = None, **fields: Any) -> dict[str, Any]:
    """Run one node that is expected to fail the run; return the run's error."""
    outcome = _run_single(node_type, params, items, services, fields)
    assert outcome.status == "failed", outcome.results
    assert outcome.error is not None
    return outcome.error


def _run_single(node_type: str, params: dict[str, Any] | None, items: Any,
                services: MemoryServices | None, fields: dict[str, Any]) -> Outcome:
    document = doc(node("t", TRIGGER), node("n", node_type, params=params or {}, **fields),
                   edges=[("t", "n")])
    outcome, _ = run_valid(document, [{}] if items is None else items, services=services)
    return outcome


# -- a local HTTP server ----------------------------------------------------------------------


class LocalServer:
    """A real HTTP server on 127.0.0.1 with a few routes the HTTP tests need.

    /echo          answers JSON describing the request (method, path, query, headers, body)
    /status/<n>    answers status n with a JSON body
    /text          a text/plain body
    /list          a JSON list
    /scalar        a JSON number
    /broken-json   invalid JSON labelled application/json
    /empty         204, no body
    /bytes/<n>     n bytes of text
    /slow/<s>      answers after s seconds
    /flaky/<n>     500 for the first n calls (per server), then 200
    """

    def __init__(self) -> None:
        self.requests: list[dict[str, Any]] = []
        self.calls: dict[str, int] = {}
        server = self

        class Handler(BaseHTTPRequestHandler):
            protocol_version = "HTTP/1.1"

            def _handle(self) -> None:
                length = int(self.headers.get("Content-Length") or 0)
                raw = self.rfile.read(length).decode() if length else ""
                parts = urlsplit(self.path)
                request = {"method": self.command, "path": parts.path,
                           "query": {k: v[0] for k, v in parse_qs(parts.query).items()},
                           "headers": {k.lower(): v for k, v in self.headers.items()},
                           "body": raw}
                server.requests.append(request)
                status, body, content_type = server.route(parts.path, request)
                self.send_response(status)
                self.send_header("Content-Type", content_type)
                self.send_header("Content-Length", str(len(body)))
                self.end_headers()
                if self.command != "HEAD":
                    self.wfile.write(body)

            do_GET = do_POST = do_PUT = do_PATCH = do_DELETE = do_HEAD = _handle

            def log_message(self, *args: Any) -> None:
                pass

        self.httpd = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.httpd.daemon_threads = True
        threading.Thread(target=self.httpd.serve_forever, args=(0.05,), daemon=True).start()
        self.url = f"http://127.0.0.1:{self.httpd.server_address[1]}"

    def route(self, path: str, request: dict[str, Any]) -> tuple[int, bytes, str]:
        parts = path.strip("/").split("/")
        head = parts[0]
        self.calls[head] = self.calls.get(head, 0) + 1
        as_json = "application/json"
        if head == "echo":
            return 200, json.dumps(request).encode(), as_json
        if head == "status":
            code = int(parts[1])
            return code, json.dumps({"error": f"status {code}"}).encode(), as_json
        if head == "text":
            return 200, b"plain words", "text/plain; charset=utf-8"
        if head == "list":
            return 200, json.dumps([{"id": 1}, {"id": 2}, 3]).encode(), as_json
        if head == "scalar":
            return 200, b"42", as_json
        if head == "broken-json":
            return 200, b"{not json", as_json
        if head == "empty":
            return 204, b"", as_json
        if head == "bytes":
            return 200, b"x" * int(parts[1]), "text/plain"
        if head == "slow":
            time.sleep(float(parts[1]))
            return 200, b'{"slow": true}', as_json
        if head == "flaky":
            if self.calls[head] <= int(parts[1]):
                return 500, b'{"error": "try again"}', as_json
            return 200, json.dumps({"ok": True, "call": self.calls[head]}).encode(), as_json
        return 404, b'{"error": "no such route"}', as_json

    def stop(self) -> None:
        self.httpd.shutdown()
        self.httpd.server_close()


@contextmanager
def local_server() -> Iterator[LocalServer]:
    server = LocalServer()
    try:
        yield server
    finally:
        server.stop()
