"""End-to-end fixtures: a live Flowlane (web, a worker, the scheduler as real processes on a
free port, with their own data dir) and Debian's Chromium driven by Playwright.

The database is SQLite in the server's data dir, or DATABASE_URL when set; Redis is REDIS_URL
when set, else the session's embedded one. Playwright never downloads a browser: it launches
/usr/bin/chromium, and these tests skip (saying why) when that is not installed.
"""

from __future__ import annotations

import json
import os
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.request
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import pytest

from tests.helpers import ROOT

CHROMIUM = Path("/usr/bin/chromium")
CHROMIUM_ARGS = ["--no-sandbox", "--disable-gpu", "--disable-background-networking",
                 "--disable-component-update", "--disable-sync", "--no-first-run"]
SCREENSHOTS = ROOT / "test-output" / "screenshots"
#: The person the browser signs in as (an owner, so every page and action is open).
EMAIL = "e2e-owner@flowlane.test"
PASSWORD = "Long-e2e-passphrase-4821"
BUNDLE = ROOT / "server" / "static" / "app" / "index.js"


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


@dataclass
class LiveServer:
    """A running Flowlane; `api()` calls its REST API over real HTTP."""

    url: str
    data_dir: Path
    token: str = ""
    processes: list[subprocess.Popen[bytes]] = field(default_factory=list)

    def api(self, method: str, path: str, body: Any = None) -> Any:
        data = json.dumps(body).encode() if body is not None else None
        request = urllib.request.Request(self.url + path, data=data, method=method, headers={
            "Content-Type": "application/json", "Authorization": f"Bearer {self.token}"})
        try:
            with urllib.request.urlopen(request, timeout=30) as response:
                raw = response.read()
        except urllib.error.HTTPError as err:
            raise AssertionError(f"{method} {path}: {err.code} {err.read().decode()}") from None
        return json.loads(raw) if raw else None

    def create_workflow(self, document: dict[str, Any]) -> dict[str, Any]:
        return self.api("POST", "/api/workflows", {"document": document})  # type: ignore[no-any-return]

    def stop(self) -> None:
        for process in self.processes:
            if process.poll() is None:
                process.terminate()
        for process in self.processes:
            try:
                process.wait(10)
            except subprocess.TimeoutExpired:
                process.kill()
                process.wait()


def _wait_healthy(server: LiveServer, timeout: float = 60) -> None:
    deadline = time.monotonic() + timeout
    last = ""
    while time.monotonic() < deadline:
        for process in server.processes:
            if process.poll() is not None:
                raise RuntimeError(f"a Flowlane process exited early ({process.args})")
        try:
            health = server.api("GET", "/api/health")
            if health.get("status") == "ok" and health.get("workers", 0) >= 1:
                return
            last = str(health)
        except (OSError, AssertionError) as err:
            last = str(err)
        time.sleep(0.2)
    raise RuntimeError(f"Flowlane did not become healthy in {timeout} s: {last}")


def _owner_token(database: str) -> str:
    """Make sure the e2e owner exists; an API token for the tests' own API calls."""
    from sqlalchemy import create_engine
    from sqlalchemy.orm import Session

    from server.auth import tokens, users

    engine = create_engine(database)
    try:
        with Session(engine) as session:
            user = users.by_email(session, EMAIL) or users.create(
                session, EMAIL, "owner", PASSWORD, name="E2E owner")[0]
            _token, plain = tokens.issue(session, user, "e2e tests")
            session.commit()
    finally:
        engine.dispose()
    return plain


@pytest.fixture(scope="package")
def chromium_path() -> Path:
    if not CHROMIUM.exists():
        pytest.skip(f"Debian's Chromium is not installed at {CHROMIUM} "
                    "(apt-get install chromium); the browser tests need it.")
    if not BUNDLE.exists():
        pytest.fail("The editor is not built (server/static/app/index.js is missing): "
                    "run `make frontend` (npm ci && npm run build in frontend/).")
    return CHROMIUM


@pytest.fixture(scope="package")
def live_server(chromium_path: Path, redis_url: str,
                tmp_path_factory: pytest.TempPathFactory) -> Iterator[LiveServer]:
    """web + one worker + the scheduler, like `flowlane up`, on a free port."""
    from server.db import migrate

    data_dir = tmp_path_factory.mktemp("e2e-flowlane")
    database_url = os.environ.get("DATABASE_URL", "")
    port = _free_port()
    env = {
        **os.environ,
        "FLOWLANE_DATA_DIR": str(data_dir),
        "FLOWLANE_PORT": str(port),
        "REDIS_URL": redis_url,
        "FLOWLANE_HEARTBEAT_TIMEOUT": "3",
        "FLOWLANE_SWEEP_INTERVAL": "1",
        "PYTHONPATH": str(ROOT),
    }
    if database_url:
        env["DATABASE_URL"] = database_url
    from server.config import Config

    database = Config(data_dir=data_dir, database_url=database_url).database
    migrate.upgrade(database)
    server = LiveServer(f"http://127.0.0.1:{port}", data_dir, token=_owner_token(database))
    log = (data_dir / "server.log").open("wb")
    for args in (["web", "--port", str(port), "--threads", "16"], ["worker"], ["scheduler"]):
        server.processes.append(subprocess.Popen(
            [sys.executable, "-m", "server.cli", *args], env=env, cwd=ROOT,
            stdout=log, stderr=subprocess.STDOUT))
    try:
        _wait_healthy(server)
        yield server
    finally:
        server.stop()
        log.close()


@pytest.fixture(scope="package")
def browser(chromium_path: Path) -> Iterator[Any]:
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        instance = playwright.chromium.launch(executable_path=str(chromium_path),
                                              args=CHROMIUM_ARGS, headless=True)
        yield instance
        instance.close()


@pytest.hookimpl(hookwrapper=True)
def pytest_runtest_makereport(item: pytest.Item, call: Any) -> Iterator[None]:
    """Remember each phase's outcome on the test, so `page` can photograph failures."""
    outcome = yield
    report = outcome.get_result()
    setattr(item, f"report_{report.when}", report)


@pytest.fixture
def page(browser: Any, live_server: LiveServer, request: pytest.FixtureRequest) -> Iterator[Any]:
    """A fresh browser page on the live server; a JavaScript error fails the test, and a
    failing test leaves a screenshot in test-output/screenshots/failed-<test>.png."""
    context = browser.new_context(viewport={"width": 1440, "height": 900}, accept_downloads=True,
                                  base_url=live_server.url)
    answer = context.request.post("/api/auth/login", data={"email": EMAIL, "password": PASSWORD})
    assert answer.ok, f"sign-in failed: {answer.status} {answer.text()}"
    page = context.new_page()
    page.set_default_timeout(15_000)
    errors: list[str] = []
    page.on("pageerror", lambda error: errors.append(str(error)))
    yield page
    report = getattr(request.node, "report_call", None)
    if report is not None and report.failed:
        SCREENSHOTS.mkdir(parents=True, exist_ok=True)
        page.screenshot(path=str(SCREENSHOTS / f"failed-{request.node.name}.png"))
    context.close()
    assert not errors, f"JavaScript errors on the page: {errors}"


@pytest.fixture
def shot() -> Any:
    """Save a screenshot of the page into test-output/screenshots/<name>.png."""
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)

    def take(page: Any, name: str) -> Path:
        path = SCREENSHOTS / f"{name}.png"
        page.screenshot(path=str(path))
        return path

    return take
