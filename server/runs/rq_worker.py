"""The RQ worker class `flowlane worker` runs: RQ's SimpleWorker (jobs run in the worker
process, no fork per job), with fewer Redis round trips per job."""

from __future__ import annotations

import time
from typing import Any

from rq import SimpleWorker

#: A worker's standalone heartbeats closer together than this are skipped.
HEARTBEAT_EVERY_S = 5.0


class RunWorker(SimpleWorker):
    """RQ sends a worker heartbeat (three commands, one round trip each) before and after
    every dequeue and after every job: a third of its Redis traffic for a short run. The
    worker's key lives `worker_ttl` (minutes), so one heartbeat every few seconds keeps it
    just as alive; heartbeats sent inside RQ's own pipelines cost nothing and still go out."""

    _last_standalone_heartbeat = 0.0

    def heartbeat(self, timeout: int | None = None, pipeline: Any = None) -> None:
        if pipeline is None:
            moment = time.monotonic()
            if moment - self._last_standalone_heartbeat < HEARTBEAT_EVERY_S:
                return
            self._last_standalone_heartbeat = moment
        super().heartbeat(timeout, pipeline)
