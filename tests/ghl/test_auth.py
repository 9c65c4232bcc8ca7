"""Connections: the OAuth authorization-code flow with its state check, refresh before expiry
under the lock (each refresh rotates the refresh token), invalid_grant marking the connection,
a 401 refreshing once, Test connection, and the PIT check before saving."""

from __future__ import annotations

import threading
import time
from urllib.parse import parse_qs, urlparse

import httpx
import pytest

from nodes.ghl import auth
from nodes.ghl.errors import GhlBadRequest, GhlReauthRequired
from nodes.ghl.host import host_for
from sandbox.options import DEMO_CLIENT_ID, DEMO_CLIENT_SECRET
from tests.ghl.helpers import main
from tests.helpers import doc
from tests.helpers import node as doc_node

OAUTH = "HighLevel (OAuth)"


@pytest.fixture
def oauth_connection(api, sandbox):
    answer = api.post("/api/credentials", json={"name": OAUTH, "kind": auth.OAUTH_KIND, "data": {
        "client_id": DEMO_CLIENT_ID, "client_secret": DEMO_CLIENT_SECRET,
        "scopes": "opportunities.readonly contacts.readonly", "base_url": sandbox.url,
        "authorize_url": f"{sandbox.url}/oauth/chooselocation"}})
    assert answer.status_code == 201, answer.json
    return answer.json["id"]


def approve(sandbox, location):
    """What the person does on HighLevel's page: approve for the sandbox location."""
    query = {k: v[0] for k, v in parse_qs(urlparse(location).query).items()}
    answer = httpx.post(f"{sandbox.url}/oauth/chooselocation",
                        data={**query, "decision": "approve",
                              "target": f"location:{sandbox.location_id}"})
    assert answer.status_code == 302, answer.text
    return answer.headers["location"]


@pytest.fixture
def authorised(api, anonymous, sandbox, oauth_connection):
    start = api.get(f"/api/connections/{oauth_connection}/authorize")
    back = urlparse(approve(sandbox, start.headers["Location"]))
    answer = anonymous.get(f"{back.path}?{back.query}")
    assert answer.status_code == 200, answer.data
    return oauth_connection


def stored(svc, credential_id):
    return host_for(svc).store.load(credential_id)


def token_calls(trace):
    """The refreshes the connector made (the trace masks the tokens themselves)."""
    return [line for line in trace.read_text().splitlines()
            if '"/oauth/token"' in line and '"grant_type": "refresh_token"' in line]


def test_connect_sends_the_person_to_highlevel_with_a_state(api, sandbox, oauth_connection,
                                                            config):
    answer = api.get(f"/api/connections/{oauth_connection}/authorize")
    assert answer.status_code == 302
    target = urlparse(answer.headers["Location"])
    query = parse_qs(target.query)
    assert f"{target.scheme}://{target.netloc}{target.path}" == \
        f"{sandbox.url}/oauth/chooselocation"
    assert query["client_id"] == [DEMO_CLIENT_ID]
    assert query["scope"] == ["opportunities.readonly contacts.readonly"]
    assert query["redirect_uri"] == [f"{config.base_url}/api/ghl/oauth/callback"]
    assert len(query["state"][0]) >= 32


def test_the_callback_stores_the_tokens_encrypted(api, svc, authorised, sandbox, node):
    data = stored(svc, authorised)
    assert data["access_token"] and data["refresh_token"]
    assert data["location_id"] == sandbox.location_id
    assert data["granted_scopes"] == "contacts.readonly opportunities.readonly"
    shown = api.get(f"/api/credentials/{authorised}").json["data"]
    assert shown["access_token"] == shown["refresh_token"] == "••••••••"
    pipelines = main(node("ghl.opportunities.pipelines", {}, credential=OAUTH))
    assert len(pipelines) == 2


def test_a_callback_without_the_right_state_is_refused(api, anonymous, sandbox,
                                                       oauth_connection):
    start = api.get(f"/api/connections/{oauth_connection}/authorize")
    back = urlparse(approve(sandbox, start.headers["Location"]))
    code = parse_qs(back.query)["code"][0]
    assert anonymous.get(f"{back.path}?code={code}&state=forged").status_code == 400
    assert anonymous.get(f"{back.path}?code={code}").status_code == 400
    assert anonymous.get(f"{back.path}?{back.query}").status_code == 200
    assert anonymous.get(f"{back.path}?{back.query}").status_code == 400  # used once


def test_a_denied_authorization_is_reported(api, anonymous, sandbox, oauth_connection):
    start = api.get(f"/api/connections/{oauth_connection}/authorize")
    query = {k: v[0] for k, v in parse_qs(urlparse(start.headers["Location"]).query).items()}
    denied = httpx.post(f"{sandbox.url}/oauth/chooselocation",
                        data={**query, "decision": "deny"})
    back = urlparse(denied.headers["location"])
    answer = anonymous.get(f"{back.path}?{back.query}")
    assert answer.status_code == 400 and "did not authorise" in answer.json["detail"]


def test_only_oauth_connections_are_authorised(api, connection):
    pit = next(c for c in api.get("/api/credentials").json["credentials"]
               if c["name"] == connection)
    assert api.get(f"/api/connections/{pit['id']}/authorize").status_code == 422


def test_workers_refresh_once_and_share_the_rotated_token(svc, authorised, sandbox,
                                                          spec_trace):
    host = host_for(svc)
    before = stored(svc, authorised)
    host.store.save(authorised, {"expires_at": time.time() + 5})  # inside the refresh skew
    results, failures = [], []

    def worker():
        try:
            client = host.client(host.connection(OAUTH))  # each with its own stale copy
            results.append(client.get("/opportunities/pipelines", query={
                "locationId": sandbox.location_id})["pipelines"])
        except Exception as err:
            failures.append(err)

    threads = [threading.Thread(target=worker) for _ in range(6)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert failures == [] and len(results) == 6
    assert len(token_calls(spec_trace)) == 1  # one refresh for six callers
    assert "sbx-" not in spec_trace.read_text()  # no token reaches the trace file
    after = stored(svc, authorised)
    assert after["access_token"] != before["access_token"]
    assert after["refresh_token"] != before["refresh_token"]
    assert after["expires_at"] > time.time() + 3600
    with pytest.raises(GhlBadRequest) as caught:  # the old refresh token died with the use
        auth.refresh(httpx.Client(), before)
    assert caught.value.body["error"] == "invalid_grant"


def test_a_rejected_access_token_is_refreshed_once(svc, authorised, node, spec_trace):
    host_for(svc).store.save(authorised, {"access_token": "sbx-at-revoked",
                                          "expires_at": time.time() + 3600})
    assert main(node("ghl.opportunities.pipelines", {}, credential=OAUTH))
    assert len(token_calls(spec_trace)) == 1


def test_invalid_grant_marks_the_connection_and_tells_people(api, svc, authorised, node,
                                                             spec_trace):
    host_for(svc).store.save(authorised, {"refresh_token": "sbx-rt-gone",
                                          "expires_at": time.time() - 10})
    with pytest.raises(GhlReauthRequired) as caught:
        node("ghl.opportunities.pipelines", {}, credential=OAUTH)
    assert "authorised again" in caught.value.message
    data = stored(svc, authorised)
    assert data["needs_reauth"] is True and "refresh token" in data["reauth_reason"]
    calls = len(token_calls(spec_trace))
    with pytest.raises(GhlReauthRequired):  # no more refresh attempts until reconnected
        node("ghl.opportunities.pipelines", {}, credential=OAUTH)
    assert len(token_calls(spec_trace)) == calls
    notes = api.get("/api/notifications").json
    assert any("must be connected again" in n["title"] for n in notes["notifications"])


def test_test_connection_reports_location_and_scopes(api, authorised, sandbox):
    document = doc(doc_node("start", "core.trigger.manual"),
                   doc_node("make", "ghl.opportunities.create", credential=OAUTH,
                            params={"name": "x", "pipelineId": "p", "status": "open",
                                    "contactId": "c"}),
                   edges=[("start", "make")], name="Creates deals")
    assert api.post("/api/workflows", json={"document": document}).status_code == 201
    result = api.post(f"/api/connections/{authorised}/test").json
    assert result["ok"] is True and result["location"]["id"] == sandbox.location_id
    assert result["scopes"]["granted"] == ["contacts.readonly", "opportunities.readonly"]
    assert result["scopes"]["needed"] == ["opportunities.write"]
    assert result["scopes"]["missing"] == ["opportunities.write"]
    assert result["workflows"][0]["name"] == "Creates deals"


def test_test_connection_of_the_sandbox_pit(api, connection, sandbox):
    pit = next(c for c in api.get("/api/credentials").json["credentials"]
               if c["name"] == connection)
    result = api.post(f"/api/connections/{pit['id']}/test").json
    assert result["ok"] is True
    assert result["location"] == {"id": sandbox.location_id, "name": result["location"]["name"]}
    assert result["location"]["name"]
    assert result["scopes"]["missing"] is None  # the PIT does not list its scopes


def test_a_pit_is_checked_before_saving(api, sandbox):
    answer = api.post("/api/credentials", json={"name": "Wrong", "kind": auth.PIT_KIND, "data": {
        "token": "pit-wrong", "location_id": sandbox.location_id, "base_url": sandbox.url}})
    assert answer.status_code == 422
    assert "refused the token" in answer.json["detail"]


def test_scope_warnings_before_a_run(svc, authorised):
    from nodes.ghl.scopes import scope_warnings
    from server.credentials import load_by_name

    document = doc(doc_node("start", "core.trigger.manual"),
                   doc_node("read", "ghl.opportunities.search", credential=OAUTH, params={}),
                   doc_node("make", "ghl.opportunities.create", credential=OAUTH,
                            params={}), edges=[("start", "read"), ("read", "make")])
    warnings = scope_warnings(document, lambda name: load_by_name(svc, name))
    assert [(w[0], w[1]) for w in warnings] == [("make", "/nodes/2/credential")]
    assert "opportunities.write" in warnings[0][2]


def test_the_editor_sees_missing_scopes_as_warnings(api, authorised):
    document = doc(doc_node("start", "core.trigger.manual"),
                   doc_node("make", "ghl.opportunities.create", credential=OAUTH, params={
                       "pipelineId": "p1", "name": "Deal", "status": "open",
                       "contactId": "c1"}),
                   edges=[("start", "make")])
    report = api.post("/api/workflows/validate", json=document).json
    assert report["valid"] is True
    assert [(w["node_id"], w["pointer"]) for w in report["warnings"]] == [
        ("make", "/nodes/1/credential")]
    assert "opportunities.write" in report["warnings"][0]["message"]
    created = api.post("/api/workflows", json={"document": document}).json
    saved = api.put(f"/api/workflows/{created['id']}", json={"document": document}).json
    assert [w["node_id"] for w in saved["warnings"]] == ["make"]
