"""HighLevel connections: a Private Integration Token, or an OAuth 2.0 app.

PIT: a static token of a sub-account (NOTES.md §4.2); tested with a cheap call before saving.

OAuth (§4.1): the connection holds the app's client id and secret and the scopes to ask for
(default `opportunities.readonly`); "Connect" sends the person to HighLevel's chooselocation
page with a one-time `state`, and the callback exchanges the code for tokens, which are stored
encrypted in the connection's data. Access tokens live a day and are refreshed a few minutes
before they expire. Each refresh rotates the refresh token (the old one dies), so a refresh
runs under a Redis lock and re-reads the stored token first: a worker that waited for the lock
finds the token another worker just got, and does not burn it. `invalid_grant` means the
grant is gone: the connection is marked as needing re-authorisation and people are told.
"""

from __future__ import annotations

import time
from contextlib import AbstractContextManager
from dataclasses import dataclass
from typing import Any, Protocol
from urllib.parse import urlencode

import httpx

from nodes.ghl.client import GhlClient, StaticToken
from nodes.ghl.errors import GhlBadRequest, GhlConfigError, GhlError, GhlReauthRequired
from nodes.ghl.limiter import bucket
from nodes.ghl.settings import base_url, manifest, settings
from nodes.registry import CredentialKind, credential_kind

PIT_KIND = "ghl_pit"
OAUTH_KIND = "ghl_oauth"
FAMILY = "ghl"
KINDS = (PIT_KIND, OAUTH_KIND)

_WEBHOOK_FIELDS: dict[str, Any] = {
    "allow_unsigned_webhooks": {
        "type": "boolean", "title": "Accept unsigned webhook events", "default": False,
        "description": "Only for testing: events without a valid HighLevel signature start "
                       "workflows too. Leave off in production."},
    "webhook_public_keys": {
        "type": "object", "title": "Extra webhook keys",
        "description": "PEM public keys trusted besides HighLevel's own, by signature "
                       "header (the sandbox signs with its own pair).",
        "properties": {"x-ghl-signature": {"type": "string"},
                       "x-wh-signature": {"type": "string"}}},
}

PIT_SCHEMA: dict[str, Any] = {
    "type": "object",
    "required": ["token", "location_id"],
    "properties": {
        "token": {"type": "string", "title": "Private Integration Token", "secret": True,
                  "minLength": 1, "description": "Sub-account Settings > Private Integrations "
                  "(starts with pit-)."},
        "location_id": {"type": "string", "title": "Location (sub-account) id", "minLength": 1},
        "base_url": {"type": "string", "title": "API base URL", "default": base_url(),
                     "format": "uri", "description": "HighLevel's API, or the sandbox's URL."},
        "scopes": {"type": "array", "title": "Scopes given to the token",
                   "items": {"type": "string"}, "description": "Optional: Test connection "
                   "compares them with the scopes your workflows need."},
        **_WEBHOOK_FIELDS,
    },
}

OAUTH_SCHEMA: dict[str, Any] = {
    "type": "object",
    "required": ["client_id", "client_secret"],
    "properties": {
        "client_id": {"type": "string", "title": "Client id", "minLength": 1},
        "client_secret": {"type": "string", "title": "Client secret", "secret": True,
                          "minLength": 1},
        "scopes": {"type": "string", "title": "Scopes (space-separated)",
                   "default": " ".join(manifest()["oauth"]["default_scopes"])},
        "user_type": {"enum": ["Location", "Company"], "title": "Token for", "default":
                      "Location"},
        "base_url": {"type": "string", "title": "API base URL", "default": base_url(),
                     "format": "uri"},
        "authorize_url": {"type": "string", "title": "Authorization page", "format": "uri",
                          "default": manifest()["oauth"]["authorize_url"]},
        **_WEBHOOK_FIELDS,
        # Filled by the authorization callback and each refresh; never typed by a person.
        "access_token": {"type": "string", "secret": True, "readOnly": True},
        "refresh_token": {"type": "string", "secret": True, "readOnly": True},
        "expires_at": {"type": "number", "readOnly": True},
        "location_id": {"type": "string", "title": "Location id", "readOnly": True},
        "company_id": {"type": "string", "readOnly": True},
        "granted_scopes": {"type": "string", "readOnly": True},
        "needs_reauth": {"type": "boolean", "readOnly": True},
        "reauth_reason": {"type": "string", "readOnly": True},
    },
}


@dataclass(frozen=True)
class Connection:
    """A decrypted HighLevel connection, as `ctx.credential` gives it."""

    id: int | None
    name: str
    kind: str
    data: dict[str, Any]

    @classmethod
    def of(cls, credential: dict[str, Any] | None) -> Connection:
        if not credential:
            raise GhlConfigError("this node needs a HighLevel connection.")
        kind = str(credential.get("kind", ""))
        if kind not in KINDS:
            raise GhlConfigError(f"the connection {credential.get('name')!r} is not a "
                                 "HighLevel connection.")
        return cls(credential.get("id"), str(credential.get("name", "")), kind, credential)

    @property
    def base_url(self) -> str:
        return str(self.data.get("base_url") or base_url()).rstrip("/")

    @property
    def location_id(self) -> str:
        return str(self.data.get("location_id") or "")

    @property
    def app(self) -> str:
        return str(self.data.get("client_id") or "pit") if self.kind == OAUTH_KIND else "pit"

    @property
    def bucket(self) -> str:
        return bucket(self.app, self.location_id or str(self.data.get("company_id") or ""))

    def granted_scopes(self) -> list[str] | None:
        """The scopes the token carries, when known (OAuth says; a PIT's owner may tell us)."""
        if self.kind == OAUTH_KIND:
            text = self.data.get("granted_scopes") or ""
            return sorted(set(str(text).split())) if text else None
        scopes = self.data.get("scopes")
        return sorted(set(scopes)) if isinstance(scopes, list) and scopes else None


class TokenStore(Protocol):
    """Where OAuth tokens live: the encrypted connection, and a lock shared by workers."""

    def load(self, credential_id: int) -> dict[str, Any]: ...

    def save(self, credential_id: int, changes: dict[str, Any]) -> None: ...

    def lock(self, credential_id: int) -> AbstractContextManager[Any]: ...

    def needs_reauth(self, credential_id: int, reason: str) -> None: ...


class OAuthTokens:
    """The access token of an OAuth connection, refreshed before it expires (TokenSource)."""

    def __init__(self, connection: Connection, store: TokenStore, http: httpx.Client) -> None:
        self.connection = connection
        self.data = dict(connection.data)
        self.store = store
        self.http = http

    def token(self) -> str:
        if self.data.get("needs_reauth"):
            raise GhlReauthRequired(_reauth_text(self.connection.name,
                                                 self.data.get("reauth_reason")))
        if not self.data.get("access_token"):
            raise GhlReauthRequired(f"the connection {self.connection.name!r} is not "
                                    "authorised yet: open it and choose Connect.")
        if _expiring(self.data):
            self._refresh(str(self.data.get("access_token")))
        return str(self.data["access_token"])

    def refresh_rejected(self, rejected: str) -> bool:
        self._refresh(rejected, force=True)
        return True

    def _refresh(self, stale: str, force: bool = False) -> None:
        credential_id = self.connection.id
        if credential_id is None:
            raise GhlConfigError("an unsaved OAuth connection cannot refresh its token.")
        with self.store.lock(credential_id):
            fresh = self.store.load(credential_id)
            if fresh.get("needs_reauth"):
                self.data = fresh
                raise GhlReauthRequired(_reauth_text(self.connection.name,
                                                     fresh.get("reauth_reason")))
            current = fresh.get("access_token")
            if current and current != stale and not _expiring(fresh):
                self.data = fresh  # another worker refreshed while we waited for the lock
                return
            if not force and current and not _expiring(fresh):
                self.data = fresh
                return
            try:
                changes = refresh(self.http, fresh)
            except GhlBadRequest as err:
                if not _invalid_grant(err):
                    raise
                reason = f"HighLevel refused the refresh token ({err.ghl_message})."
                self.store.needs_reauth(credential_id, reason)
                raise GhlReauthRequired(_reauth_text(self.connection.name, reason)) from None
            self.store.save(credential_id, changes)
            self.data = {**fresh, **changes}


def _reauth_text(name: str, reason: Any) -> str:
    return (f"the connection {name!r} must be authorised again (open it and choose "
            f"Connect){': ' + str(reason) if reason else '.'}")


def _expiring(data: dict[str, Any]) -> bool:
    try:
        expires_at = float(data.get("expires_at") or 0)
    except (TypeError, ValueError):
        return True
    return expires_at - time.time() <= settings().refresh_skew_s


def _invalid_grant(err: GhlError) -> bool:
    body = err.body if isinstance(err.body, dict) else {}
    return body.get("error") == "invalid_grant" or "invalid_grant" in str(err.messages)


def _token_client(http: httpx.Client, data: dict[str, Any]) -> GhlClient:
    # Token calls are not counted against the location's API limits, and never retried on a
    # timeout: a refresh that went through but whose answer was lost already rotated.
    return GhlClient(http, str(data.get("base_url") or base_url()), StaticToken(""))


def _grant(answer: dict[str, Any]) -> dict[str, Any]:
    """What the connection keeps of a token answer (NOTES.md §4.1's fields)."""
    changes: dict[str, Any] = {
        "access_token": answer["access_token"],
        "refresh_token": answer.get("refresh_token", ""),
        "expires_at": time.time() + float(answer.get("expires_in") or 86_399),
        "granted_scopes": str(answer.get("scope") or ""),
        "needs_reauth": False,
        "reauth_reason": "",
    }
    for source, target in (("locationId", "location_id"), ("companyId", "company_id"),
                           ("userType", "user_type")):
        if answer.get(source):
            changes[target] = answer[source]
    return changes


def refresh(http: httpx.Client, data: dict[str, Any]) -> dict[str, Any]:
    """One refresh_token grant: the new tokens (HighLevel rotates the refresh token)."""
    if not data.get("refresh_token"):
        raise GhlReauthRequired("the connection has no refresh token: authorise it again.")
    answer = _token_client(http, data).request(
        "POST", manifest()["oauth"]["token_path"], version=None, authenticated=False,
        form={"client_id": data.get("client_id", ""), "client_secret":
              data.get("client_secret", ""), "grant_type": "refresh_token",
              "refresh_token": data["refresh_token"],
              "user_type": data.get("user_type") or "Location"}).body
    return _grant(answer)


def exchange_code(http: httpx.Client, data: dict[str, Any], code: str,
                  redirect_uri: str) -> dict[str, Any]:
    """The authorization_code grant after the person approved on HighLevel's page."""
    answer = _token_client(http, data).request(
        "POST", manifest()["oauth"]["token_path"], version=None, authenticated=False,
        form={"client_id": data.get("client_id", ""), "client_secret":
              data.get("client_secret", ""), "grant_type": "authorization_code", "code": code,
              "redirect_uri": redirect_uri,
              "user_type": data.get("user_type") or "Location"}).body
    return _grant(answer)


def authorize_url(data: dict[str, Any], redirect_uri: str, state: str) -> str:
    """HighLevel's chooselocation page for this app, its scopes and our one-time state."""
    scopes = str(data.get("scopes") or " ".join(manifest()["oauth"]["default_scopes"]))
    query = urlencode({"response_type": "code", "redirect_uri": redirect_uri,
                       "client_id": data.get("client_id", ""),
                       "scope": " ".join(scopes.replace(",", " ").split()), "state": state})
    page = str(data.get("authorize_url") or manifest()["oauth"]["authorize_url"])
    return f"{page}{'&' if '?' in page else '?'}{query}"


def check_pit(data: dict[str, Any]) -> str | None:
    """Before saving a PIT connection: does HighLevel accept the token for this location?"""
    from nodes.ghl.probe import probe

    return probe(data)


credential_kind(CredentialKind(
    id=PIT_KIND, title="HighLevel (Private Integration Token)", family=FAMILY,
    description="A sub-account's Private Integration Token and its location id.",
    schema=PIT_SCHEMA, test=check_pit,
))
credential_kind(CredentialKind(
    id=OAUTH_KIND, title="HighLevel (OAuth app)", family=FAMILY,
    description="A HighLevel Marketplace app: save it, then choose Connect to authorise a "
                "location.",
    schema=OAUTH_SCHEMA,
))
