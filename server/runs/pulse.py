"""One background thread per worker process that keeps its runs' heartbeats fresh and
notices cancellations, so executing a run costs no thread of its own and no Redis call
per step."""

from __future__ import annotations

import logging
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any

from sqlalchemy import update

from server import keys
from server.db import Run
from server.db.models import utcnow
from server.runs.recorder import EVENT_DELAY
from server.services import Services

log = logging.getLogger("flowlane.worker")

#: How often cancellation requests are looked for and waiting live events sent (seconds).
CANCEL_CHECK_INTERVAL = 0.1


class Pulse:
    def __init__(self, svc: Services) -> None:
        self.svc = svc
        self.beat_interval = max(svc.config.heartbeat_timeout / 3, 0.5)
        self._runs: dict[int, threading.Event] = {}
        self._recorders: dict[int, Any] = {}
        self._lock = threading.Lock()
        self._thread: threading.Thread | None = None
        self._since_beat = 0.0

    def publish_for(self, run_id: int, recorder: Any) -> None:
        """Flush this recorder's waiting live events on each tick (see recorder.py)."""
        with self._lock:
            self._recorders[run_id] = recorder

    @contextmanager
    def watch(self, run_id: int) -> Iterator[threading.Event]:
        """While the block runs, the run beats; the event is set when it is cancelled."""
        cancelled = threading.Event()
        with self._lock:
            self._runs[run_id] = cancelled
            if self._thread is None or not self._thread.is_alive():
                self._thread = threading.Thread(target=self._loop, daemon=True, name="pulse")
                self._thread.start()
        try:
            yield cancelled
        finally:
            with self._lock:
                self._runs.pop(run_id, None)
                self._recorders.pop(run_id, None)

    def _loop(self) -> None:
        while True:
            threading.Event().wait(CANCEL_CHECK_INTERVAL)
            with self._lock:
                runs = dict(self._runs)
                recorders = list(self._recorders.values())
            if not runs:
                continue
            try:
                for recorder in recorders:
                    recorder.flush(older_than=EVENT_DELAY)
                self._check_cancellations(runs)
                self._since_beat += CANCEL_CHECK_INTERVAL
                if self._since_beat >= self.beat_interval:
                    self._since_beat = 0.0
                    self._beat(list(runs))
            except Exception:  # the next tick tries again
                log.exception("pulse failed")

    def _check_cancellations(self, runs: dict[int, threading.Event]) -> None:
        with self.svc.redis.pipeline(transaction=False) as pipe:
            for run_id in runs:
                pipe.exists(keys.run_cancel(run_id))
            for flag, found in zip(runs.values(), pipe.execute(), strict=True):
                if found:
                    flag.set()

    def _beat(self, run_ids: list[int]) -> None:
        with self.svc.db.transaction() as session:
            session.execute(update(Run).where(Run.id.in_(run_ids))
                            .values(heartbeat_at=utcnow()))


_pulses: dict[int, Pulse] = {}


def pulse_for(svc: Services) -> Pulse:
    pulse = _pulses.get(id(svc))
    if pulse is None:
        pulse = _pulses[id(svc)] = Pulse(svc)
    return pulse
