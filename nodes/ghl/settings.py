"""The connector's settings: manifest.toml, with a few values overridable from the environment.

Read at use, not at import: a test or a benchmark sets a variable and the next client sees it.
Every variable is optional; the defaults are HighLevel's documented behaviour.
"""

from __future__ import annotations

import functools
import os
import tomllib
from dataclasses import dataclass
from pathlib import Path
from typing import Any

HERE = Path(__file__).resolve().parent
SPEC_DIR = HERE / "spec"


@functools.cache
def manifest() -> dict[str, Any]:
    with (HERE / "manifest.toml").open("rb") as handle:
        return tomllib.load(handle)


def _float(name: str, default: float) -> float:
    raw = os.environ.get(name, "").strip()
    if not raw:
        return default
    try:
        return float(raw)
    except ValueError:
        raise ValueError(f"{name} must be a number, not {raw!r}") from None


@dataclass(frozen=True)
class Settings:
    #: Requests allowed per window per location, and the window (seconds). HighLevel: 100/10 s.
    burst: int
    window_s: float
    daily: int
    #: Requests kept in reserve below the burst ceiling, so clocks and in-flight requests that
    #: land late never tip a window over (the pacing target is burst - headroom).
    headroom: int
    #: A request's slot is reused only this long after it left the window (seconds): covers
    #: the gap between our clock stamping it and HighLevel counting it.
    margin_s: float
    max_attempts: int
    backoff_s: float
    max_backoff_s: float
    timeout_s: float
    refresh_skew_s: float
    options_ttl_s: float
    collapse_window_s: float
    poll_interval_s: float
    #: Extra public keys (PEM files) trusted for webhook signatures, beside HighLevel's.
    webhook_key_files: tuple[str, ...]


def settings() -> Settings:
    data = manifest()
    limits, oauth, hooks = data["limits"], data["oauth"], data["webhooks"]
    files = os.environ.get("FLOWLANE_GHL_WEBHOOK_KEYS", "")
    return Settings(
        burst=int(_float("FLOWLANE_GHL_RATE_BURST", limits["burst"])),
        window_s=_float("FLOWLANE_GHL_RATE_WINDOW_S", limits["window_s"]),
        daily=int(_float("FLOWLANE_GHL_DAILY_LIMIT", limits["daily"])),
        headroom=int(_float("FLOWLANE_GHL_RATE_HEADROOM", 2)),
        margin_s=_float("FLOWLANE_GHL_RATE_MARGIN_MS", 30) / 1000,
        max_attempts=max(1, int(_float("FLOWLANE_GHL_MAX_ATTEMPTS", 5))),
        backoff_s=_float("FLOWLANE_GHL_BACKOFF_S", 0.5),
        max_backoff_s=_float("FLOWLANE_GHL_MAX_BACKOFF_S", 30),
        timeout_s=_float("FLOWLANE_GHL_TIMEOUT_S", data["api"]["timeout_s"]),
        refresh_skew_s=_float("FLOWLANE_GHL_REFRESH_SKEW_S", oauth["refresh_skew_s"]),
        options_ttl_s=_float("FLOWLANE_GHL_OPTIONS_TTL_S", 60),
        collapse_window_s=_float("FLOWLANE_GHL_COLLAPSE_WINDOW_S", hooks["collapse_window_s"]),
        poll_interval_s=_float("FLOWLANE_GHL_POLL_INTERVAL_S", 60),
        webhook_key_files=tuple(p.strip() for p in files.split(",") if p.strip()),
    )


def base_url() -> str:
    return str(manifest()["api"]["base_url"])


def app_title(app: str) -> str:
    return str(manifest()["apps"].get(app, app.replace("-", " ").title()))
