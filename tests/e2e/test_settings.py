"""The Settings page: failure alerts and their channels, people and roles, one's own API
tokens, the audit log, and what someone who is not an admin sees there."""

from __future__ import annotations

import json
import urllib.error
import urllib.request
from collections.abc import Iterator
from typing import Any

import pytest
from playwright.sync_api import expect

from tests.e2e.conftest import LiveServer
from tests.e2e.test_notifications import one_step_workflow, run_to_end

DEFAULT_ALERTS = {"failure_alerts": True, "failure_alert_slack_connection": "",
                  "failure_alert_email_connection": "", "failure_alert_email_to": ""}


def status_with_token(live_server: LiveServer, token: str) -> int:
    request = urllib.request.Request(live_server.url + "/api/auth/me",
                                     headers={"Authorization": f"Bearer {token}"})
    try:
        with urllib.request.urlopen(request, timeout=30) as response:
            return int(response.status)
    except urllib.error.HTTPError as err:
        return int(err.code)


def sign_in(live_server: LiveServer, email: str, password: str) -> dict[str, Any]:
    request = urllib.request.Request(
        live_server.url + "/api/auth/login", method="POST",
        data=json.dumps({"email": email, "password": password}).encode(),
        headers={"Content-Type": "application/json"})
    with urllib.request.urlopen(request, timeout=30) as response:
        return json.loads(response.read())  # type: ignore[no-any-return]


@pytest.fixture
def alert_defaults(live_server: LiveServer) -> Iterator[None]:
    """The server is shared by the browser tests: put failure alerts back as they were."""
    yield
    live_server.api("PUT", "/api/settings", DEFAULT_ALERTS)


def test_failure_alerts_off_and_a_slack_channel(page: Any, live_server: LiveServer,
                                               alert_defaults: None, shot: Any) -> None:
    live_server.api("POST", "/api/credentials", {
        "name": "Sales Slack", "kind": "slack_webhook",
        "data": {"webhook_url": "https://hooks.slack.example/services/T0/B0/x"}})
    page.goto("/settings")
    form = page.get_by_test_id("alert-settings")
    alerts = form.get_by_role("checkbox", name="Alert when a run fails")
    expect(alerts).to_be_checked()
    page.get_by_test_id("retention-settings").wait_for()
    shot(page, "settings-general")

    form.get_by_label("Slack connection for failure alerts").select_option("Sales Slack")
    form.get_by_label("Send failure alerts to").fill("owner@example.com, lead@example.com")
    alerts.uncheck()
    form.get_by_role("button", name="Save alerts", exact=True).click()
    page.get_by_text("Failure alert settings saved").wait_for()
    saved = live_server.api("GET", "/api/settings")["settings"]
    assert saved["failure_alerts"] is False
    assert saved["failure_alert_slack_connection"] == "Sales Slack"
    assert saved["failure_alert_email_to"] == "owner@example.com, lead@example.com"

    # Off: a failed run tells nobody.
    workflow = live_server.create_workflow(one_step_workflow("Quiet failure", {
        "type": "core.stop", "name": "Fail", "params": {"message": "on purpose"}}))
    assert run_to_end(live_server, workflow["id"])["status"] == "failed"
    titles = [n["title"] for n in live_server.api("GET", "/api/notifications")["notifications"]]
    assert not any(t.startswith("Quiet failure") for t in titles)

    # The page reads the saved values back.
    page.reload()
    form = page.get_by_test_id("alert-settings")
    expect(form.get_by_role("checkbox", name="Alert when a run fails")).not_to_be_checked()


def test_people_add_change_role_remove_and_audit(page: Any, live_server: LiveServer,
                                                 shot: Any) -> None:
    email = "new.rep@flowlane.test"
    page.goto("/settings#people")
    page.get_by_test_id("people-table").wait_for()
    page.get_by_role("button", name="Add person", exact=True).click()
    dialog = page.get_by_test_id("add-person")
    dialog.get_by_label("Email", exact=True).fill(email)
    dialog.get_by_label("Name", exact=True).fill("New Rep")
    dialog.get_by_label("Role", exact=True).select_option("editor")
    dialog.get_by_role("button", name="Add", exact=True).click()
    password = page.get_by_test_id("password-value").inner_text()
    assert len(password) >= 12
    assert sign_in(live_server, email, password)["user"]["must_change_password"] is True
    page.get_by_role("button", name="Done", exact=True).click()

    row = page.locator(f"[data-testid='person-row'][data-email='{email}']")
    role = row.get_by_label(f"Role of {email}", exact=True)
    expect(role).to_have_value("editor")
    role.select_option("viewer")
    page.get_by_text(f"{email} is now viewer").wait_for()
    person = next(u for u in live_server.api("GET", "/api/users")["users"] if u["email"] == email)
    assert person["role"] == "viewer"
    shot(page, "settings-people")

    # Someone cannot remove themselves: there is no button on their own row.
    me = page.locator("[data-testid='person-row'][data-email='e2e-owner@flowlane.test']")
    expect(me.get_by_role("button", name="Remove", exact=True)).to_have_count(0)

    row.get_by_role("button", name="Remove", exact=True).click()
    page.get_by_test_id("confirm-dialog").get_by_role("button", name="Remove", exact=True).click()
    row.wait_for(state="detached")
    assert email not in [u["email"] for u in live_server.api("GET", "/api/users")["users"]]

    page.get_by_role("tab", name="Audit log", exact=True).click()
    log = page.get_by_test_id("audit-log")
    expect(log.get_by_test_id("audit-row").filter(has_text="deleted").filter(
        has_text=email)).to_have_count(1)
    expect(log.get_by_test_id("audit-row").filter(has_text="created").filter(
        has_text=email)).to_have_count(1)
    log.get_by_label("Show entries about", exact=True).select_option("user")
    expect(log.get_by_test_id("audit-row").filter(has_text="workflow #")).to_have_count(0)
    shot(page, "settings-audit")


def test_api_token_is_shown_once_and_can_be_revoked(page: Any, live_server: LiveServer) -> None:
    page.goto("/settings")
    # The header says where you are: Settings, not one of the main pages.
    expect(page.get_by_role("link", name="Settings", exact=True)).to_have_attribute(
        "aria-current", "page")
    expect(page.locator("nav.main-nav a[aria-current='page']")).to_have_count(0)
    page.get_by_role("tab", name="API tokens", exact=True).click()
    page.get_by_label("Token name", exact=True).fill("CI deploys")
    page.get_by_role("button", name="Create token", exact=True).click()
    token = page.get_by_test_id("token-value").inner_text()
    assert token.startswith("flt_")
    assert status_with_token(live_server, token) == 200

    page.reload()
    page.get_by_test_id("token-table").wait_for()
    assert token not in page.content()
    row = page.locator("[data-testid='token-row'][data-name='CI deploys']")
    expect(row).to_contain_text(token[:10])
    row.get_by_role("button", name="Revoke", exact=True).click()
    page.get_by_test_id("confirm-dialog").get_by_role("button", name="Revoke", exact=True).click()
    expect(row).to_contain_text("revoked")
    assert status_with_token(live_server, token) == 401


def test_someone_who_is_not_an_admin_sees_only_their_tokens(browser: Any,
                                                             live_server: LiveServer) -> None:
    email, password = "editor.only@flowlane.test", "Editor-only-passphrase-7731"
    live_server.api("POST", "/api/users", {"email": email, "role": "editor",
                                           "password": password})
    context = browser.new_context(base_url=live_server.url)
    try:
        answer = context.request.post("/api/auth/login",
                                      data={"email": email, "password": password})
        assert answer.ok
        page = context.new_page()
        page.goto("/settings")
        tabs = page.get_by_role("tab")
        expect(tabs).to_have_text(["General", "API tokens"])
        page.get_by_text("Only admins change these settings.").wait_for()
        expect(page.get_by_role("checkbox", name="Alert when a run fails")).to_be_disabled()
        expect(page.get_by_role("button", name="Save alerts", exact=True)).to_have_count(0)
        page.get_by_role("tab", name="API tokens", exact=True).click()
        page.get_by_role("button", name="Create token", exact=True).wait_for()
    finally:
        context.close()
