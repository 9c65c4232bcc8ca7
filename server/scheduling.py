"""Cron arithmetic in a schedule's own timezone; results are naive UTC like the database."""

from __future__ import annotations

from datetime import UTC, datetime
from zoneinfo import ZoneInfo

from croniter import croniter


def next_fire(cron: str, timezone: str, after: datetime) -> datetime:
    """The first time after `after` (naive UTC) that `cron` matches in `timezone`."""
    local = after.replace(tzinfo=UTC).astimezone(ZoneInfo(timezone))
    following = croniter(cron, local).get_next(datetime)
    return following.astimezone(UTC).replace(tzinfo=None)
