"""Fixtures for the HighLevel connector, on real parts: the sandbox over HTTP (one for the
session, reset before each test), the database, Redis, worker processes.

Every test's exchanges with the sandbox are traced and checked against the official spec when
the test ends (tests/ghl/spec_check.py); a test that sends bad requests on purpose is marked
`bad_requests`, and only its answers are checked.
"""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from typing import Any

import httpx
import pytest

from nodes.ghl.bootstrap import SANDBOX_CONNECTION, ensure_sandbox_connection
from sandbox import SandboxServer
from tests.ghl.helpers import run_node
from tests.ghl.spec_check import check_trace


def pytest_configure(config: pytest.Config) -> None:
    config.addinivalue_line("markers", "bad_requests: the test sends requests the spec "
                            "refuses on purpose; only answers are checked against the spec")


@pytest.fixture(scope="session")
def sandbox() -> Iterator[SandboxServer]:
    # No test reaches this burst limit by accident; the limiter tests set their own.
    with SandboxServer(rate_limit=1_000_000, webhook_retry_delay=0.05,
                       webhook_timeout=5) as server:
        yield server


@pytest.fixture(autouse=True)
def _fresh_sandbox(sandbox: SandboxServer) -> None:
    httpx.post(f"{sandbox.url}/_sandbox/reset", timeout=30).raise_for_status()


@pytest.fixture(autouse=True)
def spec_trace(request: pytest.FixtureRequest, tmp_path: Path,
               monkeypatch: pytest.MonkeyPatch) -> Iterator[Path]:
    """FLOWLANE_GHL_TRACE for this test (worker processes inherit it); checked at the end."""
    trace = tmp_path / "ghl-trace.jsonl"
    monkeypatch.setenv("FLOWLANE_GHL_TRACE", str(trace))
    yield trace
    checked_requests = request.node.get_closest_marker("bad_requests") is None
    _count, problems = check_trace(trace, requests=checked_requests)
    assert problems == [], "\n".join(problems[:20])


@pytest.fixture
def admin(sandbox: SandboxServer) -> Iterator[httpx.Client]:
    with httpx.Client(base_url=f"{sandbox.url}/_sandbox", timeout=30) as client:
        yield client


@pytest.fixture
def connection(svc: Any, sandbox: SandboxServer) -> str:
    """The "HighLevel (sandbox)" PIT connection, as `flowlane up` creates it."""
    ensure_sandbox_connection(svc, sandbox.url, sandbox.token, sandbox.location_id)
    return SANDBOX_CONNECTION


@pytest.fixture
def node(svc: Any, connection: str) -> Any:
    """`node(type, params, items=None)`: run one node in this process, through the
    connection, and return its outputs."""
    return lambda node_type, params, items=None, **options: run_node(
        svc, node_type, params, items, credential=options.pop("credential", connection),
        **options)


@pytest.fixture
def stats(admin: httpx.Client) -> Any:
    """The sandbox's request statistics (requests, statuses, per operation, 429s)."""
    return lambda: admin.get("/stats").json()
