"""What each n8n node becomes: type, params, ports, settings, notes, pinned data and the
defaults each typeVersion implies (the document is checked without saving or running it)."""

from __future__ import annotations

from typing import Any

import pytest

from nodes import registry
from server.importers.n8n import convert
from server.importers.n8n.mappers import known_types
from tests.importers.conftest import load, node_named


def convert_fixture(name: str) -> Any:
    result = convert(load(name))
    assert result.ok, result.report.validation
    return result


def edges_of(document: dict[str, Any]) -> set[tuple[str, str, str, str]]:
    return {(e["from"], e.get("from_port", "main"), e["to"], e.get("to_port", "main"))
            for e in document["edges"]}


def test_switch_ports_follow_rule_order_then_fallback():
    document = convert_fixture("core_routing.json").document
    switch = node_named(document, "Route by stage")
    assert switch["type"] == "core.switch"
    assert [rule["output"] for rule in switch["params"]["rules"]] == ["Won", "Lost"]
    assert switch["params"]["rules"][0]["conditions"]["case_sensitive"] is False
    assert switch["params"]["fallback"] == "output"
    assert {("route_by_stage", "Won", "label_won", "main"),
            ("route_by_stage", "Lost", "lost", "main"),
            ("route_by_stage", "fallback", "big_open_deals", "main"),
            ("label_won", "main", "closed_deals", "input1"),
            ("lost", "main", "closed_deals", "input2")} <= edges_of(document)
    assert node_named(document, "Closed deals")["params"] == {"mode": "append"}
    assert node_named(document, "Top two")["params"] == {"max_items": 2, "keep": "first"}
    assert node_named(document, "Open deals list")["params"] == {"mode": "all_items",
                                                                 "destination": "deals"}


def test_if_ports_are_true_then_false():
    document = convert_fixture("webhook_respond.json").document
    assert {("qualified", "true", "yes", "main"),
            ("qualified", "false", "no", "main")} == {e for e in edges_of(document)
                                                      if e[0] == "qualified"}
    rules = node_named(document, "Qualified?")["params"]["conditions"]["rules"]
    assert rules == [
        {"left": "{{ item.body.budget }}", "type": "number", "operator": "gte", "right": 1000},
        {"left": "{{ item.body.email }}", "type": "string", "operator": "contains",
         "right": "@"},
        {"left": "{{ item.body.optout }}", "type": "boolean", "operator": "false"}]
    assert node_named(document, "Lead in")["params"] == {
        "path": "n8n-qualify", "method": "POST", "respond": "respond_node"}


def test_type_version_defaults_are_applied_before_mapping():
    result = convert_fixture("defaults_import.json")
    document = result.document
    assert node_named(document, "Hook")["params"]["method"] == "GET"
    assert node_named(document, "Wait v1")["params"] == {"mode": "duration", "amount": 1,
                                                         "unit": "hours"}
    assert node_named(document, "Wait v1.1")["params"] == {"mode": "duration", "amount": 5,
                                                           "unit": "seconds"}
    assert node_named(document, "Loop v2")["params"] == {"batch_size": 10}
    assert node_named(document, "Loop v3")["params"] == {"batch_size": 1}
    assert node_named(document, "Merge v2")["params"] == {"mode": "append"}
    assert node_named(document, "Every day")["params"] == {"mode": "daily", "time": "00:00"}
    assert node_named(document, "IF v2 untouched")["params"]["conditions"]["rules"] == [
        {"left": "", "type": "string", "operator": "equals", "right": ""}]
    assert node_named(document, "Edit Fields v3.3")["params"]["keep"] == "none"
    assert node_named(document, "Edit Fields v3.2")["params"]["keep"] == "all"
    highlevel = node_named(document, "HighLevel")
    if highlevel["type"] == "core.needs_attention":  # the GHL node is not registered yet
        assert "POST /contacts/upsert" in highlevel["params"]["reason"]
    else:
        assert registry.get(highlevel["type"]).meta.get("method", "POST") == "POST"


def test_schedule_rules_become_schedule_triggers_wired_alike():
    result = convert_fixture("triggers.json")
    document = result.document
    schedules = [n for n in document["nodes"] if n["type"] == "core.trigger.schedule"]
    assert [n["params"] for n in schedules] == [
        {"mode": "weekly", "time": "09:30", "weekdays": ["mon", "fri"]},
        {"mode": "cron", "cron": "0 8 * * 1-5"},
        {"mode": "interval", "every_minutes": 15},
        {"mode": "cron", "cron": "10 */2 * * *"},
        {"mode": "cron", "cron": "0 0 15 */3 *"}]
    targets = {e["to"] for e in document["edges"] if e["from"] in {n["id"] for n in schedules}}
    assert targets == {"give_up"}
    assert len([e for e in document["edges"] if e["to"] == "give_up"]) == 5
    assert node_named(document, "Give up") == {
        "id": "give_up", "type": "core.stop", "name": "Give up", "position": [220.0, 0.0],
        "params": {"message": "Stopped at {{ now() | parse_date }}"}}
    assert node_named(document, "Error Trigger")["type"] == "core.trigger.error"
    assert node_named(document, "Sub-workflow entry")["type"] == "core.trigger.subworkflow"


def test_node_settings_retry_on_error_notes_disabled_and_workflow_settings():
    result = convert_fixture("triggers.json")
    document = result.document
    tidy = node_named(document, "Tidy")
    assert tidy["retry"] == {"max_attempts": 4, "backoff_s": 2.5}
    assert tidy["on_error"] == "error_output"
    assert tidy["notes"] == "Retries four times"
    assert ("tidy", "error", "tidy_failed", "main") in edges_of(document)
    assert node_named(document, "Skipped")["disabled"] is True
    assert document["settings"] == {"timezone": "America/New_York", "error_workflow": None,
                                    "save_runs": "failed", "timeout_s": 600.0}
    hook = node_named(document, "Order hook")
    assert hook["params"] == {"path": "orders/-id", "method": "PUT", "respond": "immediately"}
    assert hook["credential"] == "Order hook secret"
    report = result.report.as_dict()
    assert report["credentials"] == [{"name": "Order hook secret", "n8n_type": "httpHeaderAuth",
                                      "kind": "webhook_secret", "nodes": ["Order hook"]}]
    reasons = " ".join(entry["reason"] for entry in report["attention"])
    for expected in ("route parameters", "last node's data", "seconds field",
                     "error workflow", "5 schedule rules"):
        assert expected in reasons


def test_placeholders_keep_the_original_node_and_its_outputs():
    result = convert_fixture("unsupported.json")
    code = node_named(result.document, "Clean up")
    assert code["type"] == "core.needs_attention"
    assert code["params"]["original_type"] == "n8n-nodes-base.code"
    assert code["params"]["original"]["parameters"]["jsCode"].startswith("return $input")
    assert code["params"]["ports"] == [{"name": "main"}]
    scorer = node_named(result.document, "Score lead")
    # The expression in the community node's settings is fenced, never evaluated.
    assert scorer["params"]["original"]["parameters"]["model"] == \
        "{% raw %}={{ $json.segment }}{% endraw %}"
    spec = registry.get("core.needs_attention")
    assert spec.output_ports(scorer["params"]) == ["main", "output2"]
    assert spec.group == "Flow"


def test_sticky_notes_and_pinned_data():
    data = load("core_routing.json")
    data["nodes"].append({"parameters": {"content": "## Routing\nWon deals {{ go }} left",
                                         "width": 300, "height": 180, "color": 5},
                          "name": "Sticky Note", "type": "n8n-nodes-base.stickyNote",
                          "typeVersion": 1, "position": [10, -200], "id": "s1"})
    trigger = data["nodes"][0]["name"]  # n8n's "When clicking 'Test workflow'", curly quotes
    data["pinData"] = {trigger: [{"json": {"name": "Pinned", "stage": "won"}}],
                       "Route by stage": [{"json": {"name": "Pinned too"}}]}
    result = convert(data)
    assert result.ok
    assert result.document["notes"] == [{"id": "note_sticky_note",
                                         "text": "## Routing\nWon deals {{ go }} left",
                                         "position": [10.0, -200.0], "size": [300.0, 180.0],
                                         "color": "5"}]
    assert result.document["pinned"] == {
        "when_clicking_test_workflow": {"main": [{"name": "Pinned", "stage": "won"}]},
        "route_by_stage": {"Won": [{"name": "Pinned too"}]}}
    assert result.report.as_dict()["summary"]["sticky_notes"] == 1


def test_legacy_versions_map_onto_the_same_nodes():
    document = convert_fixture("legacy_v1.json").document
    conditions = node_named(document, "Big?")["params"]["conditions"]
    assert conditions == {"combinator": "and", "case_sensitive": True, "rules": [
        {"left": '{{ item["value"] }}', "type": "number", "operator": "gt", "right": 500},
        {"left": '{{ item["region"] }}', "type": "string", "operator": "not_equals",
         "right": "test"}]}
    switch = node_named(document, "By region")["params"]
    assert [rule["output"] for rule in switch["rules"]] == ["0", "1", "2"]
    request = node_named(document, "Old request")["params"]
    assert request["method"] == "POST" and request["body_type"] == "json"
    assert request["body"] == {"tier": '{{ (item["tier"]) | string }}'}
    assert request["timeout_s"] == 5.0


def test_slack_email_and_csv_map_onto_the_alert_and_file_nodes():
    result = convert_fixture("alerts_csv.json")
    document = result.document
    assert node_named(document, "Deals CSV")["params"] == {
        "filename": "deals-{{ today() | format_date(\"%Y-%m-%d\") }}.csv", "delimiter": ";"}
    email = node_named(document, "Email the file")
    assert email["type"] == "core.alert.email" and email["credential"] == "Office SMTP"
    assert email["params"] == {"to": "sales@example.com",
                               "subject": 'Deals for {{ today() | format_date("%d %b") }}',
                               "body": "<p>{{ item.rows }} deals attached.</p>", "html": True,
                               "attach_files": True}
    slack = node_named(document, "Tell the channel")
    assert slack["type"] == "core.alert.slack" and slack["credential"] == "Sales Slack"
    assert slack["params"]["text"] == "{{ item.name }} is worth {{ item.value }}"
    kinds = {c.name: c.kind for c in result.report.credentials}
    assert kinds == {"Office SMTP": "smtp", "Sales Slack": "slack_webhook"}


def test_every_mapped_n8n_type_is_covered_by_a_fixture():
    import json

    from tests.importers.conftest import FIXTURES

    used = {node["type"] for path in FIXTURES.glob("*.json")
            for node in json.loads(path.read_text())["nodes"]}
    assert set(known_types()) - used == set()


def test_highlevel_resources_and_operations_map_onto_the_ghl_nodes():
    result = convert_fixture("highlevel.json")
    document = result.document
    if registry.get("ghl.opportunities.search") is None:
        pytest.skip("the HighLevel nodes are not registered in this build")
    expected = {
        "Open deals": ("ghl.opportunities.search", {
            "return_all": True, "max_items": 0, "pipeline_id": "{{ item.pipeline }}",
            "pipeline_stage_id": "stage-proposal", "status": "open", "q": "renewal"}),
        "First twenty": ("ghl.opportunities.search", {"return_all": False, "limit": 20,
                                                      "assigned_to": "user-1"}),
        # No resource and no operation: n8n's defaults, "create or update" a contact.
        "Upsert contact": ("ghl.contacts.upsert", {
            "email": "{{ item.contact.email }}", "phone": "{{ item.contact.phone }}",
            "firstName": "{{ item.contact.name }}", "source": "n8n import",
            "tags": ["vip", "big-deal"]}),
        "Follow-up task": ("ghl.tasks.create", {
            "contactId": "{{ item.contact.id }}", "title": "Call about {{ item.name }}",
            "dueDate": "{{ now() | date_add(days=2) | parse_date }}", "completed": False,
            "assignedTo": "{{ item.assignedTo }}"}),
        "Mark won": ("ghl.opportunities.update", {
            "id": "{{ item.id }}", "monetaryValue": "{{ item.monetaryValue }}",
            "status": "won", "pipelineStageId": "stage-won"}),
        "New opportunity": ("ghl.opportunities.create", {
            "pipelineId": "pipe-1", "contactId": "{{ item.contact.id }}",
            "name": "Renewal {{ item.name }}", "status": "open",
            "pipelineStageId": "stage-new", "monetaryValue": 1000}),
        "Free slots": ("ghl.calendars.free_slots", {
            "calendarId": "cal-1", "startDate": 1764547200000, "endDate": 1765152000000,
            "timezone": "Europe/Berlin"}),
        "Book call": ("ghl.calendars.book_appointment", {
            "calendarId": "cal-1", "locationId": "loc-1", "contactId": "{{ item.contact.id }}",
            "startTime": "2026-12-01T10:00:00+01:00", "title": "Renewal call"}),
        "Contact details": ("ghl.contacts.get", {"contactId": "{{ item.contact.id }}"}),
        "Contacts (v1)": ("ghl.contacts.search", {"return_all": True, "max_items": 0}),
    }
    for name, (node_type, params) in expected.items():
        node = node_named(document, name)
        assert (node["type"], node["params"]) == (node_type, params), name
        assert node["credential"] in ("HighLevel account", "HighLevel API key")
    kinds = {c.name: c.kind for c in result.report.credentials}
    assert kinds == {"HighLevel account": "ghl_oauth", "HighLevel API key": "ghl_pit"}


def test_settings_flowlane_would_refuse_make_a_stand_in_not_a_failed_import():
    result = convert({"name": "Odd", "nodes": [
        {"name": "Cron", "type": "n8n-nodes-base.scheduleTrigger", "typeVersion": 1.2,
         "parameters": {"rule": {"interval": [{"field": "cronExpression",
                                               "expression": "99 99 * * *"}]}}},
        {"name": "Back in time", "type": "n8n-nodes-base.wait", "typeVersion": 1.1,
         "parameters": {"amount": -3}}],
        "connections": {"Cron": {"main": [[{"node": "Back in time", "type": "main",
                                            "index": 0}]]}}})
    assert result.ok
    types = {node["name"]: node["type"] for node in result.document["nodes"]}
    assert types == {"Cron": "core.needs_attention", "Back in time": "core.needs_attention",
                     "Start (added on import)": "core.trigger.manual"}
    reasons = {entry.node: entry.reason for entry in result.report.attention}
    assert "'99 99 * * *' is not a valid cron expression" in reasons["Cron"]
    assert "-3 is less than the minimum of 0" in reasons["Back in time"]


def test_expressions_follow_a_node_renamed_on_import():
    long_name = "Look up the deal " * 15  # n8n allows it; Flowlane names stop at 200
    result = convert({"nodes": [
        {"name": "Start", "type": "n8n-nodes-base.manualTrigger", "parameters": {}},
        {"name": long_name, "type": "n8n-nodes-base.noOp", "parameters": {}},
        {"name": "Use it", "type": "n8n-nodes-base.set", "typeVersion": 3.4, "parameters": {
            "assignments": {"assignments": [
                {"name": "deal", "type": "string",
                 "value": "={{ $('" + long_name + "').item.json.name }}"}]}}}],
        "connections": {
            "Start": {"main": [[{"node": long_name, "type": "main", "index": 0}]]},
            long_name: {"main": [[{"node": "Use it", "type": "main", "index": 0}]]}}})
    assert result.ok
    renamed = result.document["nodes"][1]["name"]
    assert len(renamed) == 200
    value = node_named(result.document, "Use it")["params"]["fields"][0]["value"]
    assert value == '{{ nodes["' + renamed + '"].items[index].name }}'


def test_a_webhook_without_path_listens_on_its_webhook_id_and_a_paste_without_trigger_starts():
    hook = convert({"nodes": [{"name": "Webhook", "type": "n8n-nodes-base.webhook",
                               "typeVersion": 2, "webhookId": "4f1c2a9e-7d2b", "parameters": {}}],
                    "connections": {}})
    assert node_named(hook.document, "Webhook")["params"] == {
        "path": "4f1c2a9e-7d2b", "method": "GET", "respond": "immediately"}
    pasted = convert({"nodes": [{"name": "Tidy", "type": "n8n-nodes-base.noOp",
                                 "parameters": {}, "position": [300, 40]}], "connections": {}})
    assert pasted.ok
    assert ("start", "main", "tidy", "main") in edges_of(pasted.document)
    assert "it had no trigger" in pasted.report.attention[-1].reason
