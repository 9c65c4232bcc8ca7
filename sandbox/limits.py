"""HighLevel's rate limits: a burst limit per window and a daily quota, per app per location.

NOTES.md §5: 100 requests per 10 seconds and 200,000 per day for each app on each location
(or company), reported on responses as `X-RateLimit-*` headers. The burst limit is a sliding
window (no more than `limit` requests in any `window` seconds), the strictest reading, so a
client that paces correctly here paces correctly there. Refused requests do not count.
"""

from __future__ import annotations

import math
import threading
from collections import deque
from dataclasses import dataclass, field

from sandbox.clock import Clock

HEADER_DAILY_LIMIT = "X-RateLimit-Limit-Daily"
HEADER_DAILY_REMAINING = "X-RateLimit-Daily-Remaining"
HEADER_INTERVAL = "X-RateLimit-Interval-Milliseconds"
HEADER_MAX = "X-RateLimit-Max"
HEADER_REMAINING = "X-RateLimit-Remaining"


@dataclass(frozen=True)
class Decision:
    allowed: bool
    remaining: int
    daily_remaining: int
    headers: dict[str, str]
    reason: str | None = None  # "burst" | "daily" when refused


@dataclass
class _Bucket:
    times: deque[float] = field(default_factory=deque)
    day: int = -1
    daily: int = 0
    peak: int = 0  # the most requests seen inside one window, for /_sandbox/stats


class RateLimiter:
    def __init__(self, clock: Clock, limit: int, window: float, daily_limit: int) -> None:
        self.clock = clock
        self.limit = limit
        self.window = window
        self.daily_limit = daily_limit
        self._buckets: dict[str, _Bucket] = {}
        self._lock = threading.Lock()

    def configure(
        self, *, limit: int | None = None, window: float | None = None, daily: int | None = None
    ) -> None:
        with self._lock:
            self.limit = limit or self.limit
            self.window = window or self.window
            self.daily_limit = daily or self.daily_limit

    def reset(self) -> None:
        with self._lock:
            self._buckets.clear()

    def hit(self, key: str) -> Decision:
        """Count one request for `key` if the limits allow it; say so either way."""
        with self._lock:
            bucket = self._bucket(key)
            now = self.clock.monotonic()
            self._expire(bucket, now)
            if bucket.daily >= self.daily_limit:
                return self._decision(bucket, allowed=False, reason="daily")
            if len(bucket.times) >= self.limit:
                return self._decision(bucket, allowed=False, reason="burst")
            bucket.times.append(now)
            bucket.daily += 1
            bucket.peak = max(bucket.peak, len(bucket.times))
            return self._decision(bucket, allowed=True)

    def peek(self, key: str) -> Decision:
        """The headers for `key` without counting a request (for refused or forced answers)."""
        with self._lock:
            bucket = self._bucket(key)
            self._expire(bucket, self.clock.monotonic())
            return self._decision(bucket, allowed=True)

    def snapshot(self) -> dict[str, dict[str, int]]:
        with self._lock:
            return {
                key: {"inWindow": len(b.times), "today": b.daily, "peakInWindow": b.peak}
                for key, b in self._buckets.items()
            }

    def retry_after(self, key: str) -> float:
        """Seconds until the oldest request in the window leaves it."""
        with self._lock:
            bucket = self._buckets.get(key)
            if not bucket or not bucket.times:
                return 0.0
            return max(0.0, bucket.times[0] + self.window - self.clock.monotonic())

    def _bucket(self, key: str) -> _Bucket:
        bucket = self._buckets.get(key)
        if bucket is None:
            bucket = self._buckets[key] = _Bucket()
        return bucket

    def _expire(self, bucket: _Bucket, now: float) -> None:
        horizon = now - self.window
        while bucket.times and bucket.times[0] <= horizon:
            bucket.times.popleft()
        today = int(self.clock.time() // 86_400)  # the UTC day number: quotas reset at midnight
        if bucket.day != today:
            bucket.day, bucket.daily = today, 0

    def _decision(self, bucket: _Bucket, *, allowed: bool, reason: str | None = None) -> Decision:
        remaining = max(0, self.limit - len(bucket.times))
        daily_remaining = max(0, self.daily_limit - bucket.daily)
        headers = {
            HEADER_DAILY_LIMIT: str(self.daily_limit),
            HEADER_DAILY_REMAINING: str(daily_remaining),
            HEADER_INTERVAL: str(math.ceil(self.window * 1000)),
            HEADER_MAX: str(self.limit),
            HEADER_REMAINING: str(remaining),
        }
        return Decision(allowed, remaining, daily_remaining, headers, reason)
