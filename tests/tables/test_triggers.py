"""'Table changed' triggers: changes from the API, CSV and other workflows start runs through
the durable path (run committed with the change, then enqueued); a workflow's own writes never
start it again; silent writes start nothing."""

from __future__ import annotations

import io
import socket
from datetime import timedelta

import pytest
import redis
from rq import Queue
from rq.serializers import JSONSerializer
from sqlalchemy import select

from server import keys
from server.db import Run
from server.runs import sweeper
from tests.helpers import doc, node, wait_for_run
from tests.tables.helpers import add_row, create_workflow, make_table, run_now


def watcher(table="Deals", events=None, columns=None, then=None, name="Watcher"):
    params = {"table": table}
    if events:
        params["events"] = events
    if columns:
        params["columns"] = columns
    nodes = [node("changed", "core.trigger.table", params=params),
             then or node("after", "core.noop")]
    return doc(*nodes, edges=[("changed", nodes[1]["id"])], name=name)


def runs_of(svc, workflow_id):
    with svc.db.session() as session:
        found = list(session.scalars(select(Run).where(Run.workflow_id == workflow_id)
                                     .order_by(Run.id)))
        for run in found:
            session.expunge(run)
        return found


@pytest.fixture
def table(api):
    return make_table(api)


def test_created_updated_deleted_from_the_api(api, svc, table):
    workflow_id = create_workflow(api, watcher(), activate=True)
    row = add_row(api, table["id"], name="Acme", stage="Lead", code="A")
    api.patch(f"/api/tables/{table['id']}/rows/{row['id']}",
              json={"values": {"stage": "Won", "value": 10, "name": "Acme"}})
    api.delete(f"/api/tables/{table['id']}/rows/{row['id']}")
    created, updated, deleted = [r.trigger_payload for r in runs_of(svc, workflow_id)]
    assert all(r.trigger_kind == "table" and r.status == "queued"
               for r in runs_of(svc, workflow_id))
    assert created["event"] == "created"
    assert created["table"] == {"id": table["id"], "name": "Deals"}
    assert created["row"] == row and created["previous"] is None
    assert created["changed"] == ["name", "stage", "code"]
    assert created["source"] == {"kind": "api", "user": "owner@example.com"}
    assert updated["event"] == "updated" and updated["changed"] == ["stage", "value"]
    assert (updated["previous"]["stage"], updated["row"]["stage"]) == ("Lead", "Won")
    assert deleted["event"] == "deleted" and deleted["changed"] == []
    assert deleted["previous"]["stage"] == "Won" == deleted["row"]["stage"]


def test_the_trigger_node_gives_the_change_as_its_item(api, svc, worker, table):
    workflow_id = create_workflow(api, watcher(), activate=True)
    row = add_row(api, table["id"], name="Acme")
    [run] = runs_of(svc, workflow_id)
    assert wait_for_run(svc, run.id).status == "succeeded"
    steps = api.get(f"/api/runs/{run.id}").json["steps"]
    [item] = steps[0]["output"]["main"]
    assert item["event"] == "created" and item["row"]["id"] == row["id"]
    assert steps[1]["output"]["main"] == [item]


def test_events_and_columns_narrow_what_fires(api, svc, table):
    stage_only = create_workflow(api, watcher(events=["updated"], columns=["stage"]),
                                 activate=True)
    deletes = create_workflow(api, watcher(events=["deleted"], name="Deletes"), activate=True)
    row = add_row(api, table["id"], name="Acme")
    url = f"/api/tables/{table['id']}/rows/{row['id']}"
    api.patch(url, json={"values": {"name": "Acme Inc."}})
    api.patch(url, json={"values": {"stage": "Won"}})
    api.patch(url, json={"values": {"stage": "Won"}})  # no change: no event
    assert [r.trigger_payload["changed"] for r in runs_of(svc, stage_only)] == [["stage"]]
    assert runs_of(svc, deletes) == []
    api.delete(url)
    assert [r.trigger_payload["event"] for r in runs_of(svc, deletes)] == ["deleted"]


def test_inactive_workflows_and_silent_changes_start_nothing(api, svc, table):
    workflow_id = create_workflow(api, watcher(), activate=True)
    add_row(api, table["id"], trigger=False, name="Silent")
    api.post(f"/api/workflows/{workflow_id}/deactivate")
    add_row(api, table["id"], name="Nobody listens")
    assert runs_of(svc, workflow_id) == []


def test_a_csv_import_starts_one_run_per_row(api, svc, table):
    workflow_id = create_workflow(api, watcher(), activate=True)
    api.post(f"/api/tables/{table['id']}/import",
             data={"file": (io.BytesIO(b"name,code\nA,1\nB,2\n"), "rows.csv")},
             content_type="multipart/form-data")
    found = runs_of(svc, workflow_id)
    assert [r.trigger_payload["row"]["name"] for r in found] == ["A", "B"]
    assert found[0].trigger_payload["source"]["kind"] == "csv"


def test_a_change_made_by_another_workflow_fires(api, svc, worker, table):
    row = add_row(api, table["id"], name="Acme")
    watching = create_workflow(api, watcher(), activate=True)
    writer = create_workflow(api, doc(
        node("start", "core.trigger.manual"),
        node("update", "core.table.update", params={
            "table": "Deals", "row_id": row["id"],
            "values": [{"column": "stage", "value": "Won"}]}),
        edges=[("start", "update")], name="Writer"))
    writer_run = run_now(api, writer, [{}])
    assert wait_for_run(svc, writer_run).status == "succeeded"
    [run] = runs_of(svc, watching)  # committed with the write, so there by now
    assert run.parent_run_id == writer_run and run.parent_relation == "table_change"
    assert run.trigger_payload["changed"] == ["stage"]
    assert run.trigger_payload["source"] == {"kind": "workflow", "workflow_id": writer,
                                             "run_id": writer_run}
    assert wait_for_run(svc, run.id).status == "succeeded"


def test_a_workflow_does_not_trigger_itself(api, svc, worker, table):
    """On a change it updates the same table: its own write must not start it again."""
    loop = create_workflow(api, watcher(then=node("stamp", "core.table.update", params={
        "table": "Deals", "row_id": "{{ item.row.id }}",
        "values": [{"column": "stage", "value": "seen {{ item.row.name }}"}]})), activate=True)
    add_row(api, table["id"], name="Acme")
    [run] = runs_of(svc, loop)
    assert wait_for_run(svc, run.id).status == "succeeded"
    assert len(runs_of(svc, loop)) == 1  # its write was committed: a run would exist now
    assert api.get(f"/api/tables/{table['id']}/rows").json["rows"][0]["stage"] == "seen Acme"


def test_two_workflows_do_not_ping_pong(api, svc, worker, table):
    """A copies Deals changes into Mirror; B copies Mirror changes back into Deals. One
    change runs A once and B once: B's write back does not start A again."""
    make_table(api, "Mirror", [{"name": "name", "type": "text"}, {"name": "code", "type": "text"}],
               key_column="code")

    def copier(source, target, name):
        return watcher(table=source, name=name, then=node("copy", "core.table.upsert", params={
            "table": target, "values": [{"column": "code", "value": "{{ item.row.code }}"},
                                        {"column": "name", "value": "{{ item.row.name }}!"}]}))

    a = create_workflow(api, copier("Deals", "Mirror", "A"), activate=True)
    b = create_workflow(api, copier("Mirror", "Deals", "B"), activate=True)
    add_row(api, table["id"], name="Acme", code="X")
    [a_run] = runs_of(svc, a)
    assert wait_for_run(svc, a_run.id).status == "succeeded"
    [b_run] = runs_of(svc, b)
    assert wait_for_run(svc, b_run.id).status == "succeeded"
    assert len(runs_of(svc, a)) == 1 and len(runs_of(svc, b)) == 1
    assert api.get(f"/api/tables/{table['id']}/rows").json["rows"][0]["name"] == "Acme!!"


def test_silent_writes_start_no_workflow(api, svc, worker, table):
    row = add_row(api, table["id"], name="Acme")
    watching = create_workflow(api, watcher(), activate=True)
    writer = create_workflow(api, doc(
        node("start", "core.trigger.manual"),
        node("write_back", "core.table.update", params={
            "table": "Deals", "row_id": row["id"], "trigger": False,
            "values": [{"column": "code", "value": "ghl-123"}]}),
        edges=[("start", "write_back")], name="Write back"))
    assert wait_for_run(svc, run_now(api, writer, [{}])).status == "succeeded"
    assert api.get(f"/api/tables/{table['id']}/rows/{row['id']}").json["code"] == "ghl-123"
    assert runs_of(svc, watching) == []


def test_a_triggered_run_survives_redis_refusing_the_enqueue(api, svc, worker, table):
    """The run commits with the row; when the enqueue fails the API still succeeds, and the
    sweeper finds the queued run without a job and enqueues it."""
    workflow_id = create_workflow(api, watcher(), activate=True)
    with socket.socket() as probe:  # a port nothing listens on: Redis "refuses"
        probe.bind(("127.0.0.1", 0))
        closed_port = probe.getsockname()[1]
    working_queue = svc.queue
    svc.queue = Queue(keys.RUNS_QUEUE, serializer=JSONSerializer,
                      connection=redis.Redis(port=closed_port, socket_connect_timeout=1))
    try:
        add_row(api, table["id"], name="Acme")
    finally:
        svc.queue = working_queue
    [run] = runs_of(svc, workflow_id)
    assert run.status == "queued"
    handed = sweeper.sweep(svc, now_offset=timedelta(minutes=5))
    assert run.id in handed["lost"]
    assert wait_for_run(svc, run.id).status == "succeeded"


def test_activation_checks_the_table_and_its_columns(api, table):
    workflow_id = create_workflow(api, watcher(table="Nope"))
    response = api.post(f"/api/workflows/{workflow_id}/activate")
    assert response.status_code == 422
    assert "watches the table 'Nope', which does not exist" in response.json["detail"]
    workflow_id = create_workflow(api, watcher(columns=["colour"]))
    response = api.post(f"/api/workflows/{workflow_id}/activate")
    assert response.status_code == 422 and "colour" in response.json["detail"]


def test_a_renamed_table_keeps_its_triggers(api, svc, table):
    workflow_id = create_workflow(api, watcher(), activate=True)
    api.patch(f"/api/tables/{table['id']}", json={"name": "Deals 2024"})
    add_row(api, table["id"], name="Acme")
    [run] = runs_of(svc, workflow_id)
    assert run.trigger_payload["table"]["name"] == "Deals 2024"
