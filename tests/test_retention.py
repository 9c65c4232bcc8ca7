"""Run retention (days and number kept, from settings), and counts per status."""

from __future__ import annotations

from datetime import timedelta

from server.db import Run, Step
from server.db.models import utcnow
from server.runs import retention
from tests.helpers import doc, node


def make_runs(svc, workflow_id, version_id, statuses_and_ages):
    with svc.db.session() as session:
        ids = []
        for status, age_days in statuses_and_ages:
            run = Run(workflow_id=workflow_id, version_id=version_id, status=status,
                      trigger_kind="manual", created_at=utcnow() - timedelta(days=age_days))
            session.add(run)
            session.flush()
            session.add(Step(run_id=run.id, node_id="start", node_name="start",
                             node_type="core.trigger.manual", status="succeeded"))
            ids.append(run.id)
        session.commit()
        return ids


def workflow(api):
    created = api.post("/api/workflows", json={"document": doc(
        node("start", "core.trigger.manual"), name="Kept")}).json
    with api.application.extensions["flowlane"].db.session() as session:
        from server.db import Workflow

        return created["id"], session.get(Workflow, created["id"]).current_version_id


def remaining(svc):
    with svc.db.session() as session:
        return sorted(r.id for r in session.query(Run)), session.query(Step).count()


def test_old_and_excess_finished_runs_go_but_live_ones_stay(api, svc, client_as):
    workflow_id, version_id = workflow(api)
    _old_done, old_waiting, fresh_failed = make_runs(svc, workflow_id, version_id, [
        ("succeeded", 40), ("waiting", 40), ("failed", 1)])
    assert retention.prune(svc) == 1
    runs, steps = remaining(svc)
    assert runs == [old_waiting, fresh_failed] and steps == 2
    assert client_as("editor").put("/api/settings", json={"run_retention_max_runs": 100}
                                   ).status_code == 403
    assert api.put("/api/settings", json={"run_retention_days": 0}).status_code == 422
    saved = api.put("/api/settings", json={"run_retention_max_runs": 100})
    assert saved.json["settings"]["run_retention_max_runs"] == 100
    more = make_runs(svc, workflow_id, version_id, [("succeeded", 0)] * 102)
    assert retention.prune(svc) == 3  # 103 finished, 100 kept: the 3 oldest go
    runs, _ = remaining(svc)
    assert old_waiting in runs and fresh_failed not in runs and more[0] not in runs
    assert more[2] in runs


def test_counts_per_status_follow_the_filters(api, svc):
    workflow_id, version_id = workflow(api)
    make_runs(svc, workflow_id, version_id, [("succeeded", 0), ("failed", 0), ("failed", 0),
                                             ("queued", 0)])
    counts = api.get(f"/api/runs/counts?workflow_id={workflow_id}&status=failed").json["counts"]
    assert counts == {"queued": 1, "running": 0, "waiting": 0, "succeeded": 1, "failed": 2,
                      "cancelled": 0}
    assert api.get("/api/runs/counts?workflow_id=999").json["counts"]["failed"] == 0
