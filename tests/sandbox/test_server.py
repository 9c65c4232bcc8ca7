"""The server object, the command line, the admin routes, and `create_app` on its own."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import httpx
import pytest

from sandbox import DEMO_LOCATION_ID, DEMO_TOKEN, SandboxServer, create_app
from sandbox.server import parser
from tests.sandbox.client import Ghl

ROOT = Path(__file__).resolve().parents[2]


def test_server_lifecycle() -> None:
    server = SandboxServer(opportunities=3)
    with pytest.raises(RuntimeError):
        _ = server.url
    server.start()
    url = server.url
    try:
        assert url.startswith("http://127.0.0.1:")
        info = httpx.get(f"{url}/_sandbox").json()
        assert (info["token"], info["locationId"]) == (DEMO_TOKEN, DEMO_LOCATION_ID)
    finally:
        server.stop()
    server.stop()  # stopping twice is harmless
    with pytest.raises(httpx.ConnectError):
        httpx.get(f"{url}/_sandbox", timeout=1)


def test_unknown_options_are_an_error() -> None:
    with pytest.raises(TypeError, match="opportunites"):
        SandboxServer(opportunites=5)


def test_create_app_builds_independent_apps() -> None:
    small = create_app(options={"opportunities": 2})
    empty = create_app(options={"opportunities": 0})
    headers = {"Authorization": f"Bearer {DEMO_TOKEN}", "Version": "2021-07-28"}
    url = f"/opportunities/search?location_id={DEMO_LOCATION_ID}"
    totals = [app.test_client().get(url, headers=headers).get_json()["meta"]["total"]
              for app in (small, empty)]
    assert totals == [2, 0]


def test_command_line_serves_and_prints_what_a_client_needs(tmp_path: Path) -> None:
    process = subprocess.Popen(
        [sys.executable, "-m", "sandbox", "--port", "0", "--opportunities", "7", "--quiet",
         "--keys-dir", str(tmp_path / "keys")],
        cwd=ROOT, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True,
    )
    try:
        assert process.stdout is not None
        lines = [process.stdout.readline() for _ in range(4)]
        url = lines[0].split(" at ")[1].strip()
        assert DEMO_TOKEN in lines[1] and DEMO_LOCATION_ID in lines[2]
        ghl = Ghl(url, DEMO_TOKEN)
        search = ghl.get("/opportunities/search", params={"location_id": DEMO_LOCATION_ID})
        assert search.json()["meta"]["total"] == 7
        ghl.close()
        assert sorted(p.name for p in (tmp_path / "keys").iterdir()) == [
            "webhook-ed25519.pem", "webhook-rsa.pem"]
    finally:
        process.terminate()
        process.wait(timeout=10)


def test_keys_dir_keeps_the_keys_across_restarts(tmp_path: Path) -> None:
    with SandboxServer(keys_dir=tmp_path) as first:
        keys = httpx.get(f"{first.url}/_sandbox/keys").json()
    with SandboxServer(keys_dir=tmp_path) as second:
        assert httpx.get(f"{second.url}/_sandbox/keys").json() == keys
    assert (tmp_path / "webhook-rsa.pem").stat().st_mode & 0o077 == 0


def test_parser_defaults() -> None:
    args = parser().parse_args(["--rate-limit", "100", "--rate-window", "1",
                                "--webhook-url", "http://a", "--webhook-url", "http://b"])
    assert (args.rate_limit, args.rate_window, args.opportunities) == (100, 1.0, 200)
    assert args.webhook_url == ["http://a", "http://b"]


def test_reset_reseeds_with_a_new_size(ghl: Ghl, location_id: str,
                                       admin: httpx.Client) -> None:
    assert admin.post("/reset", json={"opportunities": 1000}).json()["opportunities"] == 1000
    total = ghl.get("/opportunities/search",
                    params={"location_id": location_id}).json()["meta"]["total"]
    assert total == 1000
    admin.post("/reset")
    total = ghl.get("/opportunities/search",
                    params={"location_id": location_id}).json()["meta"]["total"]
    assert total == 200


def test_stats_count_requests(ghl: Ghl, location_id: str, admin: httpx.Client) -> None:
    for _ in range(3):
        ghl.get("/opportunities/pipelines", params={"locationId": location_id})
    ghl.get("/nowhere")
    stats = admin.get("/stats").json()
    assert stats["requests"] == 4
    assert stats["statuses"] == {"200": 3, "404": 1}
    assert stats["operations"] == {"GET /opportunities/pipelines": 3}
    assert stats["locations"] == {location_id: 3}
    admin.delete("/stats")
    assert admin.get("/stats").json()["requests"] == 0


def test_admin_validates_its_input(admin: httpx.Client) -> None:
    assert admin.post("/tokens", json={"scopes": ["no.such"]}).status_code == 400
    assert admin.post("/tokens", json={"locationId": "nowhere"}).status_code == 400
    assert admin.post("/webhooks", json={"urls": ["not a url"]}).status_code == 400
    assert admin.post("/limits", json={"rateLimit": 0}).status_code == 400
    assert admin.post("/reset", json={"opportunities": -1}).status_code == 400
    assert admin.post("/reset", data=b"[1]",  # type: ignore[arg-type]
                      headers={"content-type": "application/json"}).status_code == 400


def test_agency_token_from_admin(admin: httpx.Client, ghl: Ghl, location_id: str,
                                 sandbox_company: str) -> None:
    agency = admin.post("/tokens", json={"userType": "Company"}).json()
    assert agency["userType"] == "Company" and agency["locationId"] is None
    renamed = ghl.put(f"/locations/{location_id}",
                      json={"name": "Renamed Co", "companyId": sandbox_company},
                      token=agency["token"])
    assert renamed.status_code == 200
    assert ghl.get(f"/locations/{location_id}").json()["location"]["name"] == "Renamed Co"
