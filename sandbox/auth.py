"""Who may call: Private Integration Tokens, OAuth apps, codes, access and refresh tokens.

A PIT is a fixed bearer token bound to one location (or the agency) with chosen scopes. OAuth
follows NOTES.md §4.1: the consent page issues a one-use code, POST /oauth/token trades it for
an access token (expiring after `access_token_ttl`) and a refresh token; every refresh rotates
the refresh token, and the old one then answers `invalid_grant`.
"""

from __future__ import annotations

import uuid
from dataclasses import dataclass, field
from typing import Any

from sandbox.clock import Clock
from sandbox.errors import ApiError, unauthorized
from sandbox.ids import new_id, new_secret

CODE_TTL = 600.0
PRIVATE_INTEGRATION = "private-integration"


@dataclass
class Grant:
    """What a bearer token may do: for whom (location or agency), with which scopes, until when."""

    token: str
    kind: str  # "pit" | "oauth"
    user_type: str  # "Location" | "Company"
    company_id: str
    location_id: str | None
    scopes: frozenset[str]
    client_id: str | None = None
    user_id: str | None = None
    expires_at: float | None = None

    @property
    def resource(self) -> str:
        """The location (or company) the rate limits count against."""
        return self.location_id or self.company_id

    @property
    def limit_key(self) -> str:
        # NOTES.md §5: limits are per app per resource; all PITs of a location share one.
        return f"{self.client_id or PRIVATE_INTEGRATION}:{self.resource}"

    def public(self) -> dict[str, Any]:
        return {
            "token": self.token,
            "kind": self.kind,
            "userType": self.user_type,
            "companyId": self.company_id,
            "locationId": self.location_id,
            "scopes": sorted(self.scopes),
            "clientId": self.client_id,
            "expiresAt": self.expires_at,
        }


@dataclass
class OAuthApp:
    client_id: str
    client_secret: str
    name: str
    redirect_uris: list[str] = field(default_factory=list)
    scopes: frozenset[str] | None = None  # None: any known scope may be requested

    def public(self) -> dict[str, Any]:
        return {
            "clientId": self.client_id,
            "clientSecret": self.client_secret,
            "name": self.name,
            "redirectUris": self.redirect_uris,
            "scopes": sorted(self.scopes) if self.scopes is not None else None,
        }

    def accepts_redirect(self, uri: str) -> bool:
        if self.redirect_uris:
            return uri in self.redirect_uris
        return uri.startswith(("http://", "https://"))


@dataclass
class Consent:
    """An approved authorization: what a code, and later each refresh token, stands for."""

    client_id: str
    scopes: frozenset[str]
    user_type: str
    company_id: str
    location_id: str | None
    user_id: str
    redirect_uri: str = ""
    expires_at: float = 0.0
    approved_locations: list[str] = field(default_factory=list)


def _oauth_error(status: int, error: str, description: str) -> ApiError:
    # Both shapes at once: the spec's DTO (statusCode, message) and RFC 6749's error fields.
    return ApiError(status, description, error=error, extra={"error_description": description})


class AuthRegistry:
    def __init__(self, clock: Clock, access_token_ttl: int) -> None:
        self.clock = clock
        self.access_token_ttl = access_token_ttl
        self.tokens: dict[str, Grant] = {}
        self.apps: dict[str, OAuthApp] = {}
        self._codes: dict[str, Consent] = {}
        self._refresh: dict[str, Consent] = {}

    # -- private integration tokens -----------------------------------------------------

    def mint_pit(
        self,
        *,
        company_id: str,
        location_id: str | None,
        scopes: frozenset[str],
        token: str | None = None,
    ) -> Grant:
        token = token or f"pit-{uuid.uuid4()}"  # the observed PIT format (NOTES.md §4.2)
        grant = Grant(
            token=token,
            kind="pit",
            user_type="Location" if location_id else "Company",
            company_id=company_id,
            location_id=location_id,
            scopes=scopes,
        )
        self.tokens[token] = grant
        return grant

    def authenticate(self, authorization: str | None) -> Grant:
        """The grant behind an `Authorization: Bearer ...` header, or a 401."""
        if not authorization:
            raise unauthorized("Invalid token: access token is invalid")
        scheme, _, token = authorization.partition(" ")
        if scheme.lower() != "bearer" or not token.strip():
            raise unauthorized("Invalid token: access token is invalid")
        grant = self.tokens.get(token.strip())
        if grant is None:
            raise unauthorized("Invalid token: access token is invalid")
        if grant.expires_at is not None and self.clock.time() >= grant.expires_at:
            raise unauthorized("Invalid JWT")
        return grant

    # -- OAuth ---------------------------------------------------------------------------

    def register_app(
        self,
        name: str,
        *,
        redirect_uris: list[str] | None = None,
        scopes: frozenset[str] | None = None,
        client_id: str | None = None,
        client_secret: str | None = None,
    ) -> OAuthApp:
        app = OAuthApp(
            client_id=client_id or f"{new_id()[:24].lower()}-{new_id()[:8].lower()}",
            client_secret=client_secret or new_secret(""),
            name=name,
            redirect_uris=list(redirect_uris or []),
            scopes=scopes,
        )
        self.apps[app.client_id] = app
        return app

    def issue_code(self, consent: Consent) -> str:
        code = new_secret("")
        consent.expires_at = self.clock.time() + CODE_TTL
        self._codes[code] = consent
        return code

    def _client(self, client_id: str, client_secret: str) -> OAuthApp:
        app = self.apps.get(client_id)
        if app is None or app.client_secret != client_secret:
            raise _oauth_error(401, "invalid_client", "Invalid client credentials")
        return app

    def exchange_code(
        self, client_id: str, client_secret: str, code: str, redirect_uri: str | None
    ) -> dict[str, Any]:
        app = self._client(client_id, client_secret)
        consent = self._codes.pop(code, None)
        if consent is None or consent.client_id != app.client_id:
            raise _oauth_error(400, "invalid_grant", "Invalid grant: authorization code is invalid")
        if self.clock.time() >= consent.expires_at:
            raise _oauth_error(400, "invalid_grant", "Invalid grant: authorization code expired")
        if redirect_uri and consent.redirect_uri and redirect_uri != consent.redirect_uri:
            raise _oauth_error(400, "invalid_grant", "Invalid grant: redirect_uri does not match")
        return self._issue(consent)

    def refresh(self, client_id: str, client_secret: str, refresh_token: str) -> dict[str, Any]:
        app = self._client(client_id, client_secret)
        consent = self._refresh.get(refresh_token)
        if consent is None or consent.client_id != app.client_id:
            raise _oauth_error(400, "invalid_grant", "Invalid grant: refresh token is invalid")
        # Rotation: the refresh token just used is spent, whatever happens next.
        del self._refresh[refresh_token]
        return self._issue(consent)

    def location_token(self, company: Grant, location_id: str) -> dict[str, Any]:
        """POST /oauth/locationToken: an agency token buys a token for one of its locations."""
        access = new_secret("sbx-at-")
        expires_in = self.access_token_ttl
        self.tokens[access] = Grant(
            token=access,
            kind="oauth",
            user_type="Location",
            company_id=company.company_id,
            location_id=location_id,
            scopes=company.scopes,
            client_id=company.client_id,
            user_id=company.user_id,
            expires_at=self.clock.time() + expires_in,
        )
        return {
            "access_token": access,
            "token_type": "Bearer",
            "expires_in": expires_in,
            "scope": " ".join(sorted(company.scopes)),
            "locationId": location_id,
            "userId": company.user_id or "",
        }

    def _issue(self, consent: Consent) -> dict[str, Any]:
        access = new_secret("sbx-at-")
        refresh = new_secret("sbx-rt-")
        expires_in = self.access_token_ttl
        self.tokens[access] = Grant(
            token=access,
            kind="oauth",
            user_type=consent.user_type,
            company_id=consent.company_id,
            location_id=consent.location_id,
            scopes=consent.scopes,
            client_id=consent.client_id,
            user_id=consent.user_id,
            expires_at=self.clock.time() + expires_in,
        )
        self._refresh[refresh] = consent
        body: dict[str, Any] = {
            "access_token": access,
            "token_type": "Bearer",
            "expires_in": expires_in,
            "refresh_token": refresh,
            "scope": " ".join(sorted(consent.scopes)),
            "userType": consent.user_type,
            "companyId": consent.company_id,
            "userId": consent.user_id,
            "isBulkInstallation": False,
        }
        if consent.location_id:
            body["locationId"] = consent.location_id
        else:
            body.update(
                approvedLocations=consent.approved_locations,
                installToFutureLocations=False,
                approveAllLocations=True,
            )
        return body
