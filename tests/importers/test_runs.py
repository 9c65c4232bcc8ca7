"""Imported n8n workflows run on a real worker and give the items n8n's semantics give."""

from __future__ import annotations

import json
from datetime import UTC, datetime

from tests.importers.conftest import import_n8n, load

DEALS = [
    {"name": "Acme", "stage": "won", "value": 1200},
    {"name": "Globex", "stage": "lost", "value": 800},
    {"name": "Initech", "stage": "open", "value": 5000},
    {"name": "Umbrella", "stage": "open", "value": 50},
    {"name": "Hooli", "stage": "WON", "value": 300},
]


def out(steps, name, port="main"):
    return steps[name]["output"][port]


def test_switch_set_filter_merge_sort_limit_aggregate(api, worker, run_imported):
    run, steps = run_imported(import_n8n(api, load("core_routing.json")), DEALS)
    assert run.status == "succeeded", run.error
    routed = steps["Route by stage"]["output"]
    assert [d["name"] for d in routed["Won"]] == ["Acme", "Hooli"]  # rule 1 ignores case
    assert [d["name"] for d in routed["Lost"]] == ["Globex"]
    assert [d["name"] for d in routed["fallback"]] == ["Initech", "Umbrella"]
    assert [d["label"] for d in out(steps, "Label won")] == ["Acme won 1200", "Hooli won 300"]
    assert out(steps, "Open deals list") == [{"deals": [DEALS[2]]}]
    assert [d["name"] for d in out(steps, "Sort by value")] == ["Acme", "Globex", "Hooli"]
    assert out(steps, "Names") == [{"name": ["Acme", "Globex"]}]


def test_defaults_of_each_type_version_decide_the_result(api, worker, run_imported):
    run, steps = run_imported(import_n8n(api, load("defaults_run.json")),
                              [{"name": "Ada"}, {"name": "Bob"}])
    assert run.status == "succeeded", run.error
    # Edit Fields v3.2 keeps the input's fields; v3.3 keeps only what it sets; Limit keeps 1.
    assert out(steps, "Add source (v3.2)") == [{"name": "Ada", "source": "n8n"},
                                               {"name": "Bob", "source": "n8n"}]
    assert out(steps, "Greeting only (v3.3)") == [{"greeting": "Hi Ada from n8n"},
                                                  {"greeting": "Hi Bob from n8n"}]
    assert out(steps, "Keep one") == [{"greeting": "Hi Ada from n8n"}]


def test_every_expression_form_evaluates_as_in_n8n(api, worker, run_imported):
    lead = {"first name": "Ada", "last": "Lovelace", "email": "  ADA@Example.com ",
            "amount": 1234.567, "tags": ["vip", "new"], "stage": "won",
            "created": "2026-11-20T10:00:00Z", "nick": None}
    imported = import_n8n(api, load("expressions.json"))
    assert imported["report"]["summary"]["expressions_untranslated"] == 0
    run, steps = run_imported(imported, [lead])
    assert run.status == "succeeded", run.error
    [result] = out(steps, "Expressions")
    today = datetime.now(UTC).date().isoformat()
    assert result.pop("now_iso")[:10] == today
    assert result.pop("today") == today
    assert json.loads(result.pop("tags_json")) == ["vip", "new"]
    assert result == {
        "json_dot": "Lovelace", "json_bracket": "Ada", "paired_item": 0,
        "legacy_node": "Lovelace", "trigger_item": "won", "first_item": "ADA@Example.com",
        "input_first": "Lovelace", "all_count": 1, "items_count": 1, "ternary": "big",
        "upper": "LOVELACE", "lower_trim": "ada@example.com", "includes": True,
        "starts": True, "replaced": "Won", "domain": "Example.com", "sliced": "Love",
        "length": 8, "template_literal": "Ada Lovelace", "concatenated": "Dear Ada Lovelace!",
        "or_default": "none", "nullish": "fallback", "rounded": 1235, "fixed": "1234.57",
        "created_day": "20 Nov 2026", "due": "2026-11-23", "index": 0,
        "workflow_name": "Every expression form", "not_done": True, "won_big": True,
        "doubled": 2469.134, "parsed": 43, "plain_text": "plain {{ text }} stays",
        "static_prefix": "no expression here",
    }


def test_an_untranslated_expression_fails_the_step_and_names_itself(api, worker, run_imported):
    imported = import_n8n(api, load("untranslatable.json"))
    untranslated = imported["report"]["expressions"]["untranslated"]
    assert [entry["n8n"] for entry in untranslated] == [
        "$runIndex", "$json.name.replace(/a/g, 'b')"]
    run, steps = run_imported(imported, [{"name": "Ada"}])
    assert run.status == "failed"
    error = steps["Run index"]["error"]
    assert "untranslated_n8n_expression" in error["message"]
    assert "$runIndex" in error["details"]["expression"]


def test_http_split_out_loop_and_json_body(api, worker, run_imported, receiver):
    receiver.reply("/deals", {"deals": [{"id": 1, "name": "A", "value": 10},
                                        {"id": 2, "name": "B", "value": 20},
                                        {"id": 3, "name": "C", "value": 30}]})
    data = load("http_loop.json", {"https://api.example.com": receiver.url})
    run, steps = run_imported(import_n8n(api, data), [{"team": "sales"}])
    assert run.status == "succeeded", run.error
    fetch = receiver.requests[0]
    assert fetch["path"] == "/deals?status=open"
    assert fetch["headers"]["X-Team"] == "sales"
    posted = [r["body"] for r in receiver.requests[1:]]
    assert posted == [{"id": 1, "label": "Deal A", "value": "10"},
                      {"id": 2, "label": "Deal B", "value": "20"},
                      {"id": 3, "label": "Deal C", "value": "30"}]
    assert out(steps, "Ids") == [{"ids": [1, 2, 3]}]


def test_merge_by_matching_field_and_choose_branch(api, worker, run_imported, receiver):
    receiver.reply("/deals", [{"contact_id": "c1", "deal": "Acme"},
                              {"contact_id": "c2", "deal": "Globex"}])
    data = load("merge_combine.json", {"https://api.example.com": receiver.url})
    contacts = [{"id": "c1", "name": "Ann"}, {"id": "c2", "name": "Bo"},
                {"id": "c3", "name": "Cy"}]
    run, steps = run_imported(import_n8n(api, data), contacts)
    assert run.status == "succeeded", run.error
    assert len(receiver.requests) == 1
    assert out(steps, "Enrich contacts") == [
        {"id": "c1", "name": "Ann", "contact_id": "c1", "deal": "Acme"},
        {"id": "c2", "name": "Bo", "contact_id": "c2", "deal": "Globex"},
        {"id": "c3", "name": "Cy"}]
    assert out(steps, "Deals once both arrived") == [{"contact_id": "c1", "deal": "Acme"},
                                                     {"contact_id": "c2", "deal": "Globex"}]


def test_execute_workflow_runs_the_imported_sub_workflow(api, worker, run_imported):
    import_n8n(api, load("subworkflow_child.json"))
    run, steps = run_imported(import_n8n(api, load("subworkflow_parent.json")),
                              [{"value": 2}, {"value": 5}])
    assert run.status == "succeeded", run.error
    assert out(steps, "Result") == [{"value": 2, "doubled": 4}, {"value": 5, "doubled": 10}]


def test_webhook_answered_by_respond_to_webhook(api, worker):
    workflow = import_n8n(api, load("webhook_respond.json"))["workflow"]
    assert api.post(f"/api/workflows/{workflow['id']}/activate").status_code == 200
    yes = api.post("/webhook/n8n-qualify", json={"name": " Ada ", "email": "ada@example.com",
                                                 "budget": 2500, "optout": False})
    assert yes.status_code == 200
    assert yes.get_json() == {"qualified": True, "name": "Ada", "budget": 2500}
    no = api.post("/webhook/n8n-qualify", json={"name": "Bob", "email": "bob@example.com",
                                                "budget": 10, "optout": False})
    assert no.status_code == 202
    assert no.get_data(as_text=True) == "Sorry Bob, not this time."
    assert no.headers["X-Reason"] == "budget"


def test_old_node_versions_if_v1_set_v2_switch_v2_filter_v1_http_v1(api, worker, run_imported,
                                                                   receiver):
    data = load("legacy_v1.json", {"https://api.example.com": receiver.url})
    leads = [{"value": 900, "region": "eu", "email": "a@x.com"},
             {"value": 100, "region": "eu"}, {"value": 50, "region": "us"},
             {"value": 70, "region": "apac"}, {"value": 800, "region": "test"},
             {"value": 700, "region": "us", "email": "none"}]
    run, steps = run_imported(import_n8n(api, data), leads)
    assert run.status == "succeeded", run.error
    assert out(steps, "Gold") == [
        {"value": 900, "region": "eu", "email": "a@x.com", "tier": "gold", "score": 9.0},
        {"value": 700, "region": "us", "email": "none", "tier": "gold", "score": 7.0}]
    assert [lead["value"] for lead in out(steps, "EU")] == [100]
    assert [lead["value"] for lead in out(steps, "US")] == [50]
    assert [lead["value"] for lead in out(steps, "Elsewhere")] == [70, 800]
    assert [lead["value"] for lead in out(steps, "Has email")] == [900]
    assert [r["body"] for r in receiver.requests] == [{"tier": "gold"}]


def test_remove_duplicates_wait_sort_limit_split_out(api, worker, run_imported):
    leads = [{"name": "Cy", "email": "c@x", "tags": ["a"]},
             {"name": "Ann", "email": "a@x", "tags": ["b", "c"]},
             {"name": "Ann again", "email": "a@x", "tags": []},
             {"name": "Bo", "email": "b@x", "tags": ["d"]}]
    run, steps = run_imported(import_n8n(api, load("dedupe_wait_sort.json")), leads)
    assert run.status == "succeeded", run.error
    assert [lead["name"] for lead in out(steps, "One per email")] == ["Cy", "Ann", "Bo"]
    assert [lead["name"] for lead in out(steps, "By name")] == ["Ann", "Bo", "Cy"]
    assert out(steps, "One per tag") == [{"name": "Bo", "email": "b@x", "tags": "d"},
                                         {"name": "Cy", "email": "c@x", "tags": "a"}]


def test_a_needs_attention_node_fails_clearly_and_keeps_the_shape(api, worker, run_imported):
    imported = import_n8n(api, load("unsupported.json"))
    document = imported["workflow"]["document"]
    score = next(n for n in document["nodes"] if n["name"] == "Score lead")
    assert score["params"]["ports"] == [{"name": "main"}, {"name": "output2"}]
    assert {(e["from"], e.get("from_port", "main"), e["to"]) for e in document["edges"]} >= {
        ("score_lead", "main", "hot"), ("score_lead", "output2", "cold")}
    run, steps = run_imported(imported, [{"segment": "smb"}])
    assert run.status == "failed"
    message = steps["Clean up"]["error"]["message"]
    assert message.startswith("Clean up needs attention: it was imported as "
                              "n8n-nodes-base.code")
    assert "Replace it with Flowlane nodes" in message
    assert "Score lead" not in steps


def test_an_unsupported_trigger_gets_a_manual_start_that_fails_clearly(api, worker,
                                                                      run_imported):
    imported = import_n8n(api, load("unsupported_trigger.json"))
    names = [n["name"] for n in imported["workflow"]["document"]["nodes"]]
    assert "Start (added on import)" in names
    run, steps = run_imported(imported)
    assert run.status == "failed"
    assert "n8n-nodes-base.gmailTrigger" in steps["Gmail Trigger"]["error"]["message"]
