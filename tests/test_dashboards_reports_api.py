"""What the Dashboards and Reports pages read: the pipeline dashboard's filter choices and
forecast by close month, published snapshots, and the list of files runs made."""

from __future__ import annotations

from server.db import Artifact, PublishedDashboard
from tests.tables.helpers import add_row

ROWS = [
    dict(name="A", stage="Proposal", value=1000, status="open", forecast=20, owner_id="ann",
         pipeline_id="p1", close_date="2026-03-10", ghl_id="g1"),
    dict(name="B", stage="Proposal", value=500, status="open", owner_id="bo", pipeline_id="p1",
         close_date="2026-02-01", ghl_id="g2"),
    dict(name="C", stage="Closing", value=300, status="open", forecast=100, owner_id="ann",
         pipeline_id="p2", ghl_id="g3"),
    dict(name="D", stage="Closing", value=900, status="won", owner_id="cy", pipeline_id="p2",
         close_date="2026-01-15", ghl_id="g4"),
]


def seed(api):
    table = api.post("/api/tables/presets/opportunities").json
    for row in ROWS:
        add_row(api, table["id"], **row)
    return table


def test_the_dashboard_offers_every_pipeline_and_owner_and_forecasts_by_month(api):
    seed(api)
    dashboard = api.get("/api/dashboards/pipeline?owner=ann").json
    # The choices ignore the filters, so a person can switch to another owner.
    assert dashboard["choices"] == {"pipelines": ["p1", "p2"], "owners": ["ann", "bo", "cy"]}
    assert [(s["stage"], s["count"], s["value"]) for s in dashboard["funnel"]] == [
        ("Proposal", 1, 1000), ("Closing", 1, 300)]
    # Open deals by expected close month, weighted by their probability; no date sorts last.
    assert dashboard["forecast_by_month"] == [
        {"month": "2026-03", "count": 1, "value": 1000, "weighted": 200},
        {"month": "unknown", "count": 1, "value": 300, "weighted": 300}]
    everyone = api.get("/api/dashboards/pipeline").json
    assert [m["month"] for m in everyone["forecast_by_month"]] == ["2026-02", "2026-03",
                                                                    "unknown"]


def test_a_published_snapshot_keeps_its_filter_and_names_no_other_owner(api, svc, anonymous):
    seed(api)
    published = api.post("/api/dashboards/publish",
                         json={"table": "Opportunities", "title": "Ann", "owner": "ann"})
    assert published.status_code == 201
    path = published.json["url"].split("://", 1)[1].split("/", 1)[1]
    page = anonymous.get(f"/{path}")
    assert page.status_code == 200
    assert "owner ann" in page.get_data(as_text=True)
    with svc.db.session() as session:
        snapshot = session.get(PublishedDashboard, published.json["id"]).snapshot
    assert "choices" not in snapshot and snapshot["totals"]["open_value"] == 1300


def test_reports_list_names_the_workflow_and_pages_on(api, svc):
    workflow = api.post("/api/workflows", json={"name": "Weekly pipeline"}).json
    with svc.db.session() as session:
        for n in range(5):
            session.add(Artifact(workflow_id=workflow["id"], name=f"report-{n}.csv",
                                 mime="text/csv", size=3, content=b"a,b"))
        session.add(Artifact(name="loose.pdf", mime="application/pdf", size=4, content=b"%PDF"))
        session.commit()
    first = api.get("/api/artifacts?limit=4").json["artifacts"]
    assert [a["name"] for a in first] == ["loose.pdf", "report-4.csv", "report-3.csv",
                                          "report-2.csv"]
    assert first[0]["workflow_name"] is None and first[0]["workflow_id"] is None
    assert first[1]["workflow_name"] == "Weekly pipeline"
    assert first[1]["workflow_id"] == workflow["id"]
    rest = api.get(f"/api/artifacts?limit=4&before={first[-1]['artifact_id']}").json
    assert [a["name"] for a in rest["artifacts"]] == ["report-1.csv", "report-0.csv"]
    mine = api.get(f"/api/artifacts?workflow_id={workflow['id']}&limit=1").json["artifacts"]
    assert [a["name"] for a in mine] == ["report-4.csv"]
    bad = api.get("/api/artifacts?before=nope")
    assert bad.status_code == 400 and bad.mimetype == "application/problem+json"
