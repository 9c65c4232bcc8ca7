"""Templates on the Workflows page: the list the server offers, grouped and searchable, and
"Use this template" creating a workflow that opens in the editor."""

from __future__ import annotations

from typing import Any

from playwright.sync_api import expect

from tests.e2e.conftest import LiveServer


def test_use_a_template_from_the_workflows_page(page: Any, live_server: LiveServer,
                                                shot: Any) -> None:
    templates = live_server.api("GET", "/api/templates")["templates"]
    assert templates, "the server offers templates"
    before = {w["id"] for w in live_server.api("GET", "/api/workflows")["workflows"]}

    page.goto("/")
    page.get_by_role("button", name="Templates", exact=True).click()
    dialog = page.get_by_test_id("templates")
    cards = dialog.get_by_test_id("template")
    expect(cards).to_have_count(len(templates))
    for group in {t["group"] for t in templates if t["group"]}:
        expect(dialog.get_by_role("heading", name=group, exact=True)).to_be_visible()
    shot(page, "templates")

    chosen = max(templates, key=lambda t: len(t["requires"]))
    card = dialog.locator(f"[data-testid='template'][data-id='{chosen['id']}']")
    expect(card).to_contain_text(chosen["name"])
    expect(card).to_contain_text(f"{chosen['node_count']} node")

    # Search narrows the list by name, description or group.
    dialog.get_by_label("Search templates", exact=True).fill(chosen["name"])
    expect(card).to_be_visible()
    expect(cards).to_have_count(sum(
        chosen["name"].lower() in f"{t['name']} {t['description']} {t['group']}".lower()
        for t in templates))

    card.get_by_role("button", name=f"Use this template: {chosen['name']}").click()
    page.wait_for_url("**/workflows/*")
    workflow_id = int(page.url.rstrip("/").split("/")[-1])
    assert workflow_id not in before
    created = live_server.api("GET", f"/api/workflows/{workflow_id}")
    page.wait_for_selector("[data-testid='flow-node']")
    expect(page.get_by_label("Workflow name", exact=True)).to_have_value(created["name"])
    assert len(created["document"]["nodes"]) == chosen["node_count"]
    expect(page.get_by_test_id("flow-node")).to_have_count(chosen["node_count"])
