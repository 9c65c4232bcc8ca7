"""Webhook events: built when a record changes, delivered signed from a background thread.

Payloads are flat JSON with `type`, `locationId`, the record's documented fields, `timestamp`
and `webhookId` (NOTES.md §6). The body is serialised once and signed over those exact bytes.
HighLevel retries only a 429 (§6.1); the sandbox retries a 429 and a receiver that is not up
yet (connection refused, timeout), a few times with doubling delays, so a local receiver that
starts late still gets its events. Other answers are final.
"""

from __future__ import annotations

import heapq
import itertools
import json
import logging
import threading
import time
import uuid
from collections import deque
from dataclasses import dataclass, field
from typing import Any

import httpx

from sandbox.clock import Clock
from sandbox.signing import SigningKeys

log = logging.getLogger(__name__)
HISTORY = 500


@dataclass
class Delivery:
    id: int
    url: str
    event_type: str
    webhook_id: str
    body: bytes = field(repr=False)
    generation: int
    attempts: int = 0
    status: int | None = None
    error: str | None = None
    state: str = "pending"  # pending | delivered | failed

    def as_dict(self) -> dict[str, Any]:
        return {
            "id": self.id,
            "url": self.url,
            "type": self.event_type,
            "webhookId": self.webhook_id,
            "attempts": self.attempts,
            "status": self.status,
            "error": self.error,
            "state": self.state,
        }


class WebhookHub:
    def __init__(
        self,
        keys: SigningKeys,
        clock: Clock,
        *,
        urls: list[str],
        retries: int,
        retry_delay: float,
        timeout: float,
    ) -> None:
        self.keys = keys
        self.clock = clock
        self.retries = retries
        self.retry_delay = retry_delay
        self.timeout = timeout
        self._urls = list(urls)
        self._events: deque[dict[str, Any]] = deque(maxlen=HISTORY)
        self._deliveries: deque[Delivery] = deque(maxlen=HISTORY)
        self._queue: list[tuple[float, int, Delivery]] = []
        self._ids = itertools.count(1)
        self._generation = 0
        self._cond = threading.Condition()
        self._thread: threading.Thread | None = None
        self._closed = False

    @property
    def urls(self) -> list[str]:
        with self._cond:
            return list(self._urls)

    def set_urls(self, urls: list[str]) -> None:
        with self._cond:
            self._urls = list(urls)

    def emit(
        self, event_type: str, location_id: str | None, fields: dict[str, Any]
    ) -> dict[str, Any]:
        """Record one event and queue it for every configured URL; returns the payload."""
        payload: dict[str, Any] = {"type": event_type}
        if location_id is not None:
            payload["locationId"] = location_id
        payload.update({k: v for k, v in fields.items() if v is not None})
        payload["timestamp"] = self.clock.iso()
        payload["webhookId"] = str(uuid.uuid4())
        # Compact, as JSON.stringify writes it: receivers verify these exact bytes.
        body = json.dumps(payload, separators=(",", ":"), ensure_ascii=False).encode()
        with self._cond:
            self._events.append(payload)
            for url in self._urls:
                delivery = Delivery(
                    next(self._ids), url, event_type, payload["webhookId"], body, self._generation
                )
                self._deliveries.append(delivery)
                heapq.heappush(self._queue, (time.monotonic(), delivery.id, delivery))
            if self._urls:
                self._start()
                self._cond.notify()
        return payload

    def events(self) -> list[dict[str, Any]]:
        with self._cond:
            return list(self._events)

    def deliveries(self) -> list[dict[str, Any]]:
        with self._cond:
            return [d.as_dict() for d in self._deliveries]

    def clear(self) -> None:
        """Forget events, deliveries and anything still queued (POST /_sandbox/reset)."""
        with self._cond:
            self._generation += 1
            self._events.clear()
            self._deliveries.clear()
            self._queue.clear()

    def close(self) -> None:
        with self._cond:
            self._closed = True
            self._queue.clear()
            self._cond.notify_all()
        if self._thread is not None:
            self._thread.join(timeout=self.timeout + 1)

    def _start(self) -> None:
        if self._thread is None and not self._closed:
            self._thread = threading.Thread(target=self._run, name="sandbox-webhooks", daemon=True)
            self._thread.start()

    def _run(self) -> None:
        with httpx.Client(timeout=self.timeout) as client:
            while True:
                delivery = self._next()
                if delivery is None:
                    return
                self._attempt(client, delivery)

    def _next(self) -> Delivery | None:
        with self._cond:
            while not self._closed:
                if self._queue:
                    due = self._queue[0][0]
                    wait = due - time.monotonic()
                    if wait <= 0:
                        return heapq.heappop(self._queue)[2]
                    self._cond.wait(wait)
                else:
                    self._cond.wait()
            return None

    def _attempt(self, client: httpx.Client, delivery: Delivery) -> None:
        headers = {"Content-Type": "application/json", **self.keys.sign(delivery.body)}
        retry = False
        status: int | None = None
        error: str | None = None
        try:
            response = client.post(delivery.url, content=delivery.body, headers=headers)
            status = response.status_code
            retry = status == 429
        except httpx.HTTPError as exc:
            error = f"{type(exc).__name__}: {exc}"
            retry = True
        with self._cond:
            delivery.attempts += 1
            delivery.status, delivery.error = status, error
            if delivery.generation != self._generation:
                return
            if retry and delivery.attempts <= self.retries:
                delay = self.retry_delay * 2 ** (delivery.attempts - 1)
                heapq.heappush(self._queue, (time.monotonic() + delay, delivery.id, delivery))
                return
            delivery.state = "delivered" if status is not None and 200 <= status < 300 else "failed"
        if delivery.state == "failed":
            log.info("sandbox webhook %s to %s failed: %s", delivery.event_type, delivery.url,
                     error or status)
