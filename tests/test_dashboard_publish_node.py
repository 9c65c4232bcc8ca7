"""The "Publish dashboard" node in a real run: a read-only link anyone can open, the
snapshot as it was, an expiry; a table that does not exist fails the step clearly."""

from __future__ import annotations

from urllib.parse import urlparse

from tests.helpers import doc, node, wait_for_run


def publish_run(api, svc, **params):
    document = doc(node("start", "core.trigger.manual"),
                   node("publish", "core.dashboard.publish", params=params),
                   edges=[("start", "publish")], name="Publish")
    workflow_id = api.post("/api/workflows", json={"document": document}).json["id"]
    run_id = api.post(f"/api/workflows/{workflow_id}/run", json={"input": {"week": 48}}).json[
        "run_id"]
    run = wait_for_run(svc, run_id)
    steps = {s["node_id"]: s for s in api.get(f"/api/runs/{run_id}").json["steps"]}
    return run, steps["publish"]


def test_a_snapshot_behind_a_read_only_link(api, svc, worker, anonymous):
    table = api.post("/api/tables/presets/opportunities").json
    for name, value, status in (("Acme", 1200, "open"), ("Globex", 800, "won")):
        api.post(f"/api/tables/{table['id']}/rows",
                 json={"values": {"name": name, "value": value, "status": status,
                                  "stage": "Proposal"}})
    run, step = publish_run(api, svc, title="Pipeline, week {{ item.week }}", expires_days=7)
    assert run.status == "succeeded", run.error
    [link] = step["output"]["main"]
    assert link["title"] == "Pipeline, week 48" and link["expires_at"]
    assert link["totals"]["open_value"] == 1200 and link["totals"]["won_value"] == 800
    page = anonymous.get(urlparse(link["url"]).path)
    html = page.get_data(as_text=True)
    assert page.status_code == 200 and "Pipeline, week 48" in html
    listed = api.get("/api/dashboards/published").json["published"]
    assert [(p["id"], p["run_id"]) for p in listed] == [(link["id"], run.id)]
    # Later changes do not reach the published snapshot.
    api.post(f"/api/tables/{table['id']}/rows", json={"values": {"name": "Later", "value": 5}})
    assert anonymous.get(urlparse(link["url"]).path).get_data(as_text=True) == html


def test_an_unknown_table_fails_the_step_with_its_name(api, svc, worker):
    run, step = publish_run(api, svc, table="Deals 2019")
    assert run.status == "failed"
    assert "Deals 2019" in step["error"]["message"]
