"""RQ: enqueue runs and continuations. Job arguments are run ids only, never payloads or
secrets: the database is the system of record, Redis only carries work."""

from __future__ import annotations

import uuid
from datetime import UTC, datetime
from typing import Any

from redis.client import Pipeline
from rq import Queue

JOB_FUNCTION = "server.runs.worker.execute_run"
#: RQ kills a job this long after the run's own limit; the run stops itself before that.
JOB_GRACE_SECONDS = 300


def job_id(run_id: int) -> str:
    """A fresh id per enqueue: a run taken over after a crash gets a new job."""
    return f"run-{run_id}-{uuid.uuid4().hex[:8]}"


def enqueue_run(queue: Queue, run_id: int, run_timeout: int, at: datetime | None = None,
                pipeline: Pipeline | None = None) -> str:
    """Call after the Run row commits; the sweeper re-enqueues runs whose job was lost.
    With `pipeline`, the job goes out when the caller executes it."""
    options: dict[str, Any] = {
        "job_id": job_id(run_id),
        "job_timeout": run_timeout + JOB_GRACE_SECONDS,
        # The run's result lives in the database. A job kept a minute costs Redis little;
        # one dropped at once (0) costs the worker a dozen more round trips per job.
        "result_ttl": 60,
        "failure_ttl": 7 * 86400,
        "pipeline": pipeline,
    }
    if at is not None and at > datetime.now(UTC).replace(tzinfo=None):
        job = queue.enqueue_at(at.replace(tzinfo=UTC), JOB_FUNCTION, run_id, **options)
    else:
        job = queue.enqueue(JOB_FUNCTION, run_id, **options)
    return str(job.id)
