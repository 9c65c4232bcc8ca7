"""The "Opportunity changed" polling trigger: a cursor in the database, one run per poll
with changes, nothing missed or repeated across a restart of the scheduler process."""

from __future__ import annotations

import subprocess
import sys
import time
from datetime import timedelta

import pytest
from sqlalchemy import select

from nodes.ghl.triggers.polling import POLL_TYPE, poll_due
from server import state
from server.db import GhlPoll, Run
from server.db.models import utcnow
from server.services import Services
from tests.ghl.helpers import main
from tests.helpers import ROOT, doc, node, worker_env


@pytest.fixture
def poller(api, connection):
    def make(**params):
        document = doc(node("poll", POLL_TYPE, credential=connection,
                            params={"interval_s": 5, **params}),
                       node("after", "core.noop"), edges=[("poll", "after")], name="Poller")
        workflow_id = api.post("/api/workflows", json={"document": document}).json["id"]
        assert api.post(f"/api/workflows/{workflow_id}/activate").status_code == 200
        return workflow_id
    return make


def due_now(svc):
    """Poll as if every poll were due (the scheduler calls this each tick)."""
    return poll_due(svc, now=utcnow() + timedelta(hours=1))


def runs(svc, workflow_id):
    with svc.db.session() as session:
        return session.scalars(select(Run).where(Run.workflow_id == workflow_id)
                               .order_by(Run.id)).all()


def changed_ids(run):
    return sorted(o["id"] for o in run.trigger_payload["opportunities"])


def touch(node, deals, **fields):
    for deal in deals:
        node("ghl.opportunities.update", {"id": deal["id"], **fields})


def test_the_first_poll_only_remembers_where_it_is(svc, poller):
    workflow_id = poller()
    assert due_now(svc) == []
    with svc.db.session() as session:
        cursor = state.read(session, workflow_id, "poll", "cursor")
    assert cursor["after"] > 0


def test_changes_start_one_run_with_one_item_each(svc, poller, node):
    workflow_id = poller()
    due_now(svc)
    deals = main(node("ghl.opportunities.search", {"limit": 3}))
    touch(node, deals[:2], name="Touched")
    started = due_now(svc)
    assert len(started) == 1
    [run] = runs(svc, workflow_id)
    assert changed_ids(run) == sorted(d["id"] for d in deals[:2])
    assert all(o["name"] == "Touched" for o in run.trigger_payload["opportunities"])
    assert due_now(svc) == []  # nothing new: no run
    touch(node, deals[:1], name="Again")  # a second change of the same deal is a change
    due_now(svc)
    assert changed_ids(runs(svc, workflow_id)[-1]) == [deals[0]["id"]]


def test_filters_are_passed_to_the_search(svc, poller, node):
    pipelines = main(node("ghl.opportunities.pipelines", {}))
    workflow_id = poller(pipeline_id=pipelines[1]["id"])
    due_now(svc)
    deals = main(node("ghl.opportunities.search", {"return_all": True, "max_items": 0}))
    mine = [d for d in deals if d["pipelineId"] == pipelines[1]["id"]][:2]
    other = [d for d in deals if d["pipelineId"] != pipelines[1]["id"]][:2]
    touch(node, mine + other, status="won")
    due_now(svc)
    assert changed_ids(runs(svc, workflow_id)[-1]) == sorted(d["id"] for d in mine)


def test_start_with_existing_sends_everything_once(svc, poller):
    workflow_id = poller(emit_existing=True)
    due_now(svc)
    [run] = runs(svc, workflow_id)
    assert len(run.trigger_payload["opportunities"]) == 200
    due_now(svc)
    assert len(runs(svc, workflow_id)) == 1


def test_a_failing_poll_is_recorded_and_the_others_go_on(api, svc, poller, node):
    broken = poller()
    with svc.db.session() as session:
        poll = session.scalars(select(GhlPoll).where(GhlPoll.workflow_id == broken)).one()
        poll.credential = "No such connection"
        session.commit()
    working = poller()
    due_now(svc)
    touch(node, main(node("ghl.opportunities.search", {"limit": 1})), name="Seen")
    due_now(svc)
    assert len(runs(svc, working)) == 1
    with svc.db.session() as session:
        poll = session.scalars(select(GhlPoll).where(GhlPoll.workflow_id == broken)).one()
        assert "No such connection" in poll.last_error


class SchedulerProcess:
    def __init__(self, config):
        self.process = subprocess.Popen([sys.executable, "-m", "server.cli", "scheduler"],
                                        env=worker_env(config), cwd=ROOT)

    def stop(self):
        self.process.terminate()
        try:
            self.process.wait(15)
        except subprocess.TimeoutExpired:
            self.process.kill()
            self.process.wait()


def wait_for(predicate, timeout=60.0):
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        value = predicate()
        if value:
            return value
        time.sleep(0.2)
    raise AssertionError("gave up waiting")


def sent(svc, workflow_id):
    """Every opportunity id the runs carried, in order (a repeat would show twice)."""
    return [i for run in runs(svc, workflow_id) for i in changed_ids(run)]


def test_no_change_is_missed_or_repeated_across_a_scheduler_restart(config, svc, poller, node,
                                                                  redis_url):
    workflow_id = poller()
    deals = main(node("ghl.opportunities.search", {"limit": 4}))
    scheduler = SchedulerProcess(config)
    try:
        with svc.db.session() as session:
            wait_for(lambda: state.read(session, workflow_id, "poll", "cursor"))
        touch(node, deals[:2], status="lost")
        wait_for(lambda: len(sent(svc, workflow_id)) >= 2)
    finally:
        scheduler.stop()
    touch(node, deals[2:3], status="won")  # changed while no scheduler runs
    restarted = Services(config, redis_url)  # state comes from the database, not memory
    scheduler = SchedulerProcess(config)
    try:
        wait_for(lambda: len(sent(restarted, workflow_id)) >= 3)
        time.sleep(6)  # let another poll pass: it must not send anything again
    finally:
        scheduler.stop()
        restarted.close()
    ids = sent(svc, workflow_id)
    assert sorted(ids) == sorted(d["id"] for d in deals[:3])  # each once, none missed
    assert ids[-1] == deals[2]["id"]
