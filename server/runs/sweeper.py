"""The sweeper: no accepted run is lost, whatever happens to a worker or to Redis.

- a running run whose worker stopped heartbeating goes back to the queue (another worker
  resumes it from its recorded steps);
- a queued run with no job in Redis (lost in a Redis restart, or enqueue failed after the
  commit) is enqueued again;
- a waiting run past its time with no scheduled job is enqueued again.
A duplicate job is harmless: a run is claimed atomically, so only one worker executes it.
"""

from __future__ import annotations

import logging
from datetime import timedelta

from rq.registry import ScheduledJobRegistry, StartedJobRegistry
from sqlalchemy import select, update

from server import keys
from server.db import Run, RunStatus
from server.db.models import utcnow
from server.queue import enqueue_run
from server.services import Services

log = logging.getLogger("flowlane.sweeper")

#: A queued run younger than this is left alone: its job may simply not be picked up yet.
QUEUED_GRACE = timedelta(seconds=30)


def _runs_with_jobs(svc: Services) -> set[int]:
    """Run ids that have a job waiting, scheduled or in progress in Redis."""
    queue = svc.queue
    job_ids = list(queue.get_job_ids())
    job_ids += StartedJobRegistry(queue=queue).get_job_ids()
    job_ids += ScheduledJobRegistry(queue=queue).get_job_ids()
    found = set()
    for job_id in job_ids:
        parts = str(job_id).split("-")
        if len(parts) >= 2 and parts[0] == "run" and parts[1].isdigit():
            found.add(int(parts[1]))
    return found


def sweep(svc: Services, now_offset: timedelta = timedelta(0)) -> dict[str, list[int]]:
    """One pass; returns the run ids it handed back to the queue, by reason."""
    if not svc.redis.set(keys.sweeper_lock(), "1", nx=True, ex=max(svc.config.sweep_interval, 5)):
        return {"stale": [], "lost": [], "overdue": []}
    now = utcnow() + now_offset
    stale_before = now - timedelta(seconds=svc.config.heartbeat_timeout)
    handed: dict[str, list[int]] = {"stale": [], "lost": [], "overdue": []}
    with svc.db.session() as session:
        for run_id in session.scalars(select(Run.id).where(
                Run.status == RunStatus.RUNNING, Run.heartbeat_at < stale_before)):
            # Conditional: if the worker beat in the meantime, leave the run alone.
            result = session.execute(update(Run).where(
                Run.id == run_id, Run.status == RunStatus.RUNNING,
                Run.heartbeat_at < stale_before).values(status=RunStatus.QUEUED))
            session.commit()
            if result.rowcount:  # type: ignore[attr-defined]
                log.warning("run %s: its worker stopped heartbeating; re-enqueued", run_id)
                handed["stale"].append(run_id)
        with_jobs = _runs_with_jobs(svc)
        lost = session.scalars(select(Run.id).where(
            Run.status == RunStatus.QUEUED, Run.created_at < now - QUEUED_GRACE))
        handed["lost"] = [run_id for run_id in lost
                          if run_id not in with_jobs and run_id not in handed["stale"]]
        handed["overdue"] = [run_id for run_id in session.scalars(select(Run.id).where(
            Run.status == RunStatus.WAITING, Run.wait_until < now - timedelta(seconds=5)))
            if run_id not in with_jobs]
    for run_id in handed["stale"] + handed["lost"] + handed["overdue"]:
        enqueue_run(svc.queue, run_id, svc.config.run_timeout)
    if handed["lost"] or handed["overdue"]:
        log.warning("re-enqueued runs without jobs: %s", handed)
    return handed
