"""The sandbox's notion of time, which tests may move forward (POST /_sandbox/clock).

Token expiry, authorization codes, the rate-limit windows and every timestamp the API writes
read this clock, so a test can check "the token expired" without sleeping for a day.
"""

from __future__ import annotations

import threading
import time
from datetime import UTC, datetime


class Clock:
    def __init__(self) -> None:
        self._offset = 0.0
        self._lock = threading.Lock()

    def advance(self, seconds: float) -> None:
        with self._lock:
            self._offset += seconds

    def reset(self) -> None:
        with self._lock:
            self._offset = 0.0

    @property
    def offset(self) -> float:
        return self._offset

    def time(self) -> float:
        """Wall-clock seconds since the epoch, moved by the offset."""
        return time.time() + self._offset

    def monotonic(self) -> float:
        """For intervals (rate-limit windows): never jumps back, moved by the same offset."""
        return time.monotonic() + self._offset

    def now_ms(self) -> int:
        return int(self.time() * 1000)

    def iso(self) -> str:
        return iso_ms(self.now_ms())


def iso_ms(epoch_ms: int) -> str:
    """GHL's timestamp format: ISO-8601 with milliseconds and `Z` (NOTES.md §8.9)."""
    moment = datetime.fromtimestamp(epoch_ms / 1000, tz=UTC)
    return moment.strftime("%Y-%m-%dT%H:%M:%S.") + f"{epoch_ms % 1000:03d}Z"


def parse_iso_ms(text: str) -> int:
    """Epoch milliseconds of an ISO-8601 string (with `Z` or an offset; naive means UTC)."""
    moment = datetime.fromisoformat(text.replace("Z", "+00:00"))
    if moment.tzinfo is None:
        moment = moment.replace(tzinfo=UTC)
    return int(moment.timestamp() * 1000)
