"""Login throttling: failed sign-ins are counted per address and per email in Redis; past
the limit, sign-in answers 429 until the window has passed."""

from __future__ import annotations

import redis

from server import keys
from server.errors import TooManyRequests

WINDOW = 15 * 60
MAX_FAILURES_PER_EMAIL = 5
MAX_FAILURES_PER_ADDRESS = 20


def check(client: redis.Redis, address: str, email: str) -> None:
    for key, limit in ((keys.login_failures("email", email.lower()), MAX_FAILURES_PER_EMAIL),
                       (keys.login_failures("ip", address), MAX_FAILURES_PER_ADDRESS)):
        failures = int(client.get(key) or 0)
        if failures >= limit:
            wait = max(int(client.ttl(key)), 1)
            raise TooManyRequests(
                f"Too many failed sign-ins; try again in {wait // 60 + 1} minutes.",
                retry_after=wait)


def failed(client: redis.Redis, address: str, email: str) -> None:
    with client.pipeline() as pipe:
        for key in (keys.login_failures("email", email.lower()),
                    keys.login_failures("ip", address)):
            # The window starts at the first failure (SET NX: works on Redis 6 too).
            pipe.set(key, 0, ex=WINDOW, nx=True)
            pipe.incr(key)
        pipe.execute()


def succeeded(client: redis.Redis, email: str) -> None:
    client.delete(keys.login_failures("email", email.lower()))
