"""Fixtures: one real sandbox over HTTP for the session, reset before every test.

`ghl` is the spec-checking API client (tests/sandbox/client.py), `admin` talks to /_sandbox/,
`receiver` is a real HTTP endpoint for webhooks.
"""

from __future__ import annotations

from collections.abc import Iterator

import httpx
import pytest

from sandbox import SandboxServer
from tests.sandbox.client import Ghl, Receiver


@pytest.fixture(scope="session")
def sandbox() -> Iterator[SandboxServer]:
    # A burst limit no test reaches by accident; the rate-limit tests set their own.
    with SandboxServer(rate_limit=1_000_000, webhook_retry_delay=0.05) as server:
        yield server


@pytest.fixture(autouse=True)
def _fresh(sandbox: SandboxServer) -> None:
    httpx.post(f"{sandbox.url}/_sandbox/reset", timeout=30).raise_for_status()


@pytest.fixture
def ghl(sandbox: SandboxServer) -> Iterator[Ghl]:
    client = Ghl(sandbox.url, sandbox.token)
    yield client
    client.close()


@pytest.fixture
def admin(sandbox: SandboxServer) -> Iterator[httpx.Client]:
    with httpx.Client(base_url=f"{sandbox.url}/_sandbox", timeout=30) as client:
        yield client


@pytest.fixture
def location_id(sandbox: SandboxServer) -> str:
    return sandbox.location_id


@pytest.fixture
def sandbox_url(sandbox: SandboxServer) -> str:
    return sandbox.url


@pytest.fixture
def sandbox_company(sandbox: SandboxServer) -> str:
    return sandbox.company_id


@pytest.fixture
def receiver() -> Iterator[Receiver]:
    server = Receiver()
    yield server
    server.stop()
