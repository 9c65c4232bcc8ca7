"""Free slots of a calendar: its open hours in the location's timezone, minus booked time.

A slot is free when it starts in the future, lies inside the open hours, and at least one of
the calendar's team members (or the requested user) has no active appointment overlapping it.
"""

from __future__ import annotations

from collections.abc import Iterator
from datetime import UTC, date, datetime, timedelta
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from sandbox.crm import Crm, Record

INACTIVE = ("cancelled", "invalid")
MAX_RANGE_MS = 31 * 86_400_000


def zone(name: str | None, fallback: str = "UTC") -> ZoneInfo:
    try:
        return ZoneInfo(name or fallback)
    except (ZoneInfoNotFoundError, ValueError):
        raise ValueError(f"unknown timezone {name!r}") from None


def minutes(value: float, unit: str | None) -> int:
    return int(value * 60) if unit == "hours" else int(value)


def slot_starts(calendar: Record, tz: ZoneInfo, start_ms: int, end_ms: int) -> Iterator[datetime]:
    """Every slot start of the open hours between two instants, in `tz`, oldest first."""
    duration = minutes(calendar.get("slotDuration", 30), calendar.get("slotDurationUnit"))
    interval = minutes(calendar.get("slotInterval", duration), calendar.get("slotIntervalUnit"))
    first = datetime.fromtimestamp(start_ms / 1000, tz=UTC).astimezone(tz).date()
    last = datetime.fromtimestamp(end_ms / 1000, tz=UTC).astimezone(tz).date()
    day: date = first
    while day <= last:
        weekday = (day.weekday() + 1) % 7  # GHL: 0 is Sunday
        for rule in calendar.get("openHours", []):
            if weekday not in rule["daysOfTheWeek"]:
                continue
            for hours in rule["hours"]:
                opens = datetime(day.year, day.month, day.day, hours["openHour"],
                                 hours["openMinute"], tzinfo=tz)
                closes = datetime(day.year, day.month, day.day, hours["closeHour"],
                                  hours["closeMinute"], tzinfo=tz)
                moment = opens
                while moment + timedelta(minutes=duration) <= closes:
                    stamp = int(moment.timestamp() * 1000)
                    if start_ms <= stamp <= end_ms:
                        yield moment
                    moment += timedelta(minutes=interval)
        day += timedelta(days=1)


def busy(crm: Crm, user_id: str, start_ms: int, end_ms: int, *, ignore: str | None = None) -> bool:
    for event in crm.appointments.values():
        if event["id"] == ignore or event["appointmentStatus"] in INACTIVE:
            continue
        overlaps = event["_start"] < end_ms and start_ms < event["_end"]
        if overlaps and user_id in event.get("users", []):
            return True
    return False


def free_member(
    crm: Crm,
    calendar: Record,
    start_ms: int,
    end_ms: int,
    *,
    users: list[str] | None = None,
    ignore: str | None = None,
) -> str | None:
    """The first team member (of `users`, if given) free for the whole interval, or None."""
    members = [str(m["userId"]) for m in calendar.get("teamMembers", [])]
    candidates = [u for u in members if users is None or u in users]
    for user_id in candidates:
        if not busy(crm, user_id, start_ms, end_ms, ignore=ignore):
            return user_id
    return None


def duration_ms(calendar: Record) -> int:
    return minutes(calendar.get("slotDuration", 30), calendar.get("slotDurationUnit")) * 60_000


def free_slots(
    crm: Crm,
    calendar: Record,
    *,
    location_tz: ZoneInfo,
    out_tz: ZoneInfo,
    start_ms: int,
    end_ms: int,
    now_ms: int,
    users: list[str] | None,
) -> dict[str, dict[str, list[str]]]:
    """`{"YYYY-MM-DD": {"slots": [ISO start, ...]}}` keyed by day in `out_tz`."""
    days: dict[str, dict[str, list[str]]] = {}
    length = duration_ms(calendar)
    for moment in slot_starts(calendar, location_tz, max(start_ms, now_ms), end_ms):
        stamp = int(moment.timestamp() * 1000)
        if free_member(crm, calendar, stamp, stamp + length, users=users) is None:
            continue
        local = moment.astimezone(out_tz)
        days.setdefault(local.date().isoformat(), {"slots": []})["slots"].append(
            local.isoformat(timespec="seconds")
        )
    return days
