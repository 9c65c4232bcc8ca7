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
    """A real `flowlane worker` process."""

    def __init__(self, config: Config) -> None:
        self.config = config
        self.process: subprocess.Popen[bytes] | None = None

    def start(self) -> WorkerProcess:
        self.process = subprocess.Popen(
            [sys.executable, "-m", "server.cli", "worker"], env=worker_env(self.config),
            cwd=ROOT,
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
