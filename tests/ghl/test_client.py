"""The client against the sandbox: typed errors with GHL's status and message, bounded
retries with backoff for 429, 5xx and timeouts, and no retry for other 4xx."""

from __future__ import annotations

from dataclasses import replace

import httpx
import pytest

from nodes.ghl import errors
from nodes.ghl.client import GhlClient, StaticToken
from nodes.ghl.errors import from_response
from nodes.ghl.limiter import Limiter, bucket
from nodes.ghl.openapi import find
from nodes.ghl.settings import settings

SEARCH = find("GET", "/opportunities/search")
GET = find("GET", "/opportunities/{id}")
CREATE = find("POST", "/opportunities/")


@pytest.fixture
def make_client(svc, sandbox):
    made = []

    def make(token=None, attempts=4, timeout=10.0, limiter=True):
        delays: list[float] = []
        config = replace(settings(), max_attempts=attempts, backoff_s=0.02, max_backoff_s=0.2,
                         timeout_s=timeout)
        http = httpx.Client()
        made.append(http)
        client = GhlClient(http, sandbox.url, StaticToken(token or sandbox.token),
                           bucket=bucket("pit", sandbox.location_id),
                           limiter=Limiter(svc.redis, config) if limiter else None,
                           config=config, sleep=delays.append)
        client.delays = delays  # type: ignore[attr-defined]
        return client

    yield make
    for http in made:
        http.close()


def search(client, sandbox, **query):
    return client.call(SEARCH, query={"location_id": sandbox.location_id, **query})


def test_a_search_answers_and_counts_one_request(make_client, sandbox):
    client = make_client()
    body = search(client, sandbox, limit=3).body
    assert len(body["opportunities"]) == 3
    assert client.stats == {"requests": 1, "retries": 0, "429": 0}


def test_a_wrong_token_is_401_and_not_retried(make_client, sandbox):
    client = make_client(token="pit-not-a-real-token")
    with pytest.raises(errors.GhlUnauthorized) as caught:
        search(client, sandbox)
    assert caught.value.status == 401
    assert caught.value.ghl_message
    assert client.stats["requests"] == 1


def test_a_missing_scope_is_its_own_error(make_client, sandbox, admin):
    token = admin.post("/tokens", json={"scopes": ["contacts.readonly"]}).json()["token"]
    client = make_client(token=token)
    with pytest.raises(errors.GhlScopeMissing) as caught:
        search(client, sandbox)
    assert "not authorized for this scope" in caught.value.message
    assert client.stats["requests"] == 1


def test_an_unknown_opportunity_is_404(make_client):
    client = make_client()
    with pytest.raises(errors.GhlNotFound) as caught:
        client.call(GET, path={"id": "doesNotExist00000000"})
    assert caught.value.status == 404
    assert caught.value.details["path"] == "/opportunities/doesNotExist00000000"
    assert client.stats["requests"] == 1


@pytest.mark.bad_requests
def test_a_422_carries_every_message_and_is_not_retried(make_client, sandbox):
    client = make_client()
    with pytest.raises(errors.GhlUnprocessable) as caught:
        client.call(CREATE, body={"locationId": sandbox.location_id})
    assert "name should not be empty" in caught.value.messages
    assert len(caught.value.messages) > 1
    assert client.stats["requests"] == 1


@pytest.mark.bad_requests
def test_a_missing_version_header_is_400(make_client, sandbox):
    client = make_client()
    with pytest.raises(errors.GhlBadRequest) as caught:
        client.request("GET", "/opportunities/search", version=None,
                       query={"location_id": sandbox.location_id})
    assert "Version" in caught.value.ghl_message
    assert client.stats["requests"] == 1


def test_429s_are_retried_until_it_goes_through(make_client, sandbox, admin):
    # A 429 shuts the bucket for the window the headers name: a short one keeps this quick.
    admin.post("/limits", json={"rateWindow": 0.2})
    admin.post("/faults", json={"force_429": 2})
    client = make_client()
    assert search(client, sandbox).status == 200
    assert client.stats == {"requests": 3, "retries": 2, "429": 2}


def test_429s_give_up_after_the_attempts(make_client, sandbox, admin):
    admin.post("/limits", json={"rateWindow": 0.2})
    admin.post("/faults", json={"force_429": 50})
    client = make_client(attempts=3)
    with pytest.raises(errors.GhlRateLimited):
        search(client, sandbox)
    assert client.stats["requests"] == 3


def test_5xx_is_retried_with_growing_jittered_delays_and_bounded(make_client, sandbox, admin):
    admin.post("/faults", json={"error_rate": 1.0, "error_status": 503})
    client = make_client(attempts=4, limiter=False)
    with pytest.raises(errors.GhlServerError) as caught:
        search(client, sandbox)
    assert caught.value.status == 503
    assert client.stats["requests"] == 4
    delays = client.delays
    assert len(delays) == 3
    for attempt, delay in enumerate(delays, start=1):
        ceiling = min(0.2, 0.02 * 2 ** (attempt - 1))
        assert ceiling * 0.5 <= delay <= ceiling


def test_a_flaky_server_is_retried_to_success(make_client, sandbox, admin):
    admin.post("/faults", json={"error_rate": 1.0, "error_status": 502})
    client = make_client(attempts=5, limiter=False)
    calls = []

    def heal(delay):
        calls.append(delay)
        if len(calls) == 2:
            admin.post("/faults", json={"reset": True})

    client.sleep = heal
    assert search(client, sandbox).status == 200
    assert client.stats["requests"] == 3


def test_timeouts_are_retried_for_reads_and_bounded(make_client, sandbox, admin):
    admin.post("/faults", json={"timeout_rate": 1.0, "timeout_s": 5})
    client = make_client(attempts=3, timeout=0.3, limiter=False)
    try:
        with pytest.raises(errors.GhlTimeout):
            search(client, sandbox)
    finally:
        admin.post("/faults", json={"reset": True})  # lets the hanging requests go
    assert client.stats["requests"] == 3


def test_a_create_that_timed_out_is_not_sent_again(make_client, sandbox, admin):
    """It may have been carried out: sending it again could make a duplicate."""
    admin.post("/faults", json={"timeout_rate": 1.0, "timeout_s": 5})
    client = make_client(attempts=3, timeout=0.3, limiter=False)
    body = {"locationId": sandbox.location_id, "pipelineId": "x", "name": "n",
            "status": "open", "contactId": "c"}
    try:
        with pytest.raises(errors.GhlTimeout):
            client.call(CREATE, body=body)
    finally:
        admin.post("/faults", json={"reset": True})
    assert client.stats["requests"] == 1


def test_every_status_maps_to_its_type():
    # The sandbox never answers 403 (HighLevel's v2 spec declares none); the mapping is
    # checked directly, with the v3 spec's ForbiddenDTO body.
    forbidden = from_response(403, {"statusCode": 403, "message": "You do not have "
                                    "permission to access this resource"}, "GET", "/x")
    assert isinstance(forbidden, errors.GhlForbidden)
    assert forbidden.ghl_message.startswith("You do not have permission")
    assert isinstance(from_response(500, {}, "GET", "/x"), errors.GhlServerError)
    assert isinstance(from_response(418, "teapot", "GET", "/x"), errors.GhlError)
    unprocessable = from_response(422, {"message": ["a", "b"]}, "POST", "/x")
    assert unprocessable.messages == ["a", "b"]
