"""Fault injection, set at run time (POST /_sandbox/faults), so clients can prove their retries.

latency_ms delays every API answer; error_rate answers that share of requests with
error_status (a 5xx); timeout_rate hangs that share past any sane client timeout; force_429
answers the next N requests with 429 as the rate limiter would. Admin routes are never faulted.
"""

from __future__ import annotations

import random
import threading
from dataclasses import asdict, dataclass
from typing import Any


@dataclass
class FaultSettings:
    latency_ms: int = 0
    error_rate: float = 0.0
    error_status: int = 503
    timeout_rate: float = 0.0
    timeout_s: float = 30.0
    """How long a "timed out" request hangs before it finally answers 504."""
    force_429: int = 0


@dataclass(frozen=True)
class Fault:
    """What to do to one request; at most one of the outcomes is set."""

    latency_s: float = 0.0
    error_status: int | None = None
    hang_s: float | None = None
    force_429: bool = False


class Faults:
    def __init__(self, seed: int | None = None) -> None:
        self._settings = FaultSettings()
        self._lock = threading.Lock()
        self._random = random.Random(seed)
        # Set when faults are reset or the sandbox stops: hanging requests return at once.
        self.released = threading.Event()

    def settings(self) -> dict[str, Any]:
        with self._lock:
            return asdict(self._settings)

    def configure(self, changes: dict[str, Any]) -> dict[str, Any]:
        """Apply the given settings (others keep their value); `reset: true` clears first."""
        problems = _problems(changes)
        if problems:
            raise ValueError("; ".join(problems))
        with self._lock:
            if changes.get("reset"):
                self._settings = FaultSettings()
                self.released.set()
            self.released.clear()
            for name, value in changes.items():
                if name != "reset":
                    setattr(self._settings, name, type(getattr(self._settings, name))(value))
            return asdict(self._settings)

    def reset(self) -> None:
        self.configure({"reset": True})

    def release(self) -> None:
        self.released.set()

    def draw(self) -> Fault:
        """Decide the fate of one request (and use up one forced 429 if any are left)."""
        with self._lock:
            s = self._settings
            latency = s.latency_ms / 1000
            if s.force_429 > 0:
                s.force_429 -= 1
                return Fault(latency, force_429=True)
            roll = self._random.random()
            if roll < s.timeout_rate:
                return Fault(latency, hang_s=s.timeout_s)
            if roll < s.timeout_rate + s.error_rate:
                return Fault(latency, error_status=s.error_status)
            return Fault(latency)


def _problems(changes: dict[str, Any]) -> list[str]:
    known = {*FaultSettings.__dataclass_fields__, "reset"}
    problems = [f"unknown fault setting {name!r}" for name in changes if name not in known]
    for name in ("error_rate", "timeout_rate"):
        if name in changes and not 0 <= float(changes[name]) <= 1:
            problems.append(f"{name} must be between 0 and 1")
    if "error_status" in changes and not 500 <= int(changes["error_status"]) <= 599:
        problems.append("error_status must be a 5xx status")
    for name in ("latency_ms", "force_429", "timeout_s"):
        if name in changes and float(changes[name]) < 0:
            problems.append(f"{name} must not be negative")
    return problems
