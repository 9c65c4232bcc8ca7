"""Alerts (Slack, email with attachments, webhook, in the app), failure alerts, and reports
(summary, CSV, PDF) in real runs on a worker; email goes to a local SMTP server."""

from __future__ import annotations

import email
import socket
import time

import pytest
from aiosmtpd.controller import Controller

from tests.helpers import doc, node, wait_for_run

DEALS = [
    {"id": "o1", "name": "Acme renewal", "stage": "Proposal", "owner_id": "ann", "value": 1200,
     "status": "open", "last_modified": "2026-11-20"},
    {"id": "o2", "name": "Globex pilot", "stage": "Proposal", "owner_id": "bo", "value": 800,
     "status": "open", "last_modified": "2026-11-21"},
    {"id": "o3", "name": "Initech", "stage": "Closing", "owner_id": "ann", "value": 5000,
     "status": "won", "last_modified": "2026-11-25"},
    {"id": "o4", "name": "Umbrella", "stage": "Closing", "owner_id": "bo", "value": 300,
     "status": "lost", "last_modified": "2026-10-01"},
]


class Mailbox:
    def __init__(self) -> None:
        self.messages: list[email.message.Message] = []

    async def handle_DATA(self, server, session, envelope):
        self.messages.append(email.message_from_bytes(envelope.content))
        return "250 OK"


@pytest.fixture
def smtp_server():
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    mailbox = Mailbox()
    controller = Controller(mailbox, hostname="127.0.0.1", port=port)
    controller.start()
    mailbox.port = port
    yield mailbox
    controller.stop()


def run_document(api, svc, document, payload=None):
    workflow_id = api.post("/api/workflows", json={"document": document}).json["id"]
    run_id = api.post(f"/api/workflows/{workflow_id}/run", json={"input": payload}).json[
        "run_id"]
    run = wait_for_run(svc, run_id)
    steps = {s["node_id"]: s for s in api.get(f"/api/runs/{run_id}").json["steps"]}
    return run, steps


def test_a_slack_alert_per_item(api, svc, worker, receiver):
    api.post("/api/credentials", json={"name": "Sales Slack", "kind": "slack_webhook",
                                       "data": {"webhook_url": f"{receiver.url}/slack"}})
    run, _ = run_document(api, svc, doc(
        node("start", "core.trigger.manual"),
        node("ping", "core.alert.slack", credential="Sales Slack", params={
            "text": "{{ item.name }} is worth {{ item.value | money }}"}),
        edges=[("start", "ping")], name="Ping"), DEALS[:2])
    assert run.status == "succeeded", run.error
    assert [r["body"]["text"] for r in receiver.requests] == [
        "Acme renewal is worth $1,200.00", "Globex pilot is worth $800.00"]


def test_summary_csv_and_pdf_then_email_with_both_attached(api, svc, worker, smtp_server):
    api.post("/api/credentials", json={"name": "Mail", "kind": "smtp", "data": {
        "host": "127.0.0.1", "port": smtp_server.port, "security": "none",
        "sender": "Flowlane <bot@example.com>"}})
    run, steps = run_document(api, svc, doc(
        node("start", "core.trigger.manual"),
        node("summary", "core.report.summary", params={
            "fields": "table", "group_by": "stage",
            "probabilities": [{"stage": "Proposal", "probability": 25}],
            "period_start": "2026-11-01", "period_end": "2026-11-30"}),
        node("csv", "core.file.csv", params={"filename": "pipeline.csv"}),
        node("pdf", "core.file.pdf", params={
            "title": "Pipeline by stage", "period": "November 2026", "filename": "pipeline",
            "columns": [{"field": "label", "label": "Stage"},
                        {"field": "count", "format": "number"},
                        {"field": "total_value", "label": "Value", "format": "money"},
                        {"field": "weighted_forecast", "label": "Forecast", "format": "money"}],
            "chart_label": "label", "chart_value": "total_value", "chart_title": "By stage"}),
        node("both", "core.merge", params={"mode": "append"}),
        node("files", "core.aggregate", params={"fields": [
            {"field": "file", "operation": "list", "as": "files"}]}),
        node("mail", "core.alert.email", credential="Mail", params={
            "to": "boss@example.com", "subject": "Pipeline ({{ item.files | length }} files)",
            "body": "Attached."}),
        edges=[("start", "summary"), ("summary", "csv"), ("summary", "pdf"),
               ("csv", "main", "both", "input1"), ("pdf", "main", "both", "input2"),
               ("both", "files"), ("files", "mail")],
        name="Weekly pipeline"), DEALS)
    assert run.status == "succeeded", run.error
    groups = steps["summary"]["output"]["main"]
    assert groups[0] == {
        "group": "Closing", "label": "Closing", "count": 2, "open_count": 0,
        "total_value": 5300.0, "open_value": 0, "weighted_forecast": 5000.0,
        "won_count": 1, "won_value": 5000.0, "lost_count": 0, "lost_value": 0}
    assert groups[1]["weighted_forecast"] == 500.0  # 2,000 open in Proposal at 25 %
    totals = steps["summary"]["output"]["totals"][0]
    assert (totals["count"], totals["won_value"], totals["lost_count"]) == (4, 5000.0, 0)
    (message,) = smtp_server.messages
    assert message["Subject"] == "Pipeline (2 files)"
    attached = {part.get_filename(): part for part in message.walk() if part.get_filename()}
    assert set(attached) == {"pipeline.csv", "pipeline.pdf"}
    csv_text = attached["pipeline.csv"].get_payload(decode=True).decode("utf-8-sig")
    assert csv_text.splitlines()[0].startswith("group,label,count")
    assert attached["pipeline.pdf"].get_payload(decode=True).startswith(b"%PDF")
    pdf_file = steps["pdf"]["output"]["main"][0]["file"]
    download = api.get(pdf_file["url"])
    assert download.status_code == 200 and download.mimetype == "application/pdf"
    listed = api.get(f"/api/artifacts?run_id={run.id}").json["artifacts"]
    assert sorted(a["name"] for a in listed) == ["pipeline.csv", "pipeline.pdf"]


def test_in_app_notifications_and_failure_alerts(api, svc, worker, receiver, client_as):
    run, _ = run_document(api, svc, doc(
        node("start", "core.trigger.manual"),
        node("tell", "core.alert.notify", params={"title": "Won {{ item.name }}",
                                                   "level": "success"}),
        edges=[("start", "tell")], name="Tell"), [DEALS[2]])
    assert run.status == "succeeded", run.error
    viewer = client_as("viewer")
    mine = api.get("/api/notifications").json
    assert mine["unread"] == 1 and mine["notifications"][0]["title"] == "Won Initech"
    api.post("/api/notifications/read", json={})
    assert api.get("/api/notifications").json["unread"] == 0
    assert viewer.get("/api/notifications").json["unread"] == 0  # joined after it was sent
    # A failing run alerts in the app and on the configured Slack channel.
    api.post("/api/credentials", json={"name": "Alerts", "kind": "slack_webhook",
                                       "data": {"webhook_url": f"{receiver.url}/alerts"}})
    api.put("/api/settings", json={"failure_alert_slack_connection": "Alerts"})
    failing = doc(node("start", "core.trigger.manual"),
                  node("boom", "core.stop", name="Check", params={"message": "no budget"}),
                  edges=[("start", "boom")], name="Budget check")
    run, _ = run_document(api, svc, failing)
    assert run.status == "failed"
    deadline = time.monotonic() + 10
    while not receiver.requests and time.monotonic() < deadline:
        time.sleep(0.05)
    assert "Budget check failed at Check" in receiver.requests[0]["body"]["text"]
    titles = [n["title"] for n in viewer.get("/api/notifications").json["notifications"]]
    assert titles == ["Budget check failed at Check"]
    # A workflow can opt out.
    quiet = {**failing, "name": "Quiet", "settings": {"failure_alerts": False}}
    run, _ = run_document(api, svc, quiet)
    assert run.status == "failed"
    assert len(receiver.requests) == 1
    assert len(api.get("/api/notifications").json["notifications"]) == 2
