"""The pipeline dashboard names owners and pipelines (HighLevel ids in the synced table)
through the HighLevel connections; an id none of them knows shows as it is."""

from __future__ import annotations

from tests.tables.helpers import add_row


def test_owners_and_pipelines_are_named_from_highlevel(api, anonymous, connection):
    users = api.get("/api/options/ghl.users",
                    query_string={"credential": connection}).json["options"]
    pipelines = api.get("/api/options/ghl.pipelines",
                        query_string={"credential": connection}).json["options"]
    user, pipeline = users[0], pipelines[0]
    table = api.post("/api/tables/presets/opportunities").json
    add_row(api, table["id"], name="A", value=700, status="open", owner_id=user["value"],
            pipeline_id=pipeline["value"], ghl_id="g1")
    add_row(api, table["id"], name="B", value=300, status="open", owner_id="left-the-company",
            pipeline_id=pipeline["value"], ghl_id="g2")

    dashboard = api.get("/api/dashboards/pipeline").json
    assert dashboard["names"]["owners"] == {user["value"]: user["label"]}
    assert dashboard["names"]["pipelines"] == {pipeline["value"]: pipeline["label"]}
    assert dashboard["choices"]["owners"] == sorted([user["value"], "left-the-company"])

    published = api.post("/api/dashboards/publish", json={"table": "Opportunities"}).json
    page = anonymous.get("/" + published["url"].split("://", 1)[1].split("/", 1)[1])
    text = page.get_data(as_text=True)
    assert user["label"] in text and "left-the-company" in text


def test_the_funnel_follows_the_pipelines_stage_order(api, connection):
    pipeline = api.get("/api/options/ghl.pipelines",
                       query_string={"credential": connection}).json["options"][0]
    stages = [s["label"] for s in api.get(
        "/api/options/ghl.stages",
        query_string={"credential": connection, "pipeline_id": pipeline["value"]}).json["options"]]
    assert len(stages) >= 3
    table = api.post("/api/tables/presets/opportunities").json
    # Rows arrive last stage first, and one stage HighLevel does not know.
    for n, stage in enumerate([*reversed(stages[:3]), "Parked"]):
        add_row(api, table["id"], name=f"D{n}", value=100, status="open", stage=stage,
                pipeline_id=pipeline["value"], ghl_id=f"g{n}")
    funnel = [s["stage"] for s in api.get("/api/dashboards/pipeline").json["funnel"]]
    assert funnel == [*stages[:3], "Parked"]
