"""The RQ worker class `flowlane worker` runs: RQ's SimpleWorker (jobs run in the worker
process, no fork per job), with fewer Redis round trips per job.

It overrides three of RQ's per-job steps, which is why pyproject.toml pins RQ's major
version: a new major may rename them.
"""

from __future__ import annotations

import time
from typing import Any

from rq import SimpleWorker
from rq.utils import now

#: A worker's standalone heartbeats closer together than this are skipped.
HEARTBEAT_EVERY_S = 5.0
#: How often the worker looks whether `rq suspend` was called (RQ: before every job).
SUSPENSION_CHECK_EVERY_S = 1.0


class RunWorker(SimpleWorker):
    """RQ sends a worker heartbeat (three commands, one round trip each) before and after
    every dequeue and after every job: a third of its Redis traffic for a short run. The
    worker's key lives `worker_ttl` (minutes), so one heartbeat every few seconds keeps it
    just as alive; heartbeats sent inside RQ's own pipelines cost nothing and still go out.

    Likewise the suspension flag is read once a second rather than before every job, and a
    job's extra heartbeat after it ran (it keeps the job alive while success and failure
    callbacks run) is not sent: Flowlane's jobs have no callbacks."""

    _last_standalone_heartbeat = 0.0
    _last_suspension_check = 0.0

    def heartbeat(self, timeout: int | None = None, pipeline: Any = None) -> None:
        if pipeline is None:
            moment = time.monotonic()
            if moment - self._last_standalone_heartbeat < HEARTBEAT_EVERY_S:
                return
            self._last_standalone_heartbeat = moment
        super().heartbeat(timeout, pipeline)

    def check_for_suspension(self, burst: bool) -> None:
        moment = time.monotonic()
        if moment - self._last_suspension_check < SUSPENSION_CHECK_EVERY_S:
            return
        self._last_suspension_check = moment
        super().check_for_suspension(burst)

    def handle_execution_ended(self, job: Any, queue: Any, heartbeat_ttl: int) -> None:
        job.ended_at = now()
