"""Filters and globals available in expressions: dates, numbers and money, lookups, JSON.

Dates come in as ISO strings, epoch numbers (seconds or milliseconds, as GHL sends them) or
datetimes; they go out as ISO strings, so items stay plain JSON.
"""

from __future__ import annotations

import json
from collections.abc import Iterable, Mapping
from datetime import UTC, date, datetime, timedelta
from decimal import ROUND_HALF_UP, Decimal, InvalidOperation
from typing import Any
from zoneinfo import ZoneInfo

from dateutil import parser as date_parser
from dateutil.relativedelta import relativedelta

_CURRENCY_SYMBOLS = {"USD": "$", "EUR": "€", "GBP": "£", "AUD": "A$", "CAD": "C$", "INR": "₹"}

#: Epoch numbers above this are milliseconds (year 2286 in seconds).
_MILLIS_THRESHOLD = 10_000_000_000


def to_datetime(value: Any, fmt: str | None = None, tz: str = "UTC") -> datetime:
    """Parse a date: ISO or human text, `fmt` (strptime) or an epoch in seconds or ms."""
    if isinstance(value, datetime):
        result = value
    elif isinstance(value, date):
        result = datetime(value.year, value.month, value.day)
    elif isinstance(value, int | float) and not isinstance(value, bool):
        seconds = value / 1000 if abs(value) > _MILLIS_THRESHOLD else value
        try:
            return datetime.fromtimestamp(seconds, UTC)
        except (OverflowError, OSError, ValueError):  # beyond the years a datetime holds
            raise ValueError(f"{value!r} is not a date I can read") from None
    elif isinstance(value, str):
        text = value.strip()
        if text.isdigit():
            return to_datetime(int(text))
        try:
            result = datetime.strptime(text, fmt) if fmt else date_parser.parse(text)
        except (ValueError, OverflowError) as err:
            raise ValueError(f"{value!r} is not a date I can read") from err
    else:
        raise ValueError(f"{value!r} is not a date")
    if result.tzinfo is None:
        result = result.replace(tzinfo=ZoneInfo(tz))
    return result


def format_date(value: Any, fmt: str = "%Y-%m-%d", tz: str | None = None) -> str:
    """Format a date with strftime codes, optionally converted to the timezone `tz`."""
    moment = to_datetime(value)
    if tz:
        moment = moment.astimezone(ZoneInfo(tz))
    return moment.strftime(fmt)


def date_add(value: Any, days: float = 0, hours: float = 0, minutes: float = 0,
             weeks: float = 0, months: int = 0, years: int = 0, seconds: float = 0) -> str:
    """Shift a date; negative numbers go back. Returns an ISO string."""
    moment = to_datetime(value)
    moment += timedelta(days=days, hours=hours, minutes=minutes, weeks=weeks, seconds=seconds)
    moment += relativedelta(months=months, years=years)
    return moment.isoformat()


def days_between(start: Any, end: Any) -> float:
    """Whole and fractional days from `start` to `end`."""
    return (to_datetime(end) - to_datetime(start)).total_seconds() / 86400


def to_number(value: Any, default: Any = None) -> float | int:
    """A number from a number or text ("1,200.50" -> 1200.5); `default` when it is not one."""
    if isinstance(value, bool):
        return int(value)
    if isinstance(value, int | float):
        return value
    try:
        number = Decimal(str(value).replace(",", "").replace("$", "").strip())
    except InvalidOperation:
        number = Decimal("NaN")
    if not number.is_finite():  # "NaN" and "Infinity" parse, but are not amounts
        if default is not None:
            return default
        raise ValueError(f"{value!r} is not a number")
    return int(number) if number == number.to_integral_value() else float(number)


def number_format(value: Any, places: int = 2, separator: str = ",") -> str:
    """1234.5 -> "1,234.50"."""
    number = Decimal(str(to_number(value))).quantize(Decimal(1).scaleb(-places), ROUND_HALF_UP)
    text = f"{number:,.{places}f}"
    return text.replace(",", separator) if separator != "," else text


def money(value: Any, currency: str = "USD", places: int = 2) -> str:
    """1234.5 -> "$1,234.50"; an unknown currency code is written after the number."""
    text = number_format(abs(to_number(value)), places)
    sign = "-" if to_number(value) < 0 else ""
    symbol = _CURRENCY_SYMBOLS.get(currency.upper())
    return f"{sign}{symbol}{text}" if symbol else f"{sign}{text} {currency.upper()}"


def lookup(value: Any, table: Any, default: Any = None) -> Any:
    """Map a value through a table: a dict, or rows of {"key", "value"} (as forms edit them)."""
    if isinstance(table, Mapping):
        return table.get(value, table.get(str(value), default))
    if isinstance(table, list):
        for row in table:
            if isinstance(row, Mapping) and str(row.get("key")) == str(value):
                return row.get("value")
    return default


def to_json(value: Any, indent: int | None = None) -> str:
    return json.dumps(jsonable(value), indent=indent, ensure_ascii=False)


def from_json(text: str) -> Any:
    return json.loads(text)


def now(tz: str = "UTC") -> datetime:
    return datetime.now(ZoneInfo(tz))


def today(tz: str = "UTC") -> str:
    return now(tz).date().isoformat()


_PLAIN = (str, int, float, bool, type(None))


def jsonable(value: Any) -> Any:
    """Dates become ISO strings, Decimals numbers, tuples, sets, ranges and generators
    (`items | map(attribute="id")`) lists: items stay plain JSON. Plain containers are
    returned as they are, not copied."""
    if isinstance(value, _PLAIN):
        return value
    if isinstance(value, datetime | date):
        return value.isoformat()
    if isinstance(value, Decimal):
        return float(value)
    if isinstance(value, dict):
        if all(isinstance(part, _PLAIN) for part in value.values()):
            return value
        return {key: jsonable(part) for key, part in value.items()}
    if isinstance(value, list) and all(isinstance(part, _PLAIN) for part in value):
        return value
    if isinstance(value, Iterable) and not isinstance(value, bytes | Mapping):
        return [jsonable(part) for part in value]
    return value


FILTERS = {
    "parse_date": lambda value, fmt=None, tz="UTC": to_datetime(value, fmt, tz).isoformat(),
    "format_date": format_date,
    "date_add": date_add,
    "days_between": days_between,
    "to_number": to_number,
    "number_format": number_format,
    "money": money,
    "lookup": lookup,
    "to_json": to_json,
    "from_json": from_json,
}

GLOBALS = {"now": now, "today": today, "days_between": days_between}
