"""Schedules fire in their own timezone, once, from one leader."""

from __future__ import annotations

from datetime import datetime

from server.db import Run, Schedule
from server.scheduler import Scheduler
from server.scheduling import next_fire
from tests.helpers import doc, node


def test_next_fire_follows_the_schedule_timezone():
    # 09:00 in New York is 14:00 UTC in winter and 13:00 UTC in summer.
    assert next_fire("0 9 * * *", "America/New_York", datetime(2026, 1, 10, 15, 0)) == \
        datetime(2026, 1, 11, 14, 0)
    assert next_fire("0 9 * * *", "America/New_York", datetime(2026, 7, 10, 12, 0)) == \
        datetime(2026, 7, 10, 13, 0)


def test_activation_registers_presets_as_cron(api, svc):
    document = doc(node("every", "core.trigger.schedule",
                        params={"mode": "weekly", "time": "07:30", "weekdays": ["mon", "fri"],
                                "timezone": "Europe/Paris"}), name="Weekly")
    workflow_id = api.post("/api/workflows", json={"document": document}).json["id"]
    api.post(f"/api/workflows/{workflow_id}/activate")
    with svc.db.session() as session:
        (schedule,) = session.query(Schedule).all()
        assert (schedule.cron, schedule.timezone) == ("30 7 * * mon,fri", "Europe/Paris")
    api.post(f"/api/workflows/{workflow_id}/deactivate")
    with svc.db.session() as session:
        assert session.query(Schedule).count() == 0


def test_invalid_cron_and_timezone_are_validation_errors(api):
    document = doc(node("every", "core.trigger.schedule",
                        params={"mode": "cron", "cron": "every tuesday", "timezone": "Mars/Base"}),
                   name="Bad")
    errors = api.post("/api/workflows/validate", json=document).json["errors"]
    pointers = {e["pointer"] for e in errors}
    assert pointers == {"/nodes/0/params/cron", "/nodes/0/params/timezone"}


def test_a_due_schedule_fires_one_run_and_moves_on(api, svc):
    document = doc(node("every", "core.trigger.schedule",
                        params={"mode": "interval", "every_minutes": 15}), name="Often")
    workflow_id = api.post("/api/workflows", json={"document": document}).json["id"]
    api.post(f"/api/workflows/{workflow_id}/activate")
    with svc.db.session() as session:
        schedule = session.query(Schedule).one()
        due = schedule.next_fire_at
    scheduler = Scheduler(svc)
    assert scheduler.fire_due(now=due.replace(second=0)) != []
    assert scheduler.fire_due(now=due.replace(second=30)) == []  # not twice
    with svc.db.session() as session:
        (run,) = session.query(Run).all()
        assert run.trigger_kind == "schedule" and run.trigger_node == "every"
        assert run.trigger_payload["cron"] == "*/15 * * * *"
        assert session.query(Schedule).one().next_fire_at > due


def test_only_one_scheduler_leads(svc):
    first, second = Scheduler(svc), Scheduler(svc)
    second.identity = "other-host:1"
    assert first.is_leader() is True
    assert second.is_leader() is False
    assert first.is_leader() is True  # renewing keeps it
