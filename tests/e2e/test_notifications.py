"""The bell in the header: a "Notify in the app" step and a failed run's alert arrive live,
as a toast and in the bell's count and list, without reloading the page."""

from __future__ import annotations

import time
from typing import Any

from playwright.sync_api import expect

from tests.e2e.conftest import LiveServer
from tests.e2e.ui import DONE, open_editor, wait_saved

FORMAT = "flowlane/workflow@1"


def one_step_workflow(name: str, step: dict[str, Any]) -> dict[str, Any]:
    return {
        "format": FORMAT, "name": name,
        "nodes": [{"id": "start", "type": "core.trigger.manual", "name": "Start",
                   "position": [0, 0], "params": {"sample": [{"name": "Ann", "value": 1200}]}},
                  {"id": "step", "position": [300, 0], **step}],
        "edges": [{"from": "start", "to": "step"}],
    }


def run_to_end(live_server: LiveServer, workflow_id: int) -> dict[str, Any]:
    """Start a run through the API and wait until the worker has finished it."""
    run_id = live_server.api("POST", f"/api/workflows/{workflow_id}/run", {})["run_id"]
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        run = live_server.api("GET", f"/api/runs/{run_id}")
        if run["status"] in DONE:
            return run  # type: ignore[no-any-return]
        time.sleep(0.2)
    raise AssertionError(f"run {run_id} did not finish")


def unread(live_server: LiveServer) -> int:
    return int(live_server.api("GET", "/api/notifications")["unread"])


def open_live_page(page: Any, live_server: LiveServer) -> Any:
    """The Workflows page with the bell loaded and its live connection up; returns the bell."""
    page.goto("/")
    bell = page.get_by_test_id("bell")
    page.locator(".bell[data-live='true']").wait_for()
    count = unread(live_server)
    expect(bell).to_have_attribute(
        "aria-label", f"Notifications, {count} unread" if count else "Notifications")
    page.evaluate("window.__sameDocument = true")  # gone if the page reloads
    return bell


def test_notify_step_shows_a_toast_and_counts_in_the_bell(page: Any, live_server: LiveServer,
                                                          shot: Any) -> None:
    before = unread(live_server)
    workflow = live_server.create_workflow(one_step_workflow("Won deals ping", {
        "type": "core.alert.notify", "name": "Tell everyone",
        "params": {"title": "Deal won: {{ item.name }}", "body": "{{ item.value }} USD",
                   "level": "success"}}))
    bell = open_live_page(page, live_server)

    run = run_to_end(live_server, workflow["id"])
    assert run["status"] == "succeeded"
    expect(page.locator(".toast", has_text="Deal won: Ann — 1200 USD")).to_be_visible()
    after = unread(live_server)
    assert after == before + 1
    expect(page.get_by_test_id("bell-count")).to_have_text(str(after))
    assert page.evaluate("window.__sameDocument") is True
    shot(page, "notification-toast")

    bell.click()
    item = page.get_by_test_id("notification").filter(has_text="Deal won: Ann")
    expect(item).to_have_class("bell-item bell-success unread")
    shot(page, "notification-bell")
    item.get_by_role("button").click()  # marks it read and opens its run
    page.wait_for_url(f"**/runs/{run['id']}")
    expect(bell).to_have_attribute(
        "aria-label", f"Notifications, {before} unread" if before else "Notifications")
    assert unread(live_server) == before


def test_failed_run_alert_arrives_in_the_bell(page: Any, live_server: LiveServer) -> None:
    workflow = live_server.create_workflow(one_step_workflow("Owner check", {
        "type": "core.stop", "name": "No owner", "params": {"message": "The deal has no owner"}}))
    bell = open_live_page(page, live_server)

    run = run_to_end(live_server, workflow["id"])
    assert run["status"] == "failed"
    expect(page.locator(".toast-error", has_text="Owner check failed at No owner")).to_be_visible()
    expect(page.get_by_test_id("bell-count")).to_have_text(str(unread(live_server)))

    bell.click()
    item = page.get_by_test_id("notification").filter(has_text="Owner check failed at No owner")
    expect(item).to_contain_text("The deal has no owner")
    expect(item).to_have_class("bell-item bell-error unread")

    # "Mark all read" clears the count, here and after a reload.
    page.get_by_role("button", name="Mark all read", exact=True).click()
    expect(page.get_by_test_id("bell-count")).to_have_count(0)
    assert unread(live_server) == 0
    page.reload()
    page.locator(".bell[data-live='true']").wait_for()
    expect(page.get_by_test_id("bell")).to_have_attribute("aria-label", "Notifications")
    expect(page.get_by_test_id("bell-count")).to_have_count(0)
    assert page.evaluate("window.__sameDocument") is None


def set_failure_alerts_in_editor(page: Any, workflow_id: int, choice: str) -> None:
    """Workflow settings in the editor: pick the failure alert override and save."""
    open_editor(page, workflow_id)
    page.get_by_test_id("workflow-settings-button").click()
    dialog = page.get_by_test_id("workflow-settings")
    dialog.get_by_label("Failure alerts", exact=True).select_option(label=choice)
    dialog.get_by_role("button", name="Done", exact=True).click()
    page.get_by_test_id("save").click()
    wait_saved(page)


def test_a_workflow_overrides_the_global_failure_alerts(page: Any,
                                                        live_server: LiveServer) -> None:
    def alerted(name: str) -> bool:
        notes = live_server.api("GET", "/api/notifications?limit=200")["notifications"]
        return any(n["title"].startswith(f"{name} failed") for n in notes)

    quiet = live_server.create_workflow(one_step_workflow("Noisy import", {
        "type": "core.stop", "name": "Fail", "params": {"message": "expected"}}))
    set_failure_alerts_in_editor(page, quiet["id"], "Never alert for this workflow")
    exported = live_server.api("GET", f"/api/workflows/{quiet['id']}/export")
    assert exported["settings"]["failure_alerts"] is False
    assert run_to_end(live_server, quiet["id"])["status"] == "failed"
    assert not alerted("Noisy import")

    loud = live_server.create_workflow(one_step_workflow("Payroll sync", {
        "type": "core.stop", "name": "Fail", "params": {"message": "bank refused"}}))
    live_server.api("PUT", "/api/settings", {"failure_alerts": False})
    try:
        set_failure_alerts_in_editor(page, loud["id"],
                                     "Always alert when a run of this workflow fails")
        page.locator(".bell[data-live='true']").wait_for()
        assert run_to_end(live_server, loud["id"])["status"] == "failed"
        expect(page.locator(".toast-error", has_text="Payroll sync failed at Fail")).to_be_visible()
        assert alerted("Payroll sync")
    finally:
        live_server.api("PUT", "/api/settings", {"failure_alerts": True})

    # Back to "As in Settings": the key leaves the document.
    set_failure_alerts_in_editor(page, loud["id"], "As in Settings (for every workflow)")
    exported = live_server.api("GET", f"/api/workflows/{loud['id']}/export")
    assert "failure_alerts" not in exported.get("settings", {})
