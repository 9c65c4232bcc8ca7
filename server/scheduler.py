"""The scheduler: fires schedule triggers, moves due Wait continuations (RQ scheduled jobs)
onto the queue, and runs the sweeper.

Any number may run; one is the leader (a Redis lock it renews) and only the leader fires,
so each schedule fires once. A schedule missed while no scheduler ran fires once on
catching up, not once per missed time.
"""

from __future__ import annotations

import logging
import os
import socket
import threading
import time
from datetime import UTC, datetime

from rq.scheduler import RQScheduler
from rq.serializers import JSONSerializer
from sqlalchemy import select

from nodes.ghl.triggers import polling as ghl_polling
from server import keys
from server.db import Schedule, Workflow
from server.db.models import utcnow
from server.runs import retention, sweeper
from server.runs.start import create_run, enqueue
from server.scheduling import next_fire
from server.services import Services

log = logging.getLogger("flowlane.scheduler")

LEADER_TTL = 15


class Scheduler:
    def __init__(self, svc: Services, tick: float = 1.0) -> None:
        self.svc = svc
        self.tick = tick
        self.identity = f"{socket.gethostname()}:{os.getpid()}"
        self._stop = threading.Event()
        self._last_sweep = 0.0
        self._last_prune = 0.0
        self._rq_scheduler = RQScheduler([keys.RUNS_QUEUE], connection=svc.redis,
                                         serializer=JSONSerializer, logging_level="WARNING")

    def stop(self) -> None:
        self._stop.set()

    def is_leader(self) -> bool:
        """Take or renew the leadership lock (atomic: only the holder can renew it)."""
        key = keys.scheduler_leader()
        redis = self.svc.redis
        if redis.set(key, self.identity, nx=True, ex=LEADER_TTL):
            return True
        holder = redis.get(key)
        if holder is not None and holder.decode() == self.identity:
            redis.expire(key, LEADER_TTL)
            return True
        return False

    def run_forever(self) -> None:
        log.info("scheduler %s started", self.identity)
        while not self._stop.is_set():
            try:
                if self.is_leader():
                    self.fire_due()
                    ghl_polling.poll_due(self.svc)  # HighLevel polling triggers that are due
                    self.release_continuations()
                    if time.monotonic() - self._last_sweep >= self.svc.config.sweep_interval:
                        self._last_sweep = time.monotonic()
                        sweeper.sweep(self.svc)
                    if time.monotonic() - self._last_prune >= self.svc.config.prune_interval:
                        self._last_prune = time.monotonic()
                        retention.prune(self.svc)
            except Exception:  # the next tick tries again; a scheduler must not die
                log.exception("scheduler tick failed")
            self._stop.wait(self.tick)
        if self.svc.redis.get(keys.scheduler_leader()) == self.identity.encode():
            self.svc.redis.delete(keys.scheduler_leader())

    def release_continuations(self) -> None:
        """Enqueue the RQ jobs scheduled with `enqueue_at` (Wait nodes) that are due."""
        if self._rq_scheduler.acquire_locks():
            self._rq_scheduler.enqueue_scheduled_jobs()

    def fire_due(self, now: datetime | None = None) -> list[int]:
        """Start a run for every schedule that is due; returns the run ids."""
        now = now or utcnow()
        started = []
        with self.svc.db.session() as session:
            due = session.scalars(select(Schedule).where(Schedule.next_fire_at <= now)
                                  .order_by(Schedule.next_fire_at)).all()
            for schedule in due:
                workflow = session.get(Workflow, schedule.workflow_id)
                scheduled_for = schedule.next_fire_at
                schedule.last_fired_at = now
                schedule.next_fire_at = next_fire(schedule.cron, schedule.timezone, now)
                if workflow is None or not workflow.active or workflow.active_version_id is None:
                    continue
                payload = {
                    "scheduled_for": scheduled_for.replace(tzinfo=UTC).isoformat(),
                    "fired_at": now.replace(tzinfo=UTC).isoformat(),
                    "timezone": schedule.timezone,
                    "cron": schedule.cron,
                }
                run = create_run(session, workflow.id, workflow.active_version_id, kind="schedule",
                                 trigger_node=schedule.node_id, payload=payload)
                session.commit()
                enqueue(self.svc, run)
                started.append(run.id)
            session.commit()
        return started
