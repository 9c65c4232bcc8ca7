"""Fault injection, set at run time: errors, forced 429s, timeouts, latency, reset."""

from __future__ import annotations

import httpx
import pytest

from tests.sandbox.client import Ghl


def pipelines(ghl: Ghl, location_id: str) -> httpx.Response:
    return ghl.get("/opportunities/pipelines", params={"locationId": location_id})


def test_error_rate_answers_the_chosen_5xx(ghl: Ghl, location_id: str,
                                           admin: httpx.Client) -> None:
    settings = admin.post("/faults", json={"error_rate": 1.0, "error_status": 502}).json()
    assert settings["error_rate"] == 1.0
    response = pipelines(ghl, location_id)
    assert response.status_code == 502
    assert response.json()["statusCode"] == 502
    assert response.headers["X-Sandbox-Fault"] == "error"
    admin.post("/faults", json={"reset": True})
    assert pipelines(ghl, location_id).status_code == 200


def test_a_share_of_requests_fail(ghl: Ghl, location_id: str, admin: httpx.Client) -> None:
    admin.post("/faults", json={"error_rate": 0.5})
    statuses = {pipelines(ghl, location_id).status_code for _ in range(60)}
    assert statuses == {200, 503}


def test_force_429_for_the_next_requests(ghl: Ghl, location_id: str,
                                         admin: httpx.Client) -> None:
    admin.post("/faults", json={"force_429": 2})
    statuses = [pipelines(ghl, location_id).status_code for _ in range(3)]
    assert statuses == [429, 429, 200]
    stats = admin.get("/stats").json()
    assert (stats["forced429"], stats["responses429"], stats["rateLimited"]) == (2, 2, 0)
    assert admin.get("/faults").json()["force_429"] == 0


def test_forced_429_carries_the_rate_limit_headers(ghl: Ghl, location_id: str,
                                                   admin: httpx.Client) -> None:
    admin.post("/faults", json={"force_429": 1})
    response = pipelines(ghl, location_id)
    assert response.status_code == 429
    assert "X-RateLimit-Remaining" in response.headers


def test_timeouts_hang_past_the_client_timeout(sandbox_url: str, location_id: str,
                                               admin: httpx.Client, ghl: Ghl) -> None:
    admin.post("/faults", json={"timeout_rate": 1.0, "timeout_s": 30})
    with pytest.raises(httpx.ReadTimeout):
        httpx.get(f"{sandbox_url}/opportunities/pipelines", params={"locationId": location_id},
                  headers={"Authorization": f"Bearer {ghl.token}", "Version": "2021-07-28"},
                  timeout=0.5)
    admin.delete("/faults")  # releases whatever still hangs
    assert pipelines(ghl, location_id).status_code == 200


def test_latency_delays_without_changing_answers(ghl: Ghl, location_id: str,
                                                 admin: httpx.Client) -> None:
    assert admin.post("/faults", json={"latency_ms": 50}).json()["latency_ms"] == 50
    response = pipelines(ghl, location_id)
    assert response.status_code == 200
    assert "X-Sandbox-Fault" not in response.headers


def test_admin_routes_are_never_faulted(admin: httpx.Client) -> None:
    admin.post("/faults", json={"error_rate": 1.0})
    assert admin.get("/stats").status_code == 200


@pytest.mark.parametrize("bad", [{"error_rate": 2}, {"error_status": 404}, {"nope": 1},
                                 {"latency_ms": -1}])
def test_bad_fault_settings_are_refused(admin: httpx.Client, bad: dict[str, object]) -> None:
    response = admin.post("/faults", json=bad)
    assert response.status_code == 400
    assert response.headers["content-type"].startswith("application/problem+json")
