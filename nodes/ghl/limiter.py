"""One rate limiter per HighLevel bucket (app x location), shared by every worker via Redis.

HighLevel allows 100 requests per 10 s and 200,000 per day for each app on each location
(NOTES.md §5) and answers 429 past that. Each request takes a slot first: a sliding-window log
in a Redis sorted set, stamped with Redis's own clock so workers on different machines agree.
The pace is a little under the ceiling (`headroom` slots kept free, and a slot is reused only
`margin` after it left the window), because HighLevel counts a request when it arrives, a
moment after we stamp it.

The margin grows with the time from a slot to its answer (the 90th percentile of the last
requests, in this process): a request's arrival can lag its stamp by no more than that, so
with real network latency the pace backs off just enough, and on a fast link it stays tight.

The response headers correct it: `X-RateLimit-Max` and `-Interval-Milliseconds` replace the
configured limits (so a shrunk sandbox window is learnt), `X-RateLimit-Remaining` lower than
we expect means someone else spends the same bucket, and we add their requests to the log;
`X-RateLimit-Daily-Remaining` is the authority on the daily quota. A 429 blocks the bucket
for every worker until its window has passed.
"""

from __future__ import annotations

import random
import time
import uuid
from collections import deque
from collections.abc import Callable, Mapping
from typing import Any

from nodes.ghl.errors import GhlQuotaExhausted
from nodes.ghl.settings import Settings, settings
from server import keys

_ACQUIRE = """
local t = redis.call('TIME')
local now = tonumber(t[1]) * 1000 + math.floor(tonumber(t[2]) / 1000)
local meta = redis.call('HMGET', KEYS[2], 'max', 'window', 'blocked', 'day', 'used',
                        'daily_limit', 'daily_remaining')
local max = tonumber(meta[1]) or tonumber(ARGV[1])
local window = tonumber(meta[2]) or tonumber(ARGV[2])
local blocked = tonumber(meta[3]) or 0
if blocked > now then return {0, blocked - now} end
local day = math.floor(now / 86400000)
local used = tonumber(meta[5]) or 0
local remaining = tonumber(meta[7])
if tonumber(meta[4]) ~= day then
  used = 0
  remaining = nil
  redis.call('HSET', KEYS[2], 'day', day, 'used', 0)
  redis.call('HDEL', KEYS[2], 'daily_remaining')
end
local daily_limit = tonumber(meta[6]) or tonumber(ARGV[5])
if used >= daily_limit or (remaining ~= nil and remaining <= 0) then
  return {2, (day + 1) * 86400000 - now}
end
local margin = tonumber(ARGV[4])
redis.call('ZREMRANGEBYSCORE', KEYS[1], '-inf', now - window - margin)
local budget = math.max(1, max - tonumber(ARGV[3]))
if redis.call('ZCARD', KEYS[1]) < budget then
  redis.call('ZADD', KEYS[1], now, now .. ':' .. ARGV[6])
  redis.call('PEXPIRE', KEYS[1], window + margin + 1000)
  redis.call('HINCRBY', KEYS[2], 'used', 1)
  if remaining ~= nil then redis.call('HINCRBY', KEYS[2], 'daily_remaining', -1) end
  redis.call('PEXPIRE', KEYS[2], 172800000)
  return {1, 0}
end
local oldest = redis.call('ZRANGE', KEYS[1], 0, 0, 'WITHSCORES')
return {0, tonumber(oldest[2]) + window + margin - now + 1}
"""

# ARGV: max, window ms, remaining, daily limit, daily remaining, 429 block ms, nonce, margin ms
# (empty strings for what the answer did not say). Our requests count over the window plus the
# margin: one we stamped just before the window may have reached HighLevel just inside it.
_OBSERVE = """
local t = redis.call('TIME')
local now = tonumber(t[1]) * 1000 + math.floor(tonumber(t[2]) / 1000)
local max, window = tonumber(ARGV[1]), tonumber(ARGV[2])
if max and max > 0 then redis.call('HSET', KEYS[2], 'max', max) end
if window and window > 0 then redis.call('HSET', KEYS[2], 'window', window) end
max = max or tonumber(redis.call('HGET', KEYS[2], 'max'))
window = window or tonumber(redis.call('HGET', KEYS[2], 'window'))
local remaining = tonumber(ARGV[3])
local added = 0
if max and window and remaining then
  local mine = redis.call('ZCOUNT', KEYS[1], now - window - tonumber(ARGV[8]), '+inf')
  local theirs = max - remaining
  while mine + added < theirs do
    added = added + 1
    redis.call('ZADD', KEYS[1], now, now .. ':seen:' .. added .. ':' .. ARGV[7])
  end
  if added > 0 then redis.call('PEXPIRE', KEYS[1], window + tonumber(ARGV[8]) + 1000) end
end
if tonumber(ARGV[4]) then redis.call('HSET', KEYS[2], 'daily_limit', ARGV[4]) end
if tonumber(ARGV[5]) then
  redis.call('HSET', KEYS[2], 'daily_remaining', ARGV[5], 'day', math.floor(now / 86400000))
end
local block = tonumber(ARGV[6])
if block and block > 0 then
  local until_ms = now + block
  local blocked = tonumber(redis.call('HGET', KEYS[2], 'blocked')) or 0
  if until_ms > blocked then redis.call('HSET', KEYS[2], 'blocked', until_ms) end
end
redis.call('PEXPIRE', KEYS[2], 172800000)
return added
"""

#: The margin never grows past this (seconds): a stalled request is what headroom is for.
MAX_MARGIN_S = 1.0
LATENCY_SAMPLES = 64

H_MAX = "x-ratelimit-max"
H_INTERVAL = "x-ratelimit-interval-milliseconds"
H_REMAINING = "x-ratelimit-remaining"
H_DAILY_LIMIT = "x-ratelimit-limit-daily"
H_DAILY_REMAINING = "x-ratelimit-daily-remaining"


def bucket(app: str, location: str) -> str:
    """HighLevel limits each app on each location apart; all PITs of a location share one."""
    return f"{app or 'pit'}:{location or 'unknown'}"


class Limiter:
    """Pacing for one Redis. `acquire` blocks until a slot is free; `observe` learns from each
    answer. Safe to share between threads; any number of processes share it through Redis."""

    def __init__(self, redis: Any, config: Settings | None = None,
                 sleep: Callable[[float], None] = time.sleep) -> None:
        self.redis = redis
        self.config = config or settings()
        self.sleep = sleep
        self._acquire = redis.register_script(_ACQUIRE)
        self._observe = redis.register_script(_OBSERVE)
        #: Seconds spent waiting for slots, for the benchmark and the curious.
        self.waited_s = 0.0
        self._latency: dict[str, deque[float]] = {}

    def _keys(self, name: str) -> list[str]:
        return [keys.ghl_limiter(name), keys.ghl_limiter_meta(name)]

    def margin(self, name: str) -> float:
        """Seconds a slot stays taken after it left the window: the configured margin, or the
        90th percentile of recent slot-to-answer times when that is longer."""
        samples = self._latency.get(name)
        if not samples:
            return self.config.margin_s
        ordered = sorted(samples)
        recent = ordered[int(0.9 * (len(ordered) - 1))]
        return min(max(self.config.margin_s, recent), MAX_MARGIN_S)

    def acquire(self, name: str, cancelled: Callable[[], bool] | None = None) -> float:
        """Take a slot in bucket `name`, waiting as long as the window needs; returns when it
        was granted (time.monotonic), for `observe` to learn the slot-to-answer time.

        Raises GhlQuotaExhausted when the day's quota is spent: waiting hours in a worker
        would hold a run hostage, so the run fails and says when to try again.
        """
        config = self.config
        args = [config.burst, int(config.window_s * 1000), config.headroom,
                int(self.margin(name) * 1000), config.daily]
        while True:
            granted, wait_ms = self._acquire(keys=self._keys(name),
                                             args=[*args, uuid.uuid4().hex[:12]])
            if granted == 1:
                return time.monotonic()
            if granted == 2:
                raise GhlQuotaExhausted(
                    f"the daily request quota of this location is spent; it resets in "
                    f"{int(wait_ms) // 60000} minutes (midnight UTC).",
                    retry_after=int(wait_ms) / 1000)
            if cancelled is not None and cancelled():
                return time.monotonic()  # the caller checks cancellation; do not hold it
            # A little jitter, so waiting workers do not all wake on the same millisecond.
            delay = int(wait_ms) / 1000 + random.uniform(0, 0.003)
            self.waited_s += delay
            self.sleep(delay)

    def observe(self, name: str, headers: Mapping[str, str], status: int,
                granted: float | None = None) -> None:
        """Correct the bucket from an answer's X-RateLimit-* headers (and a 429); `granted`
        is what `acquire` returned for this request."""
        if granted is not None:
            samples = self._latency.setdefault(name, deque(maxlen=LATENCY_SAMPLES))
            samples.append(time.monotonic() - granted)
        values = {key.lower(): value for key, value in headers.items()}
        interval = values.get(H_INTERVAL, "")
        block = ""
        if status == 429:
            window_ms = _number(interval) or self.config.window_s * 1000
            block = str(int(window_ms + self.config.margin_s * 1000))
        wanted = (H_MAX, H_INTERVAL, H_REMAINING, H_DAILY_LIMIT, H_DAILY_REMAINING)
        if not block and not any(name in values for name in wanted):
            return
        self._observe(keys=self._keys(name), args=[
            values.get(H_MAX, ""), interval, values.get(H_REMAINING, ""),
            values.get(H_DAILY_LIMIT, ""), values.get(H_DAILY_REMAINING, ""), block,
            uuid.uuid4().hex[:12], int(self.margin(name) * 1000)])

    def state(self, name: str) -> dict[str, Any]:
        """What the bucket knows now (tests and the benchmark read it)."""
        log_key, meta_key = self._keys(name)
        meta = {k.decode(): v.decode() for k, v in self.redis.hgetall(meta_key).items()}
        return {"in_log": int(self.redis.zcard(log_key)), **meta}

    def reset(self, name: str) -> None:
        self.redis.delete(*self._keys(name))


def _number(text: str) -> float | None:
    try:
        return float(text)
    except (TypeError, ValueError):
        return None
