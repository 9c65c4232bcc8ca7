"""`flowlane up` without HighLevel: a "HighLevel (sandbox)" connection to the local sandbox.

Called once the sandbox is listening. It does nothing when any HighLevel connection exists
already, so a real account is never shadowed and restarts do not pile up connections.
"""

from __future__ import annotations

import logging
from typing import Any

import httpx
from sqlalchemy import select

from nodes.ghl.auth import KINDS, PIT_KIND

log = logging.getLogger("flowlane.ghl")

SANDBOX_CONNECTION = "HighLevel (sandbox)"


def ensure_sandbox_connection(svc: Any, base_url: str, token: str, location_id: str,
                              name: str = SANDBOX_CONNECTION) -> int | None:
    """Create the sandbox connection when no HighLevel connection is configured.

    Returns the new connection's id, or None when one existed already. The connection
    trusts the sandbox's own webhook signing keys (GET <sandbox>/_sandbox/keys), so events
    the sandbox sends to /hooks/ghl start workflows like HighLevel's would.
    """
    from server import credentials
    from server.db import Credential

    with svc.db.session() as session:
        existing = session.scalars(select(Credential.id).where(Credential.kind.in_(KINDS)))
        if existing.first() is not None:
            return None
        data: dict[str, Any] = {"token": token, "location_id": location_id,
                                "base_url": base_url.rstrip("/"),
                                "webhook_public_keys": sandbox_keys(base_url)}
        credential = credentials.create(svc, session, name, PIT_KIND, data)
        session.commit()
        log.info("created the %r connection for the sandbox at %s", name, base_url)
        return int(credential.id)


def sandbox_keys(base_url: str) -> dict[str, str]:
    """The sandbox's public webhook keys by signature header."""
    answer = httpx.get(f"{base_url.rstrip('/')}/_sandbox/keys", timeout=10)
    answer.raise_for_status()
    keys = answer.json()
    return {entry["header"]: entry["publicKey"] for entry in keys.values()}
