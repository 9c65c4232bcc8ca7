"""OAuth 2.0 end to end: consent page, code, token, refresh rotation, reuse, expiry, scopes."""

from __future__ import annotations

import re
from html import unescape
from typing import Any
from urllib.parse import parse_qs, urlsplit

import httpx
import pytest

from sandbox import SandboxServer
from sandbox.options import DEMO_CLIENT_ID, DEMO_CLIENT_SECRET
from tests.sandbox.client import Ghl

REDIRECT = "https://app.example.org/oauth/callback"
SCOPES = "opportunities.readonly contacts.readonly"


def consent(sandbox_url: str, *, scope: str = SCOPES, state: str = "xyz-123",
            target: str | None = None) -> str:
    """Open the consent page like a browser, press Approve, return the code from the redirect."""
    with httpx.Client(base_url=sandbox_url, follow_redirects=False) as browser:
        page = browser.get("/oauth/chooselocation", params={
            "response_type": "code", "client_id": DEMO_CLIENT_ID, "redirect_uri": REDIRECT,
            "scope": scope, "state": state})
        assert page.status_code == 200
        assert "Approve" in page.text
        for name in scope.split():
            assert name in page.text
        fields = dict(re.findall(r'name="([^"]+)" value="([^"]*)"', page.text))
        fields = {k: unescape(v) for k, v in fields.items()}
        if target:
            fields["target"] = target
        answer = browser.post("/oauth/chooselocation", data={**fields, "decision": "approve"})
    assert answer.status_code == 302
    location = urlsplit(answer.headers["location"])
    assert f"{location.scheme}://{location.netloc}{location.path}" == REDIRECT
    query = parse_qs(location.query)
    assert query["state"] == [state]
    return query["code"][0]


def token(ghl: Ghl, **form: str) -> httpx.Response:
    """POST /oauth/token as the spec has it: form-encoded, no bearer, no Version."""
    body = {"client_id": DEMO_CLIENT_ID, "client_secret": DEMO_CLIENT_SECRET, **form}
    return ghl.post("/oauth/token", data=body, token=None, version=None)


def test_code_flow(ghl: Ghl, sandbox_url: str, location_id: str) -> None:
    code = consent(sandbox_url)
    response = token(ghl, grant_type="authorization_code", code=code, redirect_uri=REDIRECT)
    assert response.status_code == 200
    grant = response.json()
    assert grant["token_type"] == "Bearer"
    assert grant["expires_in"] == 86_399
    assert grant["userType"] == "Location"
    assert grant["locationId"] == location_id
    assert set(grant["scope"].split()) == set(SCOPES.split())
    assert grant["refresh_token"] and grant["userId"]

    search = ghl.get("/opportunities/search", params={"location_id": location_id, "limit": 1},
                     token=grant["access_token"])
    assert search.status_code == 200
    # A code is good once.
    again = token(ghl, grant_type="authorization_code", code=code)
    assert again.status_code == 400
    assert again.json()["error"] == "invalid_grant"


def test_refresh_rotates_and_a_used_refresh_token_is_invalid_grant(ghl: Ghl,
                                                                   sandbox_url: str) -> None:
    first = token(ghl, grant_type="authorization_code", code=consent(sandbox_url)).json()
    second = token(ghl, grant_type="refresh_token", refresh_token=first["refresh_token"])
    assert second.status_code == 200
    rotated = second.json()
    assert rotated["refresh_token"] != first["refresh_token"]
    assert rotated["access_token"] != first["access_token"]
    assert rotated["scope"] == first["scope"]

    reused = token(ghl, grant_type="refresh_token", refresh_token=first["refresh_token"])
    assert reused.status_code == 400
    body = reused.json()
    assert body["error"] == "invalid_grant"
    assert body["statusCode"] == 400 and body["error_description"]
    third = token(ghl, grant_type="refresh_token", refresh_token=rotated["refresh_token"])
    assert third.status_code == 200


def test_access_tokens_expire(ghl: Ghl, sandbox_url: str, location_id: str,
                              admin: httpx.Client) -> None:
    grant = token(ghl, grant_type="authorization_code", code=consent(sandbox_url)).json()
    params = {"location_id": location_id, "limit": 1}
    assert ghl.get("/opportunities/search", params=params,
                   token=grant["access_token"]).status_code == 200
    admin.post("/clock", json={"advance": grant["expires_in"] + 1}).raise_for_status()
    expired = ghl.get("/opportunities/search", params=params, token=grant["access_token"])
    assert expired.status_code == 401
    assert expired.json()["message"] == "Invalid JWT"
    fresh = token(ghl, grant_type="refresh_token", refresh_token=grant["refresh_token"]).json()
    assert ghl.get("/opportunities/search", params=params,
                   token=fresh["access_token"]).status_code == 200


def test_token_lifetime_is_configurable() -> None:
    with SandboxServer(access_token_ttl=60) as short, httpx.Client(base_url=short.url) as http:
        code = consent(short.url)
        grant = http.post("/oauth/token", data={
            "client_id": DEMO_CLIENT_ID, "client_secret": DEMO_CLIENT_SECRET,
            "grant_type": "authorization_code", "code": code}).json()
    assert grant["expires_in"] == 60


def test_scopes_of_the_grant_are_enforced(ghl: Ghl, sandbox_url: str,
                                          location_id: str) -> None:
    grant = token(ghl, grant_type="authorization_code",
                  code=consent(sandbox_url, scope="contacts.readonly")).json()
    refused = ghl.get("/opportunities/search", params={"location_id": location_id},
                      token=grant["access_token"])
    assert refused.status_code == 401
    assert refused.json()["message"] == "The token is not authorized for this scope."


def test_wrong_client_secret(ghl: Ghl, sandbox_url: str) -> None:
    code = consent(sandbox_url)
    response = ghl.post("/oauth/token", data={
        "client_id": DEMO_CLIENT_ID, "client_secret": "wrong",
        "grant_type": "authorization_code", "code": code}, token=None, version=None)
    assert response.status_code == 401
    assert response.json()["error"] == "invalid_client"


def test_token_endpoint_wants_a_form(ghl: Ghl) -> None:
    response = ghl.post("/oauth/token", json={"client_id": DEMO_CLIENT_ID}, token=None,
                        version=None)
    assert response.status_code == 422
    assert "client_id should not be empty" in response.json()["message"]


def test_deny_redirects_with_access_denied(sandbox_url: str) -> None:
    with httpx.Client(base_url=sandbox_url) as browser:
        answer = browser.post("/oauth/chooselocation", data={
            "client_id": DEMO_CLIENT_ID, "redirect_uri": REDIRECT, "scope": SCOPES,
            "state": "s1", "decision": "deny"})
    assert answer.status_code == 302
    query = parse_qs(urlsplit(answer.headers["location"]).query)
    assert query["error"] == ["access_denied"] and query["state"] == ["s1"]


@pytest.mark.parametrize("change", [
    {"client_id": "nobody"}, {"scope": "made.up"}, {"scope": ""}, {"redirect_uri": "ftp://x"},
])
def test_consent_page_refuses_bad_requests(sandbox_url: str, change: dict[str, Any]) -> None:
    params = {"response_type": "code", "client_id": DEMO_CLIENT_ID, "redirect_uri": REDIRECT,
              "scope": SCOPES, **change}
    page = httpx.get(f"{sandbox_url}/oauth/chooselocation", params=params)
    assert page.status_code == 400


def test_registered_app_with_fixed_redirect(sandbox_url: str, admin: httpx.Client,
                                            ghl: Ghl) -> None:
    app = admin.post("/apps", json={"name": "Partner", "redirectUris": [REDIRECT],
                                    "scopes": ["contacts.readonly"]}).json()
    with httpx.Client(base_url=sandbox_url) as browser:
        wrong = browser.get("/oauth/chooselocation", params={
            "client_id": app["clientId"], "redirect_uri": "https://evil.example/cb",
            "scope": "contacts.readonly"})
        too_much = browser.get("/oauth/chooselocation", params={
            "client_id": app["clientId"], "redirect_uri": REDIRECT,
            "scope": "contacts.write"})
        answer = browser.post("/oauth/chooselocation", data={
            "client_id": app["clientId"], "redirect_uri": REDIRECT,
            "scope": "contacts.readonly", "decision": "approve"})
    assert (wrong.status_code, too_much.status_code) == (400, 400)
    code = parse_qs(urlsplit(answer.headers["location"]).query)["code"][0]
    grant = ghl.post("/oauth/token", data={
        "client_id": app["clientId"], "client_secret": app["clientSecret"],
        "grant_type": "authorization_code", "code": code}, token=None, version=None)
    assert grant.status_code == 200


def test_agency_token_buys_a_location_token(ghl: Ghl, sandbox_url: str,
                                            location_id: str, sandbox_company: str) -> None:
    code = consent(sandbox_url, scope="oauth.write oauth.readonly opportunities.readonly",
                   target="company")
    agency = token(ghl, grant_type="authorization_code", code=code).json()
    assert agency["userType"] == "Company"
    assert "locationId" not in agency
    assert location_id in agency["approvedLocations"]

    installed = ghl.get("/oauth/installedLocations", token=agency["access_token"],
                        params={"companyId": sandbox_company, "appId": DEMO_CLIENT_ID})
    assert installed.status_code == 200
    assert installed.json()["locations"][0]["_id"] == location_id

    response = ghl.post("/oauth/locationToken", token=agency["access_token"],
                        data={"companyId": sandbox_company, "locationId": location_id})
    assert response.status_code == 200
    scoped = response.json()
    assert scoped["locationId"] == location_id
    search = ghl.get("/opportunities/search", params={"location_id": location_id, "limit": 1},
                     token=scoped["access_token"])
    assert search.status_code == 200


def test_location_token_needs_an_agency_oauth_token(ghl: Ghl, location_id: str,
                                                    sandbox_company: str) -> None:
    response = ghl.post("/oauth/locationToken",
                        data={"companyId": sandbox_company, "locationId": location_id})
    assert response.status_code == 401


def test_auto_approve_skips_the_page() -> None:
    with SandboxServer(auto_approve=True) as server:
        answer = httpx.get(f"{server.url}/oauth/chooselocation", params={
            "client_id": DEMO_CLIENT_ID, "redirect_uri": REDIRECT, "scope": SCOPES,
            "state": "auto"})
    assert answer.status_code == 302
    assert parse_qs(urlsplit(answer.headers["location"]).query)["state"] == ["auto"]


def test_v2_authorize_path(sandbox_url: str) -> None:
    page = httpx.get(f"{sandbox_url}/v2/oauth/chooselocation", params={
        "client_id": DEMO_CLIENT_ID, "redirect_uri": REDIRECT, "scope": SCOPES})
    assert page.status_code == 200
