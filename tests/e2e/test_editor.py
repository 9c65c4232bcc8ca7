"""The editor end to end: build, wire, fill, save and reload; test runs with live statuses;
undo/redo; validation problems on the right node. A real server, worker and Chromium."""

from __future__ import annotations

import copy
from typing import Any

from playwright.sync_api import expect

from tests.e2e.conftest import LiveServer
from tests.e2e.ui import (
    click_node,
    connect,
    drag_from_palette,
    expect_edges,
    expect_nodes,
    node,
    open_editor,
    wait_saved,
)

FORMAT = "flowlane/workflow@1"


def sample_document(name: str) -> dict[str, Any]:
    return {
        "format": FORMAT,
        "name": name,
        "nodes": [
            {"id": "start", "type": "core.trigger.manual", "name": "Start", "position": [0, 0],
             "params": {"sample": [{"name": "Ann", "amount": 5}, {"name": "Bob", "amount": 1}]}},
            {"id": "greet", "type": "core.map", "name": "Greet", "position": [300, 0],
             "params": {"fields": [{"target": "greeting", "value": "Hello {{ item.name }}"}]}},
            {"id": "big", "type": "core.if", "name": "Big deal?", "position": [600, 0],
             "params": {"conditions": {"rules": [{"left": "{{ item.amount }}", "type": "number",
                                                  "operator": "gt", "right": 3}]}}},
        ],
        "edges": [{"from": "start", "to": "greet", "from_port": "main", "to_port": "main"},
                  {"from": "greet", "to": "big", "from_port": "main", "to_port": "main"}],
    }


def close_panel(page: Any) -> None:
    button = page.get_by_role("button", name="Close panel", exact=True)
    if button.count():
        button.click()


def test_build_from_empty_canvas_save_and_reload(page: Any, live_server: LiveServer,
                                                 shot: Any) -> None:
    page.goto("/")
    page.get_by_role("button", name="New workflow", exact=True).click()
    page.get_by_label("Workflow name", exact=True).fill("Built by hand")
    page.get_by_role("button", name="Create", exact=True).click()
    page.wait_for_url("**/workflows/*")
    page.wait_for_selector("body[data-canvas-ready='true']")
    workflow_id = int(page.url.rstrip("/").split("/")[-1])

    # Start from an empty canvas: the new workflow's trigger goes.
    click_node(page, "start")
    page.keyboard.press("Delete")
    expect_nodes(page, [])
    close_panel(page)

    for node_type, x in (("core.trigger.manual", 420), ("core.map", 720), ("core.limit", 1020)):
        drag_from_palette(page, node_type, x, 320)
        page.wait_for_selector("[data-testid='node-panel']")
        close_panel(page)
    page.get_by_role("button", name="Fit", exact=True).click()
    expect_nodes(page, ["manual_trigger", "map_fields", "limit"])
    page.wait_for_timeout(300)  # the fit animation: handles must stand still to be dragged

    connect(page, "manual_trigger", "map_fields")
    connect(page, "map_fields", "limit")
    expect_edges(page, 2)

    click_node(page, "manual_trigger")
    page.get_by_label("Sample data", exact=True).fill('[{"name": "Ann"}, {"name": "Bob"}]')
    close_panel(page)
    click_node(page, "map_fields")
    page.get_by_role("button", name="+ Add field", exact=True).click()
    page.get_by_label("Target field", exact=True).fill("greeting")
    page.get_by_label("Source value", exact=True).fill("Hello {{ item.name }}")
    close_panel(page)
    click_node(page, "limit")
    page.get_by_label("Max items", exact=True).fill("1")
    shot(page, "editor-built")
    close_panel(page)

    assert page.locator("[data-testid='dirty']").is_visible()
    page.get_by_test_id("save").click()
    wait_saved(page)

    saved = live_server.api("GET", f"/api/workflows/{workflow_id}")["document"]
    by_id = {n["id"]: n for n in saved["nodes"]}
    assert by_id["manual_trigger"]["params"]["sample"] == [{"name": "Ann"}, {"name": "Bob"}]
    assert by_id["map_fields"]["params"]["fields"] == [
        {"target": "greeting", "value": "Hello {{ item.name }}"}]
    assert by_id["limit"]["params"] == {"max_items": 1}
    assert {(e["from"], e["to"]) for e in saved["edges"]} == {
        ("manual_trigger", "map_fields"), ("map_fields", "limit")}

    page.reload()
    page.wait_for_selector("body[data-canvas-ready='true']")
    page.wait_for_selector("[data-testid='flow-node']")
    expect_nodes(page, ["manual_trigger", "map_fields", "limit"])
    expect_edges(page, 2)
    click_node(page, "map_fields")
    assert page.get_by_label("Target field", exact=True).input_value() == "greeting"
    assert "Hello {{ item.name }}" in page.get_by_label("Source value", exact=True).input_value()
    assert page.locator("[data-testid='saved']").is_visible()


def test_test_run_turns_nodes_green_with_counts(page: Any, live_server: LiveServer,
                                                shot: Any) -> None:
    workflow = live_server.create_workflow(sample_document("Live statuses"))
    open_editor(page, workflow["id"])
    page.get_by_test_id("test-workflow").click()
    for node_id in ("start", "greet", "big"):
        page.wait_for_selector(
            f"[data-testid='flow-node'][data-node-id='{node_id}'][data-status='succeeded']")
    page.wait_for_selector("[data-testid='run-bar'][data-status='succeeded']")
    assert "true · 1" in node(page, "big").inner_text()
    assert "false · 1" in node(page, "big").inner_text()
    assert page.locator(".react-flow__edge-text", has_text="2 items").count() == 2
    shot(page, "editor-test-run")

    # The node's data of that run, and pinning its output as test data.
    click_node(page, "greet")
    page.get_by_role("tab", name="Data ●", exact=True).click()
    panel = page.get_by_test_id("node-panel")
    assert "Hello Ann" in panel.inner_text()
    page.get_by_role("button", name="Pin this output as test data", exact=True).click()
    node(page, "greet").locator(".pin").wait_for()
    shot(page, "editor-run-data")
    page.get_by_test_id("save").click()
    wait_saved(page)
    pinned = live_server.api("GET", f"/api/workflows/{workflow['id']}")["document"]["pinned"]
    assert pinned["greet"]["main"][0]["greeting"] == "Hello Ann"

    # The input tree of the next node shows the fields, ready to drag into expressions.
    page.get_by_role("button", name="Close panel", exact=True).click()
    click_node(page, "big")
    tree = page.get_by_test_id("data-tree").first
    assert "greeting" in tree.inner_text()


def test_live_events_finish_a_run_that_waits(page: Any, live_server: LiveServer) -> None:
    """The run parks on a Wait node and ends later: only Socket.IO can tell the page."""
    document = sample_document("Waits a little")
    document["nodes"].insert(1, {"id": "pause", "type": "core.wait", "name": "Pause",
                                 "position": [150, 150], "params": {"mode": "duration", "amount": 4,
                                                                    "unit": "seconds"}})
    document["edges"][0] = {"from": "start", "to": "pause"}
    document["edges"].append({"from": "pause", "to": "greet"})
    workflow = live_server.create_workflow(document)
    open_editor(page, workflow["id"])
    page.get_by_test_id("test-workflow").click()
    page.wait_for_selector("[data-testid='run-bar'][data-status='waiting']")
    page.wait_for_selector("[data-testid='run-bar'][data-status='succeeded']", timeout=30_000)
    expect(node(page, "big")).to_have_attribute("data-status", "succeeded")


def test_undo_and_redo_every_edit(page: Any, live_server: LiveServer) -> None:
    workflow = live_server.create_workflow(sample_document("Undo me"))
    open_editor(page, workflow["id"])
    expect_nodes(page, ["start", "greet", "big"])

    click_node(page, "greet")
    close_panel(page)
    page.keyboard.press("Delete")
    expect(page.locator("[data-testid='flow-node']")).to_have_count(2)
    expect_edges(page, 0)

    page.keyboard.press("Control+z")
    expect(page.locator("[data-testid='flow-node']")).to_have_count(3)
    expect_edges(page, 2)

    page.keyboard.press("Control+Shift+z")
    expect(page.locator("[data-testid='flow-node']")).to_have_count(2)
    page.keyboard.press("Control+z")
    expect(page.locator("[data-testid='flow-node']")).to_have_count(3)

    # A rename and a palette click (adds after the selected node), then both undone.
    click_node(page, "big")
    page.get_by_label("Node name", exact=True).fill("Large deal?")
    page.get_by_label("Node name", exact=True).press("Enter")
    expect(node(page, "big")).to_have_attribute("data-node-name", "Large deal?")
    page.locator("[data-testid='palette-item'][data-type='core.limit']").click()
    node(page, "limit").wait_for()
    expect_edges(page, 3)
    close_panel(page)
    page.keyboard.press("Control+z")
    node(page, "limit").wait_for(state="detached")
    page.keyboard.press("Control+z")
    expect(node(page, "big")).to_have_attribute("data-node-name", "Big deal?")
    page.keyboard.press("Control+y")
    expect(node(page, "big")).to_have_attribute("data-node-name", "Large deal?")


def test_validation_error_is_shown_on_its_node(page: Any, live_server: LiveServer,
                                               shot: Any) -> None:
    document = sample_document("Needs a URL")
    document["nodes"].append({"id": "call", "type": "core.http", "name": "Call CRM",
                              "position": [900, 0], "params": {"url": "https://example.invalid"}})
    document["edges"].append({"from": "big", "from_port": "true", "to": "call"})
    workflow = live_server.create_workflow(document)
    open_editor(page, workflow["id"])

    click_node(page, "call")
    page.get_by_label("URL", exact=True).fill("")
    page.get_by_test_id("save").click()
    problems = page.get_by_test_id("problems-panel")
    problems.wait_for()
    problem = problems.locator("[data-testid='problem'][data-node-id='call']").first
    assert "url" in problem.inner_text()
    expect(node(page, "call")).not_to_have_attribute("data-problems", "0")
    assert page.locator("[data-testid='dirty']").is_visible()  # not saved
    close_panel(page)
    page.get_by_role("button", name="Fit", exact=True).click()
    for other in ("start", "greet", "big"):
        expect(node(page, other)).to_have_attribute("data-problems", "0")
    expect(node(page, "call")).to_have_attribute("data-problems", "1")
    shot(page, "editor-problem-on-node")

    problem.click()
    panel = page.get_by_test_id("node-panel")
    panel.wait_for()
    assert page.get_by_label("Node name", exact=True).input_value() == "Call CRM"
    field = panel.locator("[data-field='params/url']")
    assert "'url' is required" in field.inner_text()
    expect(page.get_by_label("URL", exact=True)).to_be_focused()
    shot(page, "editor-problems")
    page.get_by_label("URL", exact=True).fill("https://example.com/hook")
    page.get_by_test_id("save").click()
    wait_saved(page)


def test_unsaved_changes_are_guarded(page: Any, live_server: LiveServer) -> None:
    workflow = live_server.create_workflow(sample_document("Guarded"))
    open_editor(page, workflow["id"])
    page.get_by_label("Workflow name", exact=True).fill("Guarded, renamed")
    asked: list[str] = []

    def dismiss(dialog: Any) -> None:
        asked.append(dialog.message)
        dialog.dismiss()

    page.on("dialog", dismiss)
    page.get_by_role("link", name="Workflows", exact=True).click()
    assert asked and "unsaved" in asked[0]
    assert page.url.endswith(f"/workflows/{workflow['id']}")
    page.remove_listener("dialog", dismiss)
    page.get_by_test_id("save").click()
    wait_saved(page)
    page.get_by_role("link", name="Workflows", exact=True).click()
    page.get_by_test_id("workflows-page").wait_for()
    assert live_server.api("GET", f"/api/workflows/{workflow['id']}")["name"] == "Guarded, renamed"


def test_version_history_diff(page: Any, live_server: LiveServer, shot: Any) -> None:
    document = sample_document("Versioned")
    workflow = live_server.create_workflow(document)
    changed = copy.deepcopy(document)
    changed["nodes"][1]["params"]["fields"][0]["value"] = "Hi {{ item.name }}"
    changed["nodes"].append({"id": "limit", "type": "core.limit", "name": "Limit",
                             "position": [900, 0], "params": {"max_items": 5}})
    live_server.api("PUT", f"/api/workflows/{workflow['id']}", {"document": changed})
    open_editor(page, workflow["id"])
    page.get_by_role("button", name="Versions", exact=True).click()
    diff = page.get_by_test_id("version-diff")
    diff.wait_for()
    text = diff.inner_text()
    assert "added: core.limit" in text
    assert "params.fields[0].value" in text
    assert "Hi {{ item.name }}" in text and "Hello {{ item.name }}" in text
    shot(page, "editor-versions")


def test_field_mapping_copy_paste_notes_and_help(page: Any, live_server: LiveServer,
                                                 shot: Any) -> None:
    document = sample_document("Mapping")
    document["nodes"].append({"id": "shape", "type": "core.map", "name": "Shape",
                              "position": [600, 200], "params": {}})
    document["edges"].append({"from": "greet", "to": "shape"})
    document["pinned"] = {"greet": {"main": [{"name": "Ann", "greeting": "Hello Ann"}]}}
    workflow = live_server.create_workflow(document)
    open_editor(page, workflow["id"])

    # Drag a field of the input (the parent's pinned data) onto a Map fields row.
    click_node(page, "shape")
    panel = page.get_by_test_id("node-panel")
    assert "pinned data" in panel.inner_text().lower()
    page.get_by_role("button", name="+ Add field", exact=True).click()
    source = panel.locator("[data-testid='data-field'][data-path='greeting']").first
    source.drag_to(panel.locator("[data-testid='mapping-row']").first)
    expect(page.get_by_label("Source value", exact=True)).to_have_value("{{ item.greeting }}")
    expect(page.get_by_label("Target field", exact=True)).to_have_value("greeting")
    preview = panel.get_by_test_id("expression-preview").first
    expect(preview).to_contain_text('"Hello Ann"')
    shot(page, "editor-field-mapping")
    close_panel(page)

    # Copy and paste a node as workflow JSON, then undo the paste.
    click_node(page, "big")
    close_panel(page)
    page.keyboard.press("Control+c")
    page.keyboard.press("Control+v")
    node(page, "big_2").wait_for()
    expect(node(page, "big_2")).to_have_attribute("data-node-name", "Big deal? 2")
    page.keyboard.press("Control+z")
    node(page, "big_2").wait_for(state="detached")

    # A sticky note, and the shortcuts dialog.
    page.keyboard.press("n")
    expect(page.get_by_test_id("note-node")).to_have_count(1)
    page.get_by_label("Note text", exact=True).fill("Ask sales about the threshold")
    page.get_by_role("button", name="Fit", exact=True).click()
    page.keyboard.press("?")
    page.get_by_test_id("shortcuts-dialog").wait_for()
    shot(page, "editor-shortcuts")
    page.keyboard.press("Escape")
    page.get_by_test_id("save").click()
    wait_saved(page)
    saved = live_server.api("GET", f"/api/workflows/{workflow['id']}")["document"]
    assert saved["notes"][0]["text"] == "Ask sales about the threshold"
    shape = next(n for n in saved["nodes"] if n["id"] == "shape")
    assert shape["params"]["fields"] == [{"target": "greeting", "value": "{{ item.greeting }}"}]


def test_credential_picker_creates_a_connection_inline(page: Any, live_server: LiveServer,
                                                       shot: Any) -> None:
    document = sample_document("Calls out")
    document["nodes"].append({"id": "call", "type": "core.http", "name": "Call CRM",
                              "position": [900, 0], "params": {"url": "https://example.com"}})
    document["edges"].append({"from": "big", "from_port": "true", "to": "call"})
    workflow = live_server.create_workflow(document)
    open_editor(page, workflow["id"])
    click_node(page, "call")
    picker = page.get_by_label("Connection", exact=True)
    picker.select_option(label="+ Create new connection…")
    dialog = page.get_by_test_id("credential-dialog")
    dialog.get_by_label("Connection kind", exact=True).select_option(label="HTTP header auth")
    dialog.get_by_label("Connection name", exact=True).fill("CRM key")
    dialog.get_by_label("Header name", exact=True).fill("X-Api-Key")
    dialog.get_by_label("Header value", exact=True).fill("key-that-stays-secret")
    shot(page, "editor-new-connection")
    dialog.get_by_role("button", name="Create", exact=True).click()
    expect(picker).to_have_value("CRM key")
    page.get_by_test_id("save").click()
    wait_saved(page)
    saved = live_server.api("GET", f"/api/workflows/{workflow['id']}")["document"]
    assert next(n for n in saved["nodes"] if n["id"] == "call")["credential"] == "CRM key"
    assert "key-that-stays-secret" not in page.content()
