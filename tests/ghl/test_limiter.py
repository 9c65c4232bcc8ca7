"""The shared limiter: two worker processes stay under the sandbox's limit together, the
pace follows the X-RateLimit-* headers, a 429 shuts the bucket, the daily quota is kept."""

from __future__ import annotations

import httpx
import pytest

from nodes.ghl.client import GhlClient, StaticToken
from nodes.ghl.errors import GhlQuotaExhausted
from nodes.ghl.limiter import Limiter, bucket
from nodes.ghl.openapi import find
from tests.helpers import doc, node, wait_for_run

PIPELINES = find("GET", "/opportunities/pipelines")


@pytest.fixture
def client(svc, sandbox):
    with httpx.Client() as http:
        yield GhlClient(http, sandbox.url, StaticToken(sandbox.token),
                        bucket=bucket("pit", sandbox.location_id), limiter=Limiter(svc.redis))


def pipelines(client, sandbox):
    return client.call(PIPELINES, query={"locationId": sandbox.location_id})


def test_two_workers_share_the_limit_and_get_no_429(api, svc, sandbox, admin, stats,
                                                    connection, start_worker):
    admin.post("/limits", json={"rateLimit": 20, "rateWindow": 1})
    admin.delete("/stats")
    document = doc(
        node("start", "core.trigger.manual"),
        node("list", "ghl.opportunities.pipelines", credential=connection, params={}),
        edges=[("start", "list")], name="Many reads")
    workflow_id = api.post("/api/workflows", json={"document": document}).json["id"]
    start_worker(), start_worker()
    runs = [api.post(f"/api/workflows/{workflow_id}/run",
                     json={"input": [{"n": i} for i in range(35)]}).json["run_id"]
            for _ in range(2)]
    for run_id in runs:
        assert wait_for_run(svc, run_id, timeout=120).status == "succeeded"
    seen = stats()
    assert seen["responses429"] == 0
    assert seen["requests"] == 70
    peaks = [b["peakInWindow"] for key, b in seen["buckets"].items()
             if key.endswith(sandbox.location_id)]
    assert peaks and max(peaks) <= 20


def test_the_limits_are_learnt_from_the_headers(client, sandbox, admin, svc):
    admin.post("/limits", json={"rateLimit": 30, "rateWindow": 2})
    pipelines(client, sandbox)
    state = client.limiter.state(client.bucket)
    assert state["max"] == "30" and state["window"] == "2000"
    assert state["daily_limit"] == "200000"


def test_requests_spent_elsewhere_slow_us_down_instead_of_causing_429s(client, sandbox, admin,
                                                                      stats):
    admin.post("/limits", json={"rateLimit": 20, "rateWindow": 1})
    admin.delete("/stats")
    # Someone else (another integration with the same token) spends 15 of the 20.
    headers = {"Authorization": f"Bearer {sandbox.token}", "Version": "2021-07-28"}
    for _ in range(15):
        httpx.get(f"{sandbox.url}/opportunities/pipelines", headers=headers,
                  params={"locationId": sandbox.location_id}).raise_for_status()
    for _ in range(25):
        pipelines(client, sandbox)
    assert stats()["responses429"] == 0
    assert client.stats["429"] == 0


def test_a_429_shuts_the_bucket_for_every_caller(client, sandbox, admin, svc):
    admin.post("/limits", json={"rateWindow": 0.5})
    admin.post("/faults", json={"force_429": 1})
    pipelines(client, sandbox)  # the 429, then the retry after the window
    assert client.stats["429"] == 1
    state = Limiter(svc.redis).state(client.bucket)  # another worker's view
    assert int(state["blocked"]) > 0


def test_the_daily_quota_stops_before_sending(client, sandbox, admin, stats):
    admin.post("/limits", json={"dailyLimit": 5})
    admin.delete("/stats")
    for _ in range(5):
        pipelines(client, sandbox)
    with pytest.raises(GhlQuotaExhausted) as caught:
        pipelines(client, sandbox)
    assert caught.value.retry_after and caught.value.retry_after > 0
    assert stats()["requests"] == 5
