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
