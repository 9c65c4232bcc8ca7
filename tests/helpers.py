"""Helpers for tests: building workflow documents, real worker processes, waiting for runs."""

from __future__ import annotations

import os
import subprocess
import sys
import time
from pathlib import Path
from typing import Any

from server.config import Config
from server.db import Run

ROOT = Path(__file__).resolve().parent.parent


def worker_env(config: Config) -> dict[str, str]:
    return {
        **os.environ,
        "DATABASE_URL": config.database,
        "REDIS_URL": config.redis_url,
        "FLOWLANE_DATA_DIR": str(config.data_dir),
        "FLOWLANE_HEARTBEAT_TIMEOUT": str(config.heartbeat_timeout),
        "PYTHONPATH": str(ROOT),
    }


class WorkerProcess:
    """A real `flowlane worker` process; with `log_file`, its output goes there."""

    def __init__(self, config: Config, log_file: Path | None = None) -> None:
        self.config = config
        self.log_file = log_file
        self.process: subprocess.Popen[bytes] | None = None

    def start(self) -> WorkerProcess:
        output = open(self.log_file, "ab") if self.log_file else None  # noqa: SIM115
        self.process = subprocess.Popen(
            [sys.executable, "-m", "server.cli", "worker"], env=worker_env(self.config),
            cwd=ROOT, stdout=output, stderr=subprocess.STDOUT if output else None,
        )
        return self

    def kill(self) -> None:
        """SIGKILL: the worker gets no chance to clean up (a crash, an OOM kill)."""
        if self.process and self.process.poll() is None:
            self.process.kill()
            self.process.wait()

    def stop(self) -> None:
        if self.process and self.process.poll() is None:
            self.process.terminate()
            try:
                self.process.wait(10)
            except subprocess.TimeoutExpired:
                self.kill()


def wait_for_run(svc: Any, run_id: int, timeout: float = 30,
                 statuses: tuple[str, ...] = ("succeeded", "failed", "cancelled")) -> Run:
    """Poll the database until the run reaches one of `statuses`."""
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        with svc.db.session() as session:
            run = session.get(Run, run_id)
            if run is not None and run.status in statuses:
                session.expunge(run)
                return run
        time.sleep(0.05)
    raise AssertionError(f"run {run_id} did not reach {statuses} within {timeout} s")


def doc(*nodes: dict[str, Any], edges: list[Any] | None = None, name: str = "Test",
        **extra: Any) -> dict[str, Any]:
    """A workflow document; edges as (from, to) or (from, port, to) or dicts."""
    parsed = []
    for edge in edges or []:
        if isinstance(edge, dict):
            parsed.append(edge)
        elif len(edge) == 2:
            parsed.append({"from": edge[0], "to": edge[1]})
        elif len(edge) == 3:
            parsed.append({"from": edge[0], "from_port": edge[1], "to": edge[2]})
        else:
            parsed.append({"from": edge[0], "from_port": edge[1], "to": edge[2],
                           "to_port": edge[3]})
    return {"format": "flowlane/workflow@1", "name": name, "nodes": list(nodes),
            "edges": parsed, **extra}


def node(node_id: str, node_type: str, **fields: Any) -> dict[str, Any]:
    """A node; `name` defaults to the id, other fields (params, retry, ...) as given."""
    return {"id": node_id, "type": node_type, "name": fields.pop("name", node_id), **fields}


class Receiver:
    """A small real HTTP server for tests: records requests, answers what it is told to."""

    def __init__(self) -> None:
        import json
        import threading
        from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

        self.requests: list[dict[str, Any]] = []
        self.replies: dict[str, tuple[int, Any]] = {}
        receiver = self

        class Handler(BaseHTTPRequestHandler):
            def _handle(self) -> None:
                length = int(self.headers.get("Content-Length") or 0)
                raw = self.rfile.read(length) if length else b""
                try:
                    body = json.loads(raw) if raw else None
                except ValueError:
                    body = raw.decode(errors="replace")
                path = self.path.split("?")[0]
                request = {"method": self.command, "path": self.path,
                           "headers": dict(self.headers), "body": body}
                receiver.requests.append(request)
                status, reply = receiver.replies.get(path, (200, {"ok": True}))
                if path == "/echo":  # answers with the request it got, headers and all
                    status, reply = 200, request
                data = json.dumps(reply).encode()
                self.send_response(status)
                self.send_header("Content-Type", "application/json")
                self.send_header("Content-Length", str(len(data)))
                self.end_headers()
                self.wfile.write(data)

            do_GET = do_POST = do_PUT = do_PATCH = do_DELETE = _handle

            def log_message(self, *args: Any) -> None:
                pass

        self.server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        threading.Thread(target=self.server.serve_forever, daemon=True).start()
        self.url = f"http://127.0.0.1:{self.server.server_address[1]}"

    def reply(self, path: str, body: Any, status: int = 200) -> None:
        self.replies[path] = (status, body)

    def stop(self) -> None:
        self.server.shutdown()
        self.server.server_close()


def load_example(name: str) -> dict[str, Any]:
    import json

    return json.loads((ROOT / "workflows" / "examples" / name).read_text())
