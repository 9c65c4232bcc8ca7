"""'Table changed' narrowed by who made the change: people, CSV imports, workflows, or not
the named workflows (a two-way sync does not send back what its other half wrote in)."""

from __future__ import annotations

import io

from sqlalchemy import select

from server.db import Run
from tests.helpers import doc, node, wait_for_run
from tests.tables.helpers import add_row, create_workflow, make_table, run_now


def watcher(name, **params):
    return doc(node("changed", "core.trigger.table", params={"table": "Deals", **params}),
               node("after", "core.noop"), edges=[("changed", "after")], name=name)


def writer(name, row_id, stage):
    return doc(node("start", "core.trigger.manual"),
               node("update", "core.table.update", params={
                   "table": "Deals", "row_id": row_id,
                   "values": [{"column": "stage", "value": stage}]}),
               edges=[("start", "update")], name=name)


def sources_of(svc, workflow_id):
    with svc.db.session() as session:
        payloads = session.scalars(select(Run.trigger_payload).where(
            Run.workflow_id == workflow_id).order_by(Run.id))
        return [p["source"]["kind"] for p in payloads]


def test_sources_choose_people_imports_or_workflows(api, svc, worker):
    table = make_table(api)
    people = create_workflow(api, watcher("People", sources=["api"]), activate=True)
    imports = create_workflow(api, watcher("Imports", sources=["csv"]), activate=True)
    automated = create_workflow(api, watcher("Automated", sources=["workflow"]), activate=True)
    row = add_row(api, table["id"], name="Acme")
    api.post(f"/api/tables/{table['id']}/import?mode=insert",
             data={"file": (io.BytesIO(b"name\nGlobex\n"), "rows.csv")},
             content_type="multipart/form-data")
    by_workflow = create_workflow(api, writer("Writer", row["id"], "Won"))
    assert wait_for_run(svc, run_now(api, by_workflow, [{}])).status == "succeeded"
    assert sources_of(svc, people) == ["api"]
    assert sources_of(svc, imports) == ["csv"]
    assert sources_of(svc, automated) == ["workflow"]


def test_changes_by_an_ignored_workflow_start_nothing(api, svc, worker):
    table = make_table(api)
    row = add_row(api, table["id"], name="Acme")
    sync_back = create_workflow(api, watcher("Send to HighLevel",
                                             ignore_workflows=["highlevel -> flowlane"]),
                                activate=True)
    from_ghl = create_workflow(api, writer("HighLevel -> Flowlane", row["id"], "Won"))
    other = create_workflow(api, writer("Routing", row["id"], "Lost"))
    assert wait_for_run(svc, run_now(api, from_ghl, [{}])).status == "succeeded"
    assert sources_of(svc, sync_back) == []
    assert wait_for_run(svc, run_now(api, other, [{}])).status == "succeeded"
    assert sources_of(svc, sync_back) == ["workflow"]
    api.patch(f"/api/tables/{table['id']}/rows/{row['id']}", json={"values": {"stage": "X"}})
    assert sources_of(svc, sync_back) == ["workflow", "api"]
