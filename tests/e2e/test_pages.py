"""The Workflows and Connections pages: list, search, import by dropping a file, export,
duplicate, delete, connections with masked secrets; the Runs routes."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from playwright.sync_api import expect

from tests.e2e.conftest import LiveServer
from tests.e2e.test_editor import sample_document
from tests.e2e.ui import drop_file, expect_nodes, open_editor


def test_import_by_dropping_a_json_file(page: Any, live_server: LiveServer, shot: Any) -> None:
    document = sample_document("Dropped in")
    page.goto("/")
    page.get_by_test_id("workflows-page").wait_for()
    drop_file(page, "dropped.json", document)
    page.wait_for_url("**/workflows/*")
    page.wait_for_selector("[data-testid='flow-node']")
    expect_nodes(page, ["start", "greet", "big"])
    workflow_id = int(page.url.rstrip("/").split("/")[-1])
    exported = live_server.api("GET", f"/api/workflows/{workflow_id}/export")
    assert exported["nodes"] == document["nodes"]
    assert exported["edges"] == document["edges"]
    shot(page, "editor-imported")


def test_import_with_the_file_picker_and_by_pasting(page: Any, live_server: LiveServer,
                                                    tmp_path: Path) -> None:
    picked = tmp_path / "picked.json"
    picked.write_text(json.dumps(sample_document("Picked from disk")))
    page.goto("/")
    page.get_by_test_id("import-file").set_input_files(str(picked))
    page.wait_for_url("**/workflows/*")
    expect_nodes(page, ["start", "greet", "big"])
    assert page.get_by_label("Workflow name", exact=True).input_value() == "Picked from disk"

    page.get_by_role("link", name="Workflows", exact=True).click()
    page.get_by_role("button", name="Paste JSON", exact=True).click()
    page.get_by_label("Workflow JSON", exact=True).fill(
        json.dumps(sample_document("Pasted in")))
    page.get_by_role("button", name="Import", exact=True).click()
    page.wait_for_selector("[data-testid='editor']")
    assert page.get_by_label("Workflow name", exact=True).input_value() == "Pasted in"

    # A document with problems is refused with the reason, and nothing is created.
    page.get_by_role("link", name="Workflows", exact=True).click()
    page.get_by_role("button", name="Paste JSON", exact=True).click()
    broken = sample_document("Broken")
    broken["edges"].append({"from": "big", "to": "nowhere"})
    page.get_by_label("Workflow JSON", exact=True).fill(json.dumps(broken))
    page.get_by_role("button", name="Import", exact=True).click()
    page.get_by_text("Import failed").wait_for()
    names = [w["name"] for w in live_server.api("GET", "/api/workflows")["workflows"]]
    assert "Broken" not in names


def test_export_from_the_editor_matches(page: Any, live_server: LiveServer) -> None:
    document = sample_document("Exported")
    workflow = live_server.create_workflow(document)
    open_editor(page, workflow["id"])
    with page.expect_download() as info:
        page.get_by_test_id("export").click()
    downloaded = json.loads(Path(info.value.path()).read_text())
    assert downloaded == live_server.api("GET", f"/api/workflows/{workflow['id']}/export")
    assert downloaded["nodes"] == document["nodes"]
    assert downloaded["edges"] == document["edges"]
    # ...and it imports back identically.
    again = live_server.api("POST", "/api/workflows/import", downloaded)["workflow"]
    assert live_server.api("GET", f"/api/workflows/{again['id']}/export") == downloaded


def test_workflows_list_search_duplicate_delete(page: Any, live_server: LiveServer,
                                                shot: Any) -> None:
    live_server.create_workflow(sample_document("Alpha pipeline"))
    live_server.create_workflow(sample_document("Beta pipeline"))
    page.goto("/")
    rows = page.get_by_test_id("workflow-row")
    rows.first.wait_for()
    shot(page, "workflows")
    page.get_by_label("Search workflows", exact=True).fill("Alpha")
    expect(page.locator("[data-testid='workflow-row'][data-name='Beta pipeline']")).to_have_count(0)

    row = page.locator("[data-testid='workflow-row'][data-name='Alpha pipeline']")
    row.get_by_role("button", name="Duplicate", exact=True).click()
    page.get_by_text("Duplicated as").wait_for()
    alphas = page.locator("[data-testid='workflow-row'][data-name^='Alpha pipeline']")
    expect(alphas).to_have_count(2)

    row.get_by_role("checkbox").click()
    page.get_by_text("Alpha pipeline is active").wait_for()
    listed = live_server.api("GET", "/api/workflows?q=Alpha%20pipeline")["workflows"]
    assert any(w["name"] == "Alpha pipeline" and w["active"] for w in listed)
    expect(row.get_by_role("checkbox")).to_be_checked()
    row.get_by_role("checkbox").click()
    page.get_by_text("Alpha pipeline is inactive").wait_for()

    row.get_by_role("button", name="Delete", exact=True).click()
    page.get_by_test_id("confirm-dialog").get_by_role("button", name="Delete", exact=True).click()
    row.wait_for(state="detached")
    names = [w["name"] for w in live_server.api("GET", "/api/workflows")["workflows"]]
    assert "Alpha pipeline" not in names and "Beta pipeline" in names


def test_connections_keep_secrets_hidden(page: Any, live_server: LiveServer, shot: Any) -> None:
    page.goto("/connections")
    page.get_by_role("button", name="New connection", exact=True).click()
    dialog = page.get_by_test_id("credential-dialog")
    dialog.get_by_label("Connection kind", exact=True).select_option(label="HTTP bearer token")
    dialog.get_by_label("Connection name", exact=True).fill("CRM token")
    dialog.get_by_label("Token", exact=True).fill("super-secret-token-123")
    dialog.get_by_role("button", name="Create", exact=True).click()
    row = page.locator("[data-testid='connection-row']", has_text="CRM token")
    row.wait_for()
    assert "super-secret-token-123" not in page.content()
    assert "••••••••" in row.inner_text()
    shot(page, "connections")

    row.get_by_role("button", name="Edit", exact=True).click()
    dialog = page.get_by_test_id("credential-dialog")
    assert dialog.get_by_label("Token", exact=True).input_value() == ""
    dialog.get_by_label("Connection name", exact=True).fill("CRM token (prod)")
    dialog.get_by_role("button", name="Save", exact=True).click()
    page.locator("[data-testid='connection-row']", has_text="CRM token (prod)").wait_for()
    stored = next(c for c in live_server.api("GET", "/api/credentials")["credentials"]
                  if c["name"] == "CRM token (prod)")
    assert stored["data"]["token"] == "••••••••"


def test_runs_route_is_served_and_shares_the_header(page: Any, live_server: LiveServer) -> None:
    page.goto("/runs")
    page.get_by_test_id("runs-page").wait_for()
    assert page.get_by_role("link", name="Runs", exact=True).get_attribute("aria-current") == "page"
    page.goto("/runs/999999")
    page.get_by_text("Cannot show run #999999").wait_for()
    page.get_by_role("link", name="Connections", exact=True).click()
    page.get_by_test_id("connections-page").wait_for()
