"""`flowlane up` as a new user starts it: one command, then a working Flowlane with the
HighLevel sandbox connected and the preset tables in place; Ctrl-C stops every process."""

from __future__ import annotations

import os
import signal
import socket
import subprocess
import sys
import time

import httpx
import psutil
import pytest

from tests.helpers import ROOT

PASSWORD = "a-long-owner-password-1"


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def read_until(process: subprocess.Popen[str], marker: str, timeout: float = 90) -> str:
    seen = []
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        line = process.stdout.readline()
        if not line:
            break
        seen.append(line)
        if marker in line:
            return "".join(seen)
    raise AssertionError(f"{marker!r} never printed; output:\n{''.join(seen)}")


@pytest.fixture
def flowlane_up(tmp_path):
    port, sandbox_port = free_port(), free_port()
    env = {key: value for key, value in os.environ.items()
           if key not in ("DATABASE_URL", "REDIS_URL")}
    env.update(FLOWLANE_DATA_DIR=str(tmp_path / "var"), FLOWLANE_OWNER_PASSWORD=PASSWORD,
               FLOWLANE_SANDBOX_PORT=str(sandbox_port), FLOWLANE_WORKERS="1",
               PYTHONPATH=str(ROOT), PYTHONUNBUFFERED="1")
    process = subprocess.Popen([sys.executable, "-m", "server.cli", "up", "--port", str(port)],
                               cwd=ROOT, env=env, stdout=subprocess.PIPE,
                               stderr=subprocess.STDOUT, text=True)
    try:
        yield process, f"http://127.0.0.1:{port}"
    finally:
        if process.poll() is None:
            process.send_signal(signal.SIGINT)
            try:
                process.wait(timeout=30)
            except subprocess.TimeoutExpired:
                process.kill()


def signed_in(base: str) -> httpx.Client:
    client = httpx.Client(base_url=base, timeout=30)
    for _ in range(60):  # the web process may still be importing
        try:
            answer = client.post("/api/auth/login", json={"email": "owner@flowlane.local",
                                                           "password": PASSWORD})
            break
        except httpx.TransportError:
            time.sleep(0.5)
    assert answer.status_code == 200, answer.text
    client.headers["X-CSRFToken"] = answer.json()["csrf_token"]
    return client


def test_up_starts_everything_with_the_sandbox_connected(flowlane_up):
    process, base = flowlane_up
    output = read_until(process, "HighLevel sandbox:")
    assert f"Flowlane is running at {base}/" in output
    assert "not started" not in output
    children = psutil.Process(process.pid).children(recursive=True)
    assert len(children) >= 4  # web, worker, scheduler, sandbox (and the embedded Redis)

    client = signed_in(base)
    connections = client.get("/api/credentials").json()
    sandbox = [c for c in connections["credentials"] if c["name"] == "HighLevel (sandbox)"]
    assert len(sandbox) == 1
    tested = client.post(f"/api/connections/{sandbox[0]['id']}/test")
    assert tested.status_code == 200 and tested.json()["ok"] is True, tested.text
    tables = [t["name"] for t in client.get("/api/tables").json()["tables"]]
    assert "Opportunities" in tables

    process.send_signal(signal.SIGINT)
    assert process.wait(timeout=30) == 0
    psutil.wait_procs(children, timeout=15)
    assert [c.pid for c in children if c.is_running() and c.status() != "zombie"] == []
