"""Send row to HighLevel and Update row from HighLevel, against the sandbox and the real
Opportunities table."""

from __future__ import annotations

import pytest

from nodes.registry import NodeError
from tests.ghl.helpers import main
from tests.scenarios.helpers import add_row, opportunity, preset, row, rows, stage_named


def seeded_open(node):
    """Open deals of the seeded "Sales Pipeline"."""
    pipeline, _stage = stage_named(node, "Sales Pipeline", "New Lead")
    return main(node("ghl.opportunities.search", {"status": "open", "limit": 5,
                                                  "pipeline_id": pipeline}))


def test_a_row_with_a_ghl_id_updates_only_what_differs_then_is_in_step(api, node):
    table = preset(api)
    deal = seeded_open(node)[0]
    _pipeline, negotiation = stage_named(node, "Sales Pipeline", "Negotiation")
    added = add_row(api, table, silent=True, name=deal["name"], stage="negotiation",
                    value=deal["monetaryValue"] + 500, ghl_id=deal["id"])
    out = node("ghl.opportunities.push_row", {}, [{"event": "updated", "row": added}])
    [sent] = out["main"]
    assert out["unchanged"] == []
    assert {c["field"] for c in sent["changes"]} == {"stage", "value"}
    assert sent["ghl_id"] == deal["id"] and sent["created"] is False
    assert "value: " in sent["summary"] and " -> negotiation" in sent["summary"]
    now = opportunity(node, deal["id"])
    assert now["pipelineStageId"] == negotiation
    assert now["monetaryValue"] == deal["monetaryValue"] + 500
    assert now["assignedTo"] == deal.get("assignedTo")  # the row's empty owner clears nothing
    again = node("ghl.opportunities.push_row", {}, [added])
    assert again["main"] == [] and again["unchanged"][0]["summary"] == "already in step"


def test_a_new_row_becomes_an_opportunity_with_its_own_contact(api, node):
    table = preset(api)
    added = add_row(api, table, silent=True, name="Acme renewal", stage="Proposal Sent",
                    value="$1,200", status="open")
    [sent] = node("ghl.opportunities.push_row", {"pipeline": "Sales Pipeline"},
                  [added])["main"]
    assert sent["created"] is True and sent["ghl_id"]
    made = opportunity(node, sent["ghl_id"])
    assert (made["name"], made["monetaryValue"], made["status"]) == ("Acme renewal", 1200,
                                                                       "open")
    assert made["pipelineStageId"] == stage_named(node, "Sales Pipeline", "Proposal Sent")[1]
    assert made["contact"]["name"] == "Acme renewal"


def test_a_stage_name_ghl_does_not_have_fails_with_the_stages_it_has(api, node):
    table = preset(api)
    deal = seeded_open(node)[0]
    added = add_row(api, table, silent=True, stage="Demo booked", ghl_id=deal["id"])
    with pytest.raises(NodeError, match=r"'Demo booked' does not exist .* Negotiation"):
        node("ghl.opportunities.push_row", {}, [added])


def test_pull_writes_the_opportunity_into_its_row_with_notes_once(api, node):
    table = preset(api)
    deal = seeded_open(node)[0]
    node("ghl.notes.create", {"contactId": deal["contactId"], "body": "Called, wants a demo"})
    out = node("ghl.opportunities.pull_row", {}, [{"id": deal["id"]}])
    [pulled] = out["main"]
    assert pulled["outcome"] == "created"
    [stored] = rows(api, table)
    pipeline = next(p for p in main(node("ghl.opportunities.pipelines", {}))
                    if p["id"] == deal["pipelineId"])
    stage = next(s["name"] for s in pipeline["stages"] if s["id"] == deal["pipelineStageId"])
    assert stored["stage"] == stage and stored["ghl_id"] == deal["id"]
    assert stored["value"] == deal["monetaryValue"] and stored["status"] == "open"
    assert stored["owner_id"] == deal.get("assignedTo")
    assert "Called, wants a demo" in stored["notes"]
    # Stage moved in HighLevel: the row follows; the note is not appended twice.
    _pipeline, closed = stage_named(node, "Sales Pipeline", "Closed")
    node("ghl.opportunities.update", {"id": deal["id"], "pipelineId": _pipeline,
                                      "pipelineStageId": closed, "status": "won"})
    [again] = node("ghl.opportunities.pull_row", {}, [{"id": deal["id"]}])["main"]
    assert again["outcome"] == "updated"
    assert {c["field"] for c in again["changes"]} >= {"stage", "status"}
    now = row(api, table, stored["id"])
    assert (now["stage"], now["status"]) == ("Closed", "won")
    assert now["notes"].count("Called, wants a demo") == 1
    assert node("ghl.opportunities.pull_row", {}, [{"id": "NoSuchOpportunity1"}]) == {
        "main": [], "not_found": [{"ghl_id": "NoSuchOpportunity1",
                                   "event": {"id": "NoSuchOpportunity1"}}]}


def test_sync_pipelines_mirrors_stages_and_reports_names_ghl_lacks(api, node):
    opportunities = preset(api)
    sales, _stage = stage_named(node, "Sales Pipeline", "New Lead")
    add_row(api, opportunities, silent=True, name="A", stage="Proposal", pipeline_id=sales)
    add_row(api, opportunities, silent=True, name="B", stage="proposal", pipeline_id=sales)
    add_row(api, opportunities, silent=True, name="C", stage="Negotiation", pipeline_id=sales)
    add_row(api, opportunities, silent=True, name="D", stage="Kickoff")  # another pipeline's
    params = {"stage_names": ["Negotiation", "Demo booked", "closed"]}
    out = node("ghl.opportunities.sync_pipelines", params)
    [summary] = out["main"]
    assert summary["stages"] == 10 and summary["created"] == 10
    assert summary["pipelines"] == ["Sales Pipeline", "Customer Onboarding"]
    assert [(m["stage"], m["used_by"], m["rows"]) for m in out["missing"]] == [
        ("Demo booked", "mappings", 0), ("Proposal", "Opportunities", 2)]
    assert "used by 2 rows of Opportunities no longer exists" in out["missing"][1]["message"]
    mirror = api.get("/api/tables").json["tables"]
    pipelines_table = next(t for t in mirror if t["name"] == "Pipelines")
    mirrored = rows(api, pipelines_table["id"])
    assert {(r["pipeline_name"], r["stage_name"]) for r in mirrored} >= {
        ("Sales Pipeline", "Proposal Sent"), ("Customer Onboarding", "Live")}
    # A stage HighLevel no longer has leaves the mirror; the rest is not rewritten.
    add_row(api, pipelines_table["id"], silent=True, pipeline_name="Sales Pipeline",
            stage_name="Old stage", pipeline_id=sales, stage_id="gone-stage")
    [again] = node("ghl.opportunities.sync_pipelines", {"check_table": ""})["main"]
    assert (again["created"], again["unchanged"], again["removed"]) == (0, 10, 1)
    assert again["missing"] == []
    assert len(rows(api, pipelines_table["id"])) == 10


def test_reconcile_newest_wins_fixes_both_sides_and_reports_the_rest(api, node):
    table = preset(api)
    a, b, c = seeded_open(node)[:3]
    for deal in (a, b, c):
        node("ghl.opportunities.pull_row", {"append_notes": False}, [{"id": deal["id"]}])
    by_id = {r["ghl_id"]: r for r in rows(api, table)}
    older, newer = "2020-01-01T00:00:00Z", "2099-01-01T00:00:00Z"
    other_stage = "Contacted" if by_id[b["id"]]["stage"] != "Contacted" else "Qualified"
    api.patch(f"/api/tables/{table}/rows/{by_id[b['id']]['id']}", json={
        "values": {"stage": other_stage, "last_modified": older}, "trigger_workflows": False})
    api.patch(f"/api/tables/{table}/rows/{by_id[c['id']]['id']}", json={
        "values": {"value": 4321, "last_modified": newer}, "trigger_workflows": False})
    add_row(api, table, silent=True, name="Gone", ghl_id="GoneOpportunity01")
    add_row(api, table, silent=True, name="Not linked")
    params = {"direction": "newest_wins", "pipeline": "Sales Pipeline"}
    [report] = node("ghl.opportunities.reconcile", params)["main"]
    in_pipeline = len(main(node("ghl.opportunities.search", {
        "pipeline_id": a["pipelineId"], "status": "all", "return_all": True, "max_items": 0})))
    counts = report["counts"]
    assert counts == {"checked": in_pipeline + 1, "in_sync": 1, "fixed_in_table": 1,
                      "fixed_in_ghl": 1, "added_to_table": in_pipeline - 3,
                      "missing_in_table": 0, "missing_in_ghl": 1, "unlinked": 1, "failed": 0}
    fixed = {ch["action"]: ch for ch in report["changes"] if ch["action"].startswith("fixed")}
    assert fixed["fixed_in_table"]["ghl_id"] == b["id"]
    assert [f["field"] for f in fixed["fixed_in_table"]["fields"]] == ["stage"]
    assert fixed["fixed_in_ghl"]["fields"] == [{"field": "value", "table": 4321,
                                                "ghl": c["monetaryValue"]}]
    assert opportunity(node, c["id"])["monetaryValue"] == 4321
    now = {r["ghl_id"]: r for r in rows(api, table)}
    assert now[b["id"]]["stage"] == by_id[b["id"]]["stage"]
    assert now[c["id"]]["last_modified"] != newer  # HighLevel's new updatedAt
    [again] = node("ghl.opportunities.reconcile", params)["main"]
    assert again["counts"]["in_sync"] == in_pipeline and again["drift"] == 1  # the gone one


def test_reconcile_fails_after_fixing_what_it_can(api, node):
    table = preset(api)
    a, b = seeded_open(node)[:2]
    for deal in (a, b):
        node("ghl.opportunities.pull_row", {"append_notes": False}, [{"id": deal["id"]}])
    by_id = {r["ghl_id"]: r for r in rows(api, table)}
    api.patch(f"/api/tables/{table}/rows/{by_id[a['id']]['id']}",
              json={"values": {"stage": "Demo booked"}, "trigger_workflows": False})
    api.patch(f"/api/tables/{table}/rows/{by_id[b['id']]['id']}",
              json={"values": {"name": "Renamed in Flowlane"}, "trigger_workflows": False})
    with pytest.raises(NodeError, match=r"could not fix 1 record \(200 checked") as failed:
        node("ghl.opportunities.reconcile", {"direction": "table_to_ghl",
                                             "add_missing": False}, [{}])
    report = failed.value.details["report"]
    assert report["counts"]["failed"] == 1 and report["counts"]["fixed_in_ghl"] == 1
    assert opportunity(node, b["id"])["name"] == "Renamed in Flowlane"
