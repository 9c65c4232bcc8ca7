"""Counters the benchmark reads from GET /_sandbox/stats: requests, statuses, 429s sent."""

from __future__ import annotations

import threading
from collections import Counter
from typing import Any

from sandbox.clock import Clock


class Stats:
    def __init__(self, clock: Clock) -> None:
        self.clock = clock
        self._lock = threading.Lock()
        self.reset()

    def reset(self) -> None:
        with self._lock:
            self._since = self.clock.time()
            self._requests = 0
            self._statuses: Counter[int] = Counter()
            self._operations: Counter[str] = Counter()
            self._locations: Counter[str] = Counter()
            self._rate_limited = 0
            self._forced_429 = 0
            self._faults: Counter[str] = Counter()

    def record(
        self,
        *,
        status: int,
        operation: str | None,
        location: str | None,
        rate_limited: bool,
        fault: str | None,
    ) -> None:
        with self._lock:
            self._requests += 1
            self._statuses[status] += 1
            if operation:
                self._operations[operation] += 1
            if location:
                self._locations[location] += 1
            if rate_limited:
                self._rate_limited += 1
            if fault == "force_429":
                self._forced_429 += 1
            if fault:
                self._faults[fault] += 1

    def snapshot(self) -> dict[str, Any]:
        with self._lock:
            return {
                "since": self._since,
                "seconds": round(self.clock.time() - self._since, 3),
                "requests": self._requests,
                "statuses": {str(k): v for k, v in sorted(self._statuses.items())},
                "responses429": self._statuses.get(429, 0),
                "rateLimited": self._rate_limited,
                "forced429": self._forced_429,
                "faults": dict(self._faults),
                "operations": dict(self._operations.most_common()),
                "locations": dict(self._locations),
            }
