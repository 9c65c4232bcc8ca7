"""The Dashboards page (funnel numbers from seeded rows, the owner filter in the URL, Refresh,
publishing a link that opens without signing in, revoking it) and the Reports page (a CSV file
a workflow run made: listed with its workflow and run, downloaded intact)."""

from __future__ import annotations

import csv
import io
import time
import uuid
from pathlib import Path
from typing import Any

from playwright.sync_api import expect

from tests.e2e.conftest import LiveServer
from tests.e2e.ui import DONE


def stage(page: Any, name: str) -> Any:
    return page.locator(f"[data-testid='funnel-stage'][data-stage='{name}']")


def expect_stage(page: Any, name: str, count: int, value: float) -> None:
    expect(stage(page, name)).to_have_attribute("data-count", str(count))
    expect(stage(page, name)).to_have_attribute("data-value", str(value))


def seed(live_server: LiveServer, tag: str) -> int:
    table = live_server.api("POST", "/api/tables/presets/opportunities")
    rows = [("A", "Proposal", 1000, "open", "ann", 20, "2026-03-10"),
            ("B", "Proposal", 500, "open", "bo", None, "2026-04-01"),
            ("C", "Closing", 2000, "open", "ann", 80, None),
            ("D", "Closing", 900, "won", "bo", None, "2026-01-15"),
            ("E", "Proposal", 300, "lost", "ann", None, "2026-02-10")]
    for name, stage_name, value, status, owner, forecast, close in rows:
        add(live_server, table["id"], tag, name=name, stage=stage_name, value=value,
            status=status, owner_id=f"{owner}-{tag}", forecast=forecast, close_date=close)
    return int(table["id"])


def add(live_server: LiveServer, table_id: int, tag: str, **values: Any) -> None:
    live_server.api("POST", f"/api/tables/{table_id}/rows", {"values": {
        **values, "pipeline_id": f"pipe-{tag}", "ghl_id": f"{tag}-{uuid.uuid4().hex[:6]}"}})


def test_pipeline_dashboard_filters_refresh_and_publish(page: Any, browser: Any,
                                                        live_server: LiveServer,
                                                        shot: Any) -> None:
    tag = uuid.uuid4().hex[:8]
    table_id = seed(live_server, tag)
    page.goto("/")
    page.get_by_role("link", name="Dashboards", exact=True).click()
    page.get_by_test_id("dashboards-page").wait_for()
    page.get_by_label("Pipeline", exact=True).select_option(f"pipe-{tag}")
    expect(page).to_have_url(f"{live_server.url}/dashboards?pipeline=pipe-{tag}")
    # Open deals by stage, with their count and value, as seeded.
    expect_stage(page, "Proposal", 2, 1500)
    expect_stage(page, "Closing", 1, 2000)
    expect(page.locator("[data-testid='total'][data-name='open_count'] strong")).to_have_text("3")
    expect(page.get_by_test_id("owner-bar")).to_have_count(2)
    expect(page.get_by_test_id("won-lost-chart")).to_contain_text("2026-01")
    shot(page, "dashboard")

    # One owner: the numbers follow, and the filter is in the URL (a reload keeps it).
    page.get_by_label("Owner", exact=True).select_option(f"ann-{tag}")
    expect(page).to_have_url(f"{live_server.url}/dashboards?pipeline=pipe-{tag}&owner=ann-{tag}")
    expect_stage(page, "Proposal", 1, 1000)
    expect_stage(page, "Closing", 1, 2000)
    expect(page.get_by_test_id("owner-bar")).to_have_count(1)
    expect(page.get_by_test_id("won-lost-chart")).not_to_contain_text("2026-01")
    page.reload()
    expect_stage(page, "Proposal", 1, 1000)
    expect(page.get_by_label("Owner", exact=True)).to_have_value(f"ann-{tag}")

    # Refresh reads the table again.
    add(live_server, table_id, tag, name="F", stage="Proposal", value=100, status="open",
        owner_id=f"ann-{tag}")
    page.get_by_test_id("refresh").click()
    expect_stage(page, "Proposal", 2, 1100)

    # Publish: a link that anyone can open, without signing in, showing this owner's numbers.
    page.get_by_role("button", name="Publish", exact=True).click()
    dialog = page.get_by_test_id("publish-dialog")
    dialog.get_by_label("Title", exact=True).fill(f"Ann's pipeline {tag}")
    dialog.get_by_role("button", name="Publish", exact=True).click()
    url = dialog.get_by_test_id("published-url").input_value()
    assert url.startswith(f"{live_server.url}/d/")
    dialog.get_by_role("button", name="Done", exact=True).click()
    listed = page.locator(f"[data-testid='published-link'][data-title=\"Ann's pipeline {tag}\"]")
    expect(listed).to_contain_text(url)

    anonymous = browser.new_context()
    try:
        public = anonymous.new_page()
        public.goto(url)
        expect(public.get_by_role("heading", level=1)).to_have_text(f"Ann's pipeline {tag}")
        expect(public.locator("p.muted").first).to_contain_text(f"owner ann-{tag}")
        expect(public.locator(".card", has_text="Open deals")).to_contain_text("3")
        assert anonymous.request.get(f"{live_server.url}/api/dashboards/published").status == 401

        # Revoked: gone from the list, and the link answers "not found".
        listed.get_by_role("button", name="Revoke", exact=True).click()
        page.get_by_test_id("confirm-dialog").get_by_role("button", name="Revoke").click()
        expect(listed).to_have_count(0)
        assert anonymous.request.get(url).status == 404
    finally:
        anonymous.close()


def run_with_input(live_server: LiveServer, workflow_id: int, items: list[dict[str, Any]]) -> int:
    run_id = int(live_server.api("POST", f"/api/workflows/{workflow_id}/run",
                                 {"input": items})["run_id"])
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        run = live_server.api("GET", f"/api/runs/{run_id}")
        if run["status"] in DONE:
            assert run["status"] == "succeeded", run["error"]
            return run_id
        time.sleep(0.2)
    raise AssertionError(f"run {run_id} did not finish")


def test_reports_lists_a_csv_a_run_made_and_downloads_it(page: Any, live_server: LiveServer,
                                                         shot: Any) -> None:
    tag = uuid.uuid4().hex[:8]
    filename = f"deals-{tag}.csv"
    workflow = live_server.create_workflow({
        "format": "flowlane/workflow@1", "name": f"Deals export {tag}",
        "nodes": [{"id": "start", "type": "core.trigger.manual", "name": "Start",
                   "position": [0, 0]},
                  {"id": "csv", "type": "core.file.csv", "name": "CSV file", "position": [300, 0],
                   "params": {"filename": filename}}],
        "edges": [{"from": "start", "to": "csv"}],
    })
    deals = [{"name": "Acme, Inc.", "value": 1200}, {"name": "Globex", "value": 800}]
    run_id = run_with_input(live_server, workflow["id"], deals)

    page.goto("/")
    page.get_by_role("link", name="Reports", exact=True).click()
    report = page.locator(f"[data-testid='report-row'][data-name='{filename}']")
    expect(report).to_be_visible()
    expect(report.locator("td").nth(1)).to_have_text("CSV")
    expect(report.get_by_role("link", name=f"Deals export {tag}")).to_be_visible()
    run_link = report.get_by_role("link", name=f"#{run_id}")
    expect(run_link).to_have_attribute("href", f"/runs/{run_id}")
    shot(page, "reports")

    with page.expect_download() as info:
        report.get_by_test_id("download").click()
    assert info.value.suggested_filename == filename
    content = Path(info.value.path()).read_text("utf-8-sig")
    assert list(csv.reader(io.StringIO(content))) == [
        ["name", "value"], ["Acme, Inc.", "1200"], ["Globex", "800"]]

    # The workflow's link shows only its files; the run's link opens the run.
    report.get_by_role("link", name=f"Deals export {tag}").click()
    expect(page).to_have_url(f"{live_server.url}/reports?workflow={workflow['id']}")
    expect(page.get_by_test_id("report-row")).to_have_count(1)
    page.get_by_role("link", name=f"#{run_id}").click()
    expect(page).to_have_url(f"{live_server.url}/runs/{run_id}")
