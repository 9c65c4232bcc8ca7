"""Every sales scenario example in workflows/examples/ runs end to end: a real worker
process, the database, Redis, the HighLevel sandbox over HTTP (its signed webhooks into
/hooks/ghl where the example starts on an event), a local SMTP server and a Slack stand-in
receiving HTTP."""

from __future__ import annotations

import csv
import io
from datetime import UTC, datetime, timedelta
from urllib.parse import urlparse

import pytest

from tests.ghl.helpers import main
from tests.helpers import load_example, wait_for_run
from tests.sandbox.client import wait_for
from tests.scenarios.helpers import (
    add_row,
    imported,
    opportunity,
    preset,
    row,
    rows,
    run_now,
    runs_of,
    stage_named,
)

F2G = "ghl-sync-flowlane-to-ghl.json"
G2F = "ghl-sync-ghl-to-flowlane.json"


@pytest.fixture
def slack(api, receiver):
    api.post("/api/credentials", json={"name": "Sales Slack", "kind": "slack_webhook",
                                       "data": {"webhook_url": f"{receiver.url}/slack"}})
    return receiver


@pytest.fixture
def mail(api, smtp_server):
    api.post("/api/credentials", json={"name": "Sales mail (SMTP)", "kind": "smtp", "data": {
        "host": "127.0.0.1", "port": smtp_server.port, "security": "none",
        "sender": "Flowlane <sales-bot@example.com>"}})
    return smtp_server


@pytest.fixture
def webhooks(admin, live_server, connection):
    """The sandbox sends its signed events to this app's /hooks/ghl."""
    admin.post("/webhooks", json={"urls": [f"{live_server}/hooks/ghl"]})


def finished(svc, workflow_id, count=1, timeout=60):
    """The workflow's first `count` runs, once each has finished."""
    ids = wait_for(lambda: (found := runs_of(svc, workflow_id)) and len(found) >= count
                   and found, timeout=timeout)
    return [wait_for_run(svc, run_id, timeout=timeout) for run_id in ids[:count]]


def sales_deals(node, status="open", count=5):
    pipeline, _stage = stage_named(node, "Sales Pipeline", "New Lead")
    return [d for d in main(node("ghl.opportunities.search", {
        "pipeline_id": pipeline, "status": status, "limit": 50})) if d.get("assignedTo")][:count]


def users(node):
    return {u["id"]: u for u in main(node("ghl.users.list", {}))}


def notes_of(node, contact_id):
    return [n["body"] for n in main(node("ghl.notes.list", {"contactId": contact_id}))]


def new_contact(node, name):
    return main(node("ghl.contacts.create", {"firstName": name, "lastName": "Example",
                                             "email": f"{name.lower()}@example.com"}))[0]["id"]


# -- sync both ways --------------------------------------------------------------------------------

def test_flowlane_to_highlevel_creates_updates_writes_back_and_notes(api, svc, worker, node,
                                                                     connection):
    table = preset(api)
    workflow = imported(api, F2G, activate=True)
    added = add_row(api, table, name="Acme renewal", stage="Proposal Sent", value=1200,
                    status="open")
    [first] = finished(svc, workflow)
    assert first.status == "succeeded", first.error
    stored = row(api, table, added["id"])
    assert stored["ghl_id"] and stored["last_modified"]
    made = opportunity(node, stored["ghl_id"])
    assert made["pipelineStageId"] == stage_named(node, "Sales Pipeline", "Proposal Sent")[1]
    assert (made["name"], made["monetaryValue"]) == ("Acme renewal", 1200)
    [note] = notes_of(node, made["contactId"])
    assert note.startswith("Flowlane: created in HighLevel: name: (empty) -> Acme renewal")
    # A change in the table follows; the silent write-back started nothing.
    api.patch(f"/api/tables/{table}/rows/{added['id']}", json={"values": {
        "stage": "Negotiation", "owner_id": next(iter(users(node)))}})
    first_two = finished(svc, workflow, 2)
    assert first_two[1].status == "succeeded", first_two[1].error
    now = opportunity(node, stored["ghl_id"])
    assert now["pipelineStageId"] == stage_named(node, "Sales Pipeline", "Negotiation")[1]
    assert now["assignedTo"] == next(iter(users(node)))
    assert any("stage: Proposal Sent -> Negotiation" in n for n in
               notes_of(node, made["contactId"]))
    assert len(runs_of(svc, workflow)) == 2


def test_highlevel_to_flowlane_updates_the_row_and_the_two_syncs_do_not_loop(
        api, svc, worker, node, webhooks):
    table = preset(api)
    to_ghl = imported(api, F2G, activate=True)
    from_ghl = imported(api, G2F, activate=True)
    deal = sales_deals(node)[0]
    node("ghl.notes.create", {"contactId": deal["contactId"], "body": "Asked for a discount"})
    pipeline, negotiation = stage_named(node, "Sales Pipeline", "Negotiation")
    node("ghl.opportunities.update", {"id": deal["id"], "pipelineId": pipeline,
                                      "pipelineStageId": negotiation, "monetaryValue": 7777})
    [pulled] = finished(svc, from_ghl)
    assert pulled.status == "succeeded", pulled.error
    [stored] = [r for r in rows(api, table) if r["ghl_id"] == deal["id"]]
    assert (stored["stage"], stored["value"], stored["status"]) == ("Negotiation", 7777, "open")
    assert stored["owner_id"] == deal["assignedTo"]
    assert "Asked for a discount" in stored["notes"]
    assert runs_of(svc, to_ghl) == []  # the row was written by the other half of the sync
    # A person edits the row: it goes to HighLevel, whose events come back into the row (the
    # activity note is appended) without sending anything to HighLevel again.
    api.patch(f"/api/tables/{table}/rows/{stored['id']}", json={"values": {"value": 8000}})
    [pushed] = finished(svc, to_ghl)
    assert pushed.status == "succeeded", pushed.error
    assert opportunity(node, deal["id"])["monetaryValue"] == 8000
    back = finished(svc, from_ghl, 2)
    assert back[1].status == "succeeded", back[1].error
    wait_for(lambda: "Flowlane: value: 7777" in (row(api, table, stored["id"])["notes"] or ""))
    assert len(runs_of(svc, to_ghl)) == 1


# -- pipelines and reconciliation ------------------------------------------------------------------

def test_pipeline_alignment_mirrors_stages_and_warns_about_a_missing_one(api, svc, worker,
                                                                         connection):
    table = preset(api)
    add_row(api, table, silent=True, name="Old deal", stage="Demo booked")
    add_row(api, table, silent=True, name="Fine deal", stage="Negotiation")
    workflow = imported(api, "ghl-pipeline-alignment.json")
    run, steps = run_now(api, svc, workflow, trigger="every_morning",
                         payload={"scheduled_for": "2026-12-01T06:00:00Z"})
    assert run.status == "succeeded", run.error
    assert steps["sync"]["output"]["main"][0]["created"] == 10
    mirror = next(t for t in api.get("/api/tables").json["tables"] if t["name"] == "Pipelines")
    assert mirror["row_count"] == 10
    titles = [n["title"] for n in api.get("/api/notifications").json["notifications"]]
    assert titles == ["Stage Demo booked no longer exists in HighLevel"]


def test_reconciliation_fixes_drift_reports_it_and_failures_alert(api, svc, worker, node,
                                                                  slack, connection, admin):
    table = preset(api)
    a, b = sales_deals(node, count=2)
    for deal in (a, b):
        node("ghl.opportunities.pull_row", {"append_notes": False}, [{"id": deal["id"]}])
    linked = {r["ghl_id"]: r for r in rows(api, table)}
    api.patch(f"/api/tables/{table}/rows/{linked[a['id']]['id']}", json={
        "values": {"value": 1, "last_modified": "2020-01-01T00:00:00Z"},
        "trigger_workflows": False})
    api.patch(f"/api/tables/{table}/rows/{linked[b['id']]['id']}", json={
        "values": {"name": "Renamed here", "last_modified": "2099-01-01T00:00:00Z"},
        "trigger_workflows": False})
    workflow = imported(api, "ghl-reconcile-opportunities.json")
    run, steps = run_now(api, svc, workflow, trigger="every_night", payload={})
    assert run.status == "succeeded", run.error
    report = steps["reconcile"]["output"]["main"][0]
    assert report["counts"]["fixed_in_table"] == 1 and report["counts"]["fixed_in_ghl"] == 1
    assert report["counts"]["added_to_table"] == report["counts"]["checked"] - 2
    assert row(api, table, linked[a["id"]]["id"])["value"] == a["monetaryValue"]
    assert opportunity(node, b["id"])["name"] == "Renamed here"
    [message] = [r["body"]["text"] for r in slack.requests]
    assert message.startswith(f"Reconciliation: {report['counts']['checked']} checked")
    assert f"fixed in ghl: Renamed here (name: table Renamed here, HighLevel {b['name']})" \
        in message
    # A connection HighLevel refuses (its token may read the location, not opportunities):
    # the run fails and the failure alert says where.
    token = admin.post("/tokens", json={"scopes": ["locations.readonly"]}).json()
    made = api.post("/api/credentials", json={"name": "HighLevel (no access)", "kind": "ghl_pit",
                                              "data": {"token": token["token"],
                                                       "location_id": a["locationId"],
                                                       "base_url": connection_base(svc)}})
    assert made.status_code == 201, made.json
    document = load_example("ghl-reconcile-opportunities.json")
    for step in document["nodes"]:
        if step["id"] == "reconcile":
            step["credential"], step["retry"] = "HighLevel (no access)", {"max_attempts": 1}
    document["name"] = "Reconciliation (no access)"
    broken = api.post("/api/workflows/import", json=document).json["workflow"]["id"]
    run, _steps = run_now(api, svc, broken, trigger="every_night", payload={})
    assert run.status == "failed" and "401" in run.error["message"]
    titles = wait_for(lambda: [n["title"] for n in
                               api.get("/api/notifications").json["notifications"]])
    assert "Reconciliation (no access) failed at Reconcile" in titles


def connection_base(svc):
    from server.credentials import load_by_name

    return load_by_name(svc, "HighLevel (sandbox)")["base_url"]


# -- routing ---------------------------------------------------------------------------------------

def test_routing_sends_new_deals_to_their_team_and_owner(api, svc, worker, node, slack,
                                                         webhooks):
    workflow = imported(api, "ghl-route-by-pipeline-and-owner.json", activate=True)
    people = users(node)
    by_name = {u["name"]: u["id"] for u in people.values()}
    sales, _ = stage_named(node, "Sales Pipeline", "New Lead")
    onboarding, _ = stage_named(node, "Customer Onboarding", "Kickoff")
    big = main(node("ghl.opportunities.create", {
        "pipelineId": sales, "name": "Initech platform", "status": "open",
        "contactId": new_contact(node, "Ines"), "monetaryValue": 50000,
        "assignedTo": by_name["Riley Chen"]}))[0]
    [first] = finished(svc, workflow)
    assert first.status == "succeeded", first.error
    assert opportunity(node, big["id"])["assignedTo"] == by_name["Jordan Reyes"]
    assert slack.requests[0]["body"]["text"] == (
        "Enterprise: Initech platform ($50,000.00) is Jordan Reyes's, reassigned.")
    kept = main(node("ghl.opportunities.create", {
        "pipelineId": onboarding, "name": "Umbrella setup", "status": "open",
        "contactId": new_contact(node, "Uma"), "assignedTo": by_name["Sam Whitfield"]}))[0]
    finished(svc, workflow, 2)
    assert opportunity(node, kept["id"])["assignedTo"] == by_name["Sam Whitfield"]
    assert slack.requests[1]["body"]["text"] == "Onboarding: Umbrella setup is Sam Whitfield's."


# -- milestone alerts ------------------------------------------------------------------------------

def test_stage_reached_emails_the_owner(api, svc, worker, node, mail, webhooks):
    workflow = imported(api, "ghl-alert-stage-reached.json", activate=True)
    deal, other = [d for d in sales_deals(node) if d["pipelineStageId"] != stage_named(
        node, "Sales Pipeline", "Proposal Sent")[1]][:2]
    pipeline, proposal = stage_named(node, "Sales Pipeline", "Proposal Sent")
    _, qualified = stage_named(node, "Sales Pipeline", "Qualified")
    node("ghl.opportunities.update", {"id": other["id"], "pipelineId": pipeline,
                                      "pipelineStageId": qualified
                                      if other["pipelineStageId"] != qualified else proposal})
    node("ghl.opportunities.update", {"id": deal["id"], "pipelineId": pipeline,
                                      "pipelineStageId": proposal})
    assert all(r.status == "succeeded" for r in finished(svc, workflow, 2))
    owner = users(node)[deal["assignedTo"]]
    [message] = mail.messages
    assert message["To"] == owner["email"]
    assert message["Subject"] == f"{deal['name']} reached Proposal Sent"


def test_won_and_lost_email_the_owner(api, svc, worker, node, mail, webhooks):
    workflow = imported(api, "ghl-alert-won-or-lost.json", activate=True)
    won, lost = sales_deals(node, count=2)
    node("ghl.opportunities.update_status", {"id": won["id"], "status": "won"})
    node("ghl.opportunities.update_status", {"id": lost["id"], "status": "lost"})
    assert all(r.status == "succeeded" for r in finished(svc, workflow, 2))
    people = users(node)
    sent = sorted((m["Subject"], m["To"]) for m in mail.messages)
    assert sent == sorted([(f"Won: {won['name']}", people[won["assignedTo"]]["email"]),
                           (f"Lost: {lost['name']}", people[lost["assignedTo"]]["email"])])


def test_value_above_the_threshold_emails_the_owner_and_tells_everyone(api, svc, worker, node,
                                                                        mail, webhooks):
    workflow = imported(api, "ghl-alert-big-deal.json", activate=True)
    small, large = sales_deals(node, count=2)
    node("ghl.opportunities.update", {"id": small["id"], "monetaryValue": 100})
    node("ghl.opportunities.update", {"id": large["id"], "monetaryValue": 30000})
    assert all(r.status == "succeeded" for r in finished(svc, workflow, 2))
    [message] = mail.messages
    assert message["To"] == users(node)[large["assignedTo"]]["email"]
    assert message["Subject"] == f"Big deal: {large['name']} is worth $30,000.00"
    titles = [n["title"] for n in api.get("/api/notifications").json["notifications"]]
    assert titles == [f"Big deal: {large['name']} ($30,000.00)"]


def test_closing_soon_without_activity_emails_each_owner(api, svc, worker, node, mail,
                                                         connection):
    table = preset(api)
    people = list(users(node).values())
    today = datetime.now(UTC).date()
    quiet = (datetime.now(UTC) - timedelta(days=30)).isoformat()
    busy = (datetime.now(UTC) - timedelta(days=1)).isoformat()
    add_row(api, table, silent=True, name="Quiet deal", status="open", value=900,
            stage="Negotiation", owner_id=people[0]["id"],
            close_date=(today + timedelta(days=3)).isoformat(), last_modified=quiet)
    add_row(api, table, silent=True, name="Busy deal", status="open", owner_id=people[1]["id"],
            close_date=(today + timedelta(days=2)).isoformat(), last_modified=busy)
    add_row(api, table, silent=True, name="Far deal", status="open", owner_id=people[1]["id"],
            close_date=(today + timedelta(days=40)).isoformat(), last_modified=quiet)
    add_row(api, table, silent=True, name="Won deal", status="won", owner_id=people[1]["id"],
            close_date=(today + timedelta(days=1)).isoformat(), last_modified=quiet)
    workflow = imported(api, "ghl-alert-closing-soon-no-activity.json")
    run, _steps = run_now(api, svc, workflow, trigger="weekday_mornings", payload={})
    assert run.status == "succeeded", run.error
    [message] = mail.messages
    assert message["To"] == people[0]["email"]
    assert message["Subject"].startswith("Quiet deal closes ")
    assert "has gone quiet" in message["Subject"]


# -- reports and dashboards ------------------------------------------------------------------------

def test_daily_summary_emails_a_csv_and_a_pdf(api, svc, worker, node, mail, connection):
    table = preset(api)
    workflow = imported(api, "ghl-daily-pipeline-summary-email.json")
    run, _steps = run_now(api, svc, workflow, trigger="every_morning", payload={})
    assert run.status == "succeeded", run.error
    every = main(node("ghl.opportunities.search", {"status": "all", "return_all": True,
                                                   "max_items": 0}))
    assert len(rows(api, table)) == len(every)
    [message] = mail.messages
    assert message["To"] == "sales-lead@example.com"
    assert f"{len(every)} checked: {len(every)} added to table" in message.get_payload(0)\
        .get_payload(decode=True).decode()
    attached = {part.get_filename(): part.get_payload(decode=True)
                for part in message.walk() if part.get_filename()}
    today = datetime.now(UTC).date().isoformat()
    assert set(attached) == {f"pipeline-{today}.csv", f"pipeline-{today}.pdf"}
    lines = list(csv.DictReader(io.StringIO(attached[f"pipeline-{today}.csv"]
                                            .decode("utf-8-sig"))))
    assert sum(int(line["count"]) for line in lines) == len(every)
    assert {"Negotiation", "Kickoff"} <= {line["label"] for line in lines}
    assert attached[f"pipeline-{today}.pdf"].startswith(b"%PDF")


def test_weekly_dashboard_link_is_posted_and_opens_read_only(api, svc, worker, slack,
                                                             anonymous, connection):
    preset(api)
    workflow = imported(api, "ghl-weekly-dashboard-publish.json")
    run, steps = run_now(api, svc, workflow, trigger="every_monday", payload={})
    assert run.status == "succeeded", run.error
    link = steps["publish"]["output"]["main"][0]
    [posted] = [r["body"]["text"] for r in slack.requests]
    assert posted.startswith(f"This week's pipeline: {link['url']} (open $")
    page = anonymous.get(urlparse(link["url"]).path)
    assert page.status_code == 200 and link["title"] in page.get_data(as_text=True)
    assert link["totals"]["count"] == steps["refresh"]["output"]["main"][0]["counts"]["checked"]
