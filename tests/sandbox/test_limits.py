"""Rate limits: the burst window and the daily quota per location, the X-RateLimit-* headers,
429 with a body when exceeded. Windows are set long so nothing depends on timing."""

from __future__ import annotations

import httpx
import pytest

from sandbox import SandboxServer
from tests.sandbox.client import Ghl

HEADERS = ("X-RateLimit-Limit-Daily", "X-RateLimit-Daily-Remaining",
           "X-RateLimit-Interval-Milliseconds", "X-RateLimit-Max", "X-RateLimit-Remaining")


@pytest.fixture
def limits(admin: httpx.Client) -> httpx.Client:
    return admin


def pipelines(ghl: Ghl, location_id: str, **kwargs: object) -> httpx.Response:
    return ghl.get("/opportunities/pipelines", params={"locationId": location_id}, **kwargs)


def test_headers_on_every_answer(ghl: Ghl, location_id: str, limits: httpx.Client) -> None:
    limits.post("/limits", json={"rateLimit": 100, "rateWindow": 600})
    ok = pipelines(ghl, location_id)
    refused = ghl.get("/opportunities/search", params={"location_id": location_id},
                      version=None)  # a 400 still counts and still reports
    assert refused.status_code == 400
    for response in (ok, refused):
        assert all(name in response.headers for name in HEADERS)
    assert ok.headers["X-RateLimit-Max"] == "100"
    assert ok.headers["X-RateLimit-Interval-Milliseconds"] == "600000"
    assert ok.headers["X-RateLimit-Limit-Daily"] == "200000"
    assert int(ok.headers["X-RateLimit-Remaining"]) == 99
    assert int(refused.headers["X-RateLimit-Remaining"]) == 98
    assert int(refused.headers["X-RateLimit-Daily-Remaining"]) == 199_998


def test_burst_limit_answers_429(ghl: Ghl, location_id: str, limits: httpx.Client) -> None:
    limits.post("/limits", json={"rateLimit": 5, "rateWindow": 600})
    statuses = [pipelines(ghl, location_id).status_code for _ in range(7)]
    assert statuses == [200] * 5 + [429] * 2
    refused = pipelines(ghl, location_id)
    assert refused.json()["statusCode"] == 429
    assert "5 requests per 600 seconds" in refused.json()["message"]
    assert refused.headers["X-RateLimit-Remaining"] == "0"
    stats = limits.get("/stats").json()
    assert stats["rateLimited"] == 3
    assert stats["responses429"] == 3
    assert stats["buckets"][f"private-integration:{location_id}"]["peakInWindow"] == 5


def test_the_window_slides(ghl: Ghl, location_id: str, limits: httpx.Client) -> None:
    limits.post("/limits", json={"rateLimit": 3, "rateWindow": 600})
    assert [pipelines(ghl, location_id).status_code for _ in range(4)] == [200, 200, 200, 429]
    limits.post("/clock", json={"advance": 601})
    assert pipelines(ghl, location_id).status_code == 200


def test_daily_limit(ghl: Ghl, location_id: str, limits: httpx.Client) -> None:
    limits.post("/limits", json={"dailyLimit": 3})
    assert [pipelines(ghl, location_id).status_code for _ in range(4)] == [200, 200, 200, 429]
    refused = pipelines(ghl, location_id)
    assert refused.headers["X-RateLimit-Daily-Remaining"] == "0"
    assert "Daily limit" in refused.json()["message"]
    limits.post("/clock", json={"advance": 86_400})
    assert pipelines(ghl, location_id).status_code == 200


def test_limits_are_per_location(ghl: Ghl, location_id: str, limits: httpx.Client) -> None:
    other = limits.post("/locations", json={}).json()["id"]
    other_token = limits.post("/tokens", json={"locationId": other}).json()["token"]
    limits.post("/limits", json={"rateLimit": 2, "rateWindow": 600})
    assert [pipelines(ghl, location_id).status_code for _ in range(3)] == [200, 200, 429]
    theirs = [pipelines(ghl, other, token=other_token).status_code for _ in range(3)]
    assert theirs == [200, 200, 429]


def test_tokens_of_one_location_share_its_budget(ghl: Ghl, location_id: str,
                                                 limits: httpx.Client) -> None:
    second = limits.post("/tokens", json={}).json()["token"]
    limits.post("/limits", json={"rateLimit": 2, "rateWindow": 600})
    assert pipelines(ghl, location_id).status_code == 200
    assert pipelines(ghl, location_id, token=second).status_code == 200
    assert pipelines(ghl, location_id, token=second).status_code == 429


def test_configured_at_start() -> None:
    with SandboxServer(rate_limit=2, rate_window=30, daily_limit=50) as server:
        headers = {"Authorization": f"Bearer {server.token}", "Version": "2021-07-28"}
        url = f"{server.url}/opportunities/pipelines"
        answers = [httpx.get(url, params={"locationId": server.location_id}, headers=headers)
                   for _ in range(3)]
    assert [a.status_code for a in answers] == [200, 200, 429]
    assert answers[0].headers["X-RateLimit-Interval-Milliseconds"] == "30000"
    assert answers[0].headers["X-RateLimit-Limit-Daily"] == "50"


def test_reset_restores_the_configured_limits(ghl: Ghl, location_id: str,
                                              limits: httpx.Client) -> None:
    limits.post("/limits", json={"rateLimit": 1})
    limits.post("/reset")
    assert limits.get("/limits").json()["rateLimit"] == 1_000_000
