"""What the connector needs from the Flowlane process it runs in, in one place.

Nodes get it as `ctx.service("ghl")`; the web endpoints and the poller build it from the
process's `Services`. It gives a `GhlClient` for a connection (PIT or OAuth), sharing the
process's pooled HTTP client and the Redis-backed limiter, and a `TokenStore` that keeps
OAuth tokens encrypted in the connection and locks refreshes across workers.
"""

from __future__ import annotations

import logging
import weakref
from collections.abc import Callable
from contextlib import AbstractContextManager
from typing import Any

import httpx
from sqlalchemy import select

from nodes.ghl.auth import OAUTH_KIND, Connection, OAuthTokens
from nodes.ghl.client import GhlClient, StaticToken, TokenSource
from nodes.ghl.errors import GhlConfigError
from nodes.ghl.limiter import Limiter
from server import keys

log = logging.getLogger("flowlane.ghl")


class CredentialStore:
    """OAuth tokens in the connection's encrypted data (implements auth.TokenStore)."""

    def __init__(self, svc: Any) -> None:
        self.svc = svc

    def load(self, credential_id: int) -> dict[str, Any]:
        from server.db import Credential

        with self.svc.db.session() as session:
            row = session.get(Credential, credential_id)
            if row is None:
                raise GhlConfigError(f"the connection {credential_id} no longer exists.")
            return {**self.svc.vault.decrypt(row.data), "kind": row.kind, "id": row.id,
                    "name": row.name}

    def save(self, credential_id: int, changes: dict[str, Any]) -> None:
        from server.db import Credential

        with self.svc.db.session() as session:
            row = session.get(Credential, credential_id)
            if row is None:
                raise GhlConfigError(f"the connection {credential_id} no longer exists.")
            data = self.svc.vault.decrypt(row.data)
            data.update(changes)
            row.data = self.svc.vault.encrypt(data)
            session.commit()

    def lock(self, credential_id: int) -> AbstractContextManager[Any]:
        """Held while refreshing: a second refresh with the same token would kill the login."""
        lock: AbstractContextManager[Any] = self.svc.redis.lock(
            keys.ghl_refresh_lock(credential_id), timeout=60, blocking_timeout=60)
        return lock

    def needs_reauth(self, credential_id: int, reason: str) -> None:
        self.save(credential_id, {"needs_reauth": True, "reauth_reason": reason})
        name = self.load(credential_id).get("name", credential_id)
        log.warning("HighLevel connection %s needs re-authorisation: %s", name, reason)
        alert(self.svc, f"HighLevel connection {name!r} must be connected again",
              f"{reason} Open the connection and choose Connect.")


def alert(svc: Any, title: str, body: str) -> None:
    """Tell people in the app (the notifications bell) when Flowlane has one."""
    try:
        from server.notifications import notify
    except ImportError:  # a build without in-app notifications: the log line stays
        return
    try:
        with svc.db.session() as session:
            notify(svc, session, title, body, level="error", link="/connections")
    except Exception:  # an alert must never turn a failed refresh into a crash
        log.exception("could not raise the alert %r", title)


class GhlHost:
    def __init__(self, svc: Any) -> None:
        self.svc = svc
        self.limiter = Limiter(svc.redis)
        self.store = CredentialStore(svc)

    @property
    def http(self) -> httpx.Client:
        client: httpx.Client = self.svc.http
        return client

    def connection(self, name: str) -> Connection:
        from server.credentials import load_by_name

        credential = load_by_name(self.svc, name)
        if credential is None:
            raise GhlConfigError(f"there is no connection named {name!r}.")
        return Connection.of(credential)

    def connection_by_id(self, credential_id: int) -> Connection:
        return Connection.of(self.store.load(credential_id))

    def tokens(self, connection: Connection) -> TokenSource:
        if connection.kind == OAUTH_KIND:
            return OAuthTokens(connection, self.store, self.http)
        token = str(connection.data.get("token") or "")
        if not token:
            raise GhlConfigError(f"the connection {connection.name!r} has no token.")
        return StaticToken(token)

    def client(self, connection: Connection | dict[str, Any],
               cancelled: Callable[[], bool] | None = None) -> GhlClient:
        if not isinstance(connection, Connection):
            connection = Connection.of(connection)
        return GhlClient(self.http, connection.base_url, self.tokens(connection),
                         bucket=connection.bucket, limiter=self.limiter, cancelled=cancelled)

    def connections(self) -> list[Connection]:
        """Every HighLevel connection, decrypted (webhooks look one up by location)."""
        from nodes.ghl.auth import KINDS
        from server.db import Credential

        with self.svc.db.session() as session:
            rows = session.scalars(select(Credential).where(Credential.kind.in_(KINDS))).all()
            return [Connection.of({**self.svc.vault.decrypt(row.data), "kind": row.kind,
                                   "id": row.id, "name": row.name}) for row in rows]


_hosts: weakref.WeakKeyDictionary[Any, GhlHost] = weakref.WeakKeyDictionary()


def host_for(svc: Any) -> GhlHost:
    """One host per `Services` (so one limiter object per process and Redis)."""
    host = _hosts.get(svc)
    if host is None:
        host = _hosts[svc] = GhlHost(svc)
    return host


def _register() -> None:
    from server.runs import host_services

    host_services.register("ghl", lambda svc, run, node_id: host_for(svc))


_register()
