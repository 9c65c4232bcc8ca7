"""The HighLevel sandbox beside `flowlane up`, so Flowlane can be tried without an account.

`flowlane up` starts the sandbox (sandbox/) as one more child process when
`FLOWLANE_SANDBOX` is "on", or "auto" and no HighLevel connection exists yet; once it
listens, a "HighLevel (sandbox)" connection points at it and its webhooks come to
`/hooks/ghl` like HighLevel's. Its signing keys live under the data directory, so the
connection still trusts its webhooks after a restart.
"""

from __future__ import annotations

import time
from typing import Any

import httpx
from sqlalchemy import select

from server.config import Config
from server.supervisor import Child, flowlane_command


def wanted(config: Config, svc: Any) -> bool:
    if config.sandbox != "auto":
        return config.sandbox == "on"
    from nodes.ghl.auth import KINDS
    from server.db import Credential

    with svc.db.session() as session:
        found = session.scalars(select(Credential.id).where(Credential.kind.in_(KINDS)))
        return found.first() is None


def url(config: Config) -> str:
    return f"http://127.0.0.1:{config.sandbox_port}"


def child(config: Config, flowlane_url: str) -> Child:
    return Child("sandbox", flowlane_command(
        "sandbox", "--port", str(config.sandbox_port), "--quiet", "--auto-approve",
        "--webhook-url", f"{flowlane_url.rstrip('/')}/hooks/ghl",
        "--keys-dir", str((config.data_dir / "sandbox-keys").resolve())))


def connect(config: Config, svc: Any, wait_s: float = 30) -> int | None:
    """Wait for the sandbox to listen, then make sure a connection points at it.

    Returns the new connection's id (None when one existed). Raises `TimeoutError` when
    the sandbox does not answer in time.
    """
    from nodes.ghl.bootstrap import ensure_sandbox_connection
    from sandbox import DEMO_LOCATION_ID, DEMO_TOKEN

    deadline = time.monotonic() + wait_s
    while True:
        try:
            httpx.get(f"{url(config)}/_sandbox/keys", timeout=2).raise_for_status()
            break
        except httpx.HTTPError:
            if time.monotonic() > deadline:
                raise TimeoutError(f"the sandbox did not answer at {url(config)}") from None
            time.sleep(0.3)
    return ensure_sandbox_connection(svc, url(config), DEMO_TOKEN, DEMO_LOCATION_ID)
