"""Importing n8n exports from the Workflows page: drop, file picker and paste are recognised
as n8n, go to /api/import/n8n, and the report dialog says what mapped, what was translated,
what needs a person and which connections to set up, then opens the workflow."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from playwright.sync_api import expect

from tests.e2e.conftest import LiveServer
from tests.e2e.ui import drop_file
from tests.helpers import ROOT

FIXTURES = ROOT / "tests" / "importers" / "fixtures"


def fixture(name: str) -> dict[str, Any]:
    return json.loads((FIXTURES / name).read_text())  # type: ignore[no-any-return]


def workflow_names(live_server: LiveServer) -> list[str]:
    return [w["name"] for w in live_server.api("GET", "/api/workflows")["workflows"]]


def test_dropping_an_n8n_export_shows_the_report(page: Any, live_server: LiveServer,
                                                 shot: Any) -> None:
    page.goto("/")
    page.get_by_test_id("workflows-page").wait_for()
    drop_file(page, "leads.json", fixture("unsupported.json"))

    report = page.get_by_test_id("import-report")
    expect(report.get_by_role("heading", level=2)).to_have_text(
        "Imported from n8n: Code and community nodes")
    summary = report.get_by_test_id("report-summary")
    expect(summary).to_contain_text("3 of 5 nodes mapped")
    expect(summary).to_contain_text("0 expressions translated")
    expect(summary).to_contain_text("2 items need attention")
    expect(summary).to_contain_text("1 connection to set up")
    attention = report.get_by_test_id("report-attention").get_by_role("listitem")
    expect(attention.filter(has_text="Clean up:")).to_contain_text("runs code")
    expect(attention.filter(has_text="Score lead:")).to_contain_text(
        "community node (package 'n8n-nodes-leadscore')")
    expect(report.get_by_test_id("report-credentials")).to_contain_text(
        "Lead scorer (leadScorerApi → no Flowlane equivalent yet), used by Score lead")
    # The list behind the dialog already shows the new workflow.
    expect(page.locator("[data-testid='workflow-row'][data-name='Code and community nodes']")
           ).to_have_count(1)
    shot(page, "n8n-import-report")

    report.get_by_role("button", name="Open workflow", exact=True).click()
    page.wait_for_url("**/workflows/*")
    page.wait_for_selector("[data-testid='flow-node']")
    expect(page.get_by_label("Workflow name", exact=True)).to_have_value(
        "Code and community nodes")
    for name in ("Clean up", "Score lead"):
        expect(page.locator(f"[data-testid='flow-node'][data-node-name='{name}']")).to_have_count(1)
    workflow_id = int(page.url.rstrip("/").split("/")[-1])
    nodes = live_server.api("GET", f"/api/workflows/{workflow_id}/export")["nodes"]
    assert sorted(n["name"] for n in nodes if n["type"] == "core.needs_attention") == [
        "Clean up", "Score lead"]


def test_file_picker_and_paste_recognise_n8n(page: Any, live_server: LiveServer,
                                             tmp_path: Path) -> None:
    picked = tmp_path / "deals.json"
    picked.write_text(json.dumps(fixture("alerts_csv.json")))
    page.goto("/")
    page.get_by_test_id("import-file").set_input_files(str(picked))
    report = page.get_by_test_id("import-report")
    expect(report.get_by_test_id("report-summary")).to_contain_text("4 of 4 nodes mapped")
    expect(report.get_by_test_id("report-summary")).to_contain_text("5 expressions translated")
    credentials = report.get_by_test_id("report-credentials")
    expect(credentials).to_contain_text("Office SMTP (smtp → smtp), used by Email the file")
    expect(credentials).to_contain_text("Sales Slack (slackApi → slack_webhook)")
    expect(report.get_by_test_id("report-attention")).to_contain_text("Tell the channel:")
    report.get_by_role("button", name="Close", exact=True).last.click()
    expect(report).to_have_count(0)
    assert "Daily deals by email and Slack" in workflow_names(live_server)

    # Pasted: expressions Flowlane cannot read are listed with their node.
    page.get_by_role("button", name="Paste JSON", exact=True).click()
    page.get_by_label("Workflow JSON", exact=True).fill(json.dumps(fixture("untranslatable.json")))
    page.get_by_role("button", name="Import", exact=True).click()
    report = page.get_by_test_id("import-report")
    expect(report.get_by_test_id("report-summary")).to_contain_text(
        "1 expression translated, 2 kept as they were")
    items = report.get_by_test_id("report-attention").get_by_role("listitem")
    expect(items).to_have_count(2)
    expect(items.first).to_contain_text("Run index: The expression {{ $runIndex }}")
    report.get_by_role("button", name="Open workflow", exact=True).click()
    expect(page.get_by_label("Workflow name", exact=True)).to_have_value(
        "Expressions Flowlane cannot read")


def test_several_n8n_workflows_in_one_file_are_refused_clearly(page: Any,
                                                               live_server: LiveServer) -> None:
    before = workflow_names(live_server)
    page.goto("/")
    page.get_by_test_id("workflows-page").wait_for()
    drop_file(page, "two.json", [fixture("triggers.json"), fixture("http_loop.json")])
    page.get_by_text("import them one at a time").wait_for()
    expect(page.get_by_test_id("import-report")).to_have_count(0)
    assert workflow_names(live_server) == before


def test_an_n8n_export_dropped_on_the_editor_adds_its_converted_nodes(
        page: Any, live_server: LiveServer) -> None:
    from tests.e2e.test_editor import sample_document
    from tests.e2e.ui import open_editor, wait_saved

    workflow = live_server.create_workflow(sample_document("Gets n8n nodes"))
    before = workflow_names(live_server)
    open_editor(page, workflow["id"])
    nodes = page.locator("[data-testid='flow-node']")
    expect(nodes).to_have_count(3)
    drop_file(page, "routing.json", fixture("core_routing.json"))
    page.get_by_text("Pasted 10 nodes converted from n8n").wait_for()
    page.keyboard.press("Control+s")
    wait_saved(page)
    saved = live_server.api("GET", f"/api/workflows/{workflow['id']}")["document"]["nodes"]
    assert len(saved) == 13  # the 10 n8n nodes, as Flowlane nodes, beside the 3
    assert not any(n["type"].startswith("n8n-nodes") for n in saved)
    assert "Route by stage" in {n["name"] for n in saved}
    assert workflow_names(live_server) == before  # pasted into this one, nothing imported
