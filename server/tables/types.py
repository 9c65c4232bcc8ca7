"""Column types: how each checks and converts a value, and how it is written to CSV.

Every write (API, CSV, node) converts values with `convert`, so a number column holds
numbers whatever the caller sent ("1,200" becomes 1200), and a value that cannot be one is
refused with a sentence that names the column and says what would be accepted.

Stored forms (JSON in `data_rows.data`): text -> str; number -> int or float; money -> a
number rounded to cents; date -> "YYYY-MM-DD", or "YYYY-MM-DDTHH:MM:SS.mmmZ" (UTC) when the
column has `time`; boolean -> true/false; json -> any JSON; reference -> a row id (int).
Both date forms sort as text, which is what lets SQL sort and compare them.
"""

from __future__ import annotations

import json
import math
import re
from dataclasses import dataclass, field
from datetime import UTC, date, datetime
from decimal import ROUND_HALF_UP, Decimal, InvalidOperation
from typing import Any

from server.db.models import MAX_ID

TYPES = ("text", "number", "money", "date", "boolean", "json", "reference")
#: Fields every row has; no column may take these names.
SYSTEM_FIELDS = ("id", "created_at", "updated_at")
#: Types a key column may have: their values have one exact text form.
KEY_TYPES = ("text", "number", "date")
NAME_PATTERN = r"^[A-Za-z_][A-Za-z0-9_]{0,62}$"
MAX_TEXT = 100_000
MAX_JSON_BYTES = 256 * 1024
MAX_KEY = 255
#: Numbers beyond this lose precision as floats: identifiers that big belong in text.
MAX_EXACT = 2**53
_NAME = re.compile(NAME_PATTERN)
_THOUSANDS = re.compile(r"^[+-]?\d{1,3}(,\d{3})+(\.\d+)?$")
_CURRENCY_SIGNS = "$€£¥₹"
_TRUE = {"true", "yes", "y", "1", "on", "t"}
_FALSE = {"false", "no", "n", "0", "off", "f"}
#: Text cells starting with these are formulas to a spreadsheet: exports escape them.
_FORMULA_START = ("=", "+", "-", "@", "\t", "\r")


@dataclass(frozen=True)
class Column:
    """A column as conversion sees it (the model's name, type and options)."""

    name: str
    type: str
    options: dict[str, Any] = field(default_factory=dict)

    @classmethod
    def of(cls, model: Any) -> Column:
        return cls(model.name, model.type, dict(model.options or {}))


def check_name(name: Any) -> str:
    """A column name: letters, digits and underscores, not a row's own field."""
    if not isinstance(name, str) or not _NAME.match(name):
        raise ValueError(f"{name!r} is not a valid column name: use letters, digits and "
                         "underscores, starting with a letter (at most 63).")
    if name.lower() in SYSTEM_FIELDS:
        raise ValueError(f"{name!r} is a field every row has already; choose another name.")
    return name


def clean_options(kind: str, options: Any) -> dict[str, Any]:
    """The options a column of `kind` may have, checked; unknown options are refused."""
    if kind not in TYPES:
        raise ValueError(f"{kind!r} is not a column type; use one of {', '.join(TYPES)}.")
    options = dict(options or {})
    allowed = {"description", *{"text": ["choices"], "money": ["currency"], "date": ["time"],
                                "reference": ["table_id"]}.get(kind, [])}
    unknown = sorted(set(options) - allowed)
    if unknown:
        raise ValueError(f"a {kind} column has no option {', '.join(map(repr, unknown))}.")
    cleaned: dict[str, Any] = {}
    if options.get("description"):
        cleaned["description"] = str(options["description"])[:500]
    if kind == "text" and options.get("choices") is not None:
        choices = options["choices"]
        if (not isinstance(choices, list) or not choices or len(choices) > 200
                or not all(isinstance(c, str) and 0 < len(c) <= 200 for c in choices)
                or len({c.casefold() for c in choices}) != len(choices)):
            raise ValueError("choices must be a list of 1 to 200 different, non-empty texts.")
        cleaned["choices"] = choices
    if kind == "money":
        currency = options.get("currency") or "USD"
        if not isinstance(currency, str) or not re.fullmatch(r"[A-Za-z]{3}", currency):
            raise ValueError(f"currency must be a 3-letter code such as USD, not {currency!r}.")
        cleaned["currency"] = currency.upper()
    if kind == "date":
        if not isinstance(options.get("time", False), bool):
            raise ValueError("time must be true or false.")
        cleaned["time"] = bool(options.get("time", False))
    if kind == "reference":
        table_id = options.get("table_id")
        if not isinstance(table_id, int) or isinstance(table_id, bool) or table_id < 1:
            raise ValueError("a reference column needs options.table_id, the id of the table "
                             "its values point to.")
        cleaned["table_id"] = table_id
    return cleaned


def convert(column: Column, value: Any, *, from_text: bool = False) -> Any:
    """The stored form of `value` for `column`; None for empty. ValueError says why not.

    `from_text` is for CSV cells: a json column parses the cell, a text column drops the
    apostrophe an export put before a formula-like value.
    """
    if value is None or (isinstance(value, str) and not value.strip()):
        return None
    try:
        return _CONVERTERS[column.type](column, value, from_text)
    except (ValueError, TypeError, OverflowError, InvalidOperation) as err:
        raise ValueError(f"{column.name}: {err}") from None


def key_text(column: Column, value: Any) -> str | None:
    """The text a key column's (converted) value is kept unique by."""
    if value is None:
        return None
    text = str(value)
    if len(text) > MAX_KEY:
        raise ValueError(f"{column.name}: a key value has at most {MAX_KEY} characters.")
    return text


def to_text(column: Column, value: Any) -> str:
    """A stored value as a CSV cell; `convert(..., from_text=True)` reads it back."""
    if value is None:
        return ""
    if column.type == "text":
        text = str(value)
        return "'" + text if text.startswith(_FORMULA_START) else text
    if column.type == "boolean":
        return "true" if value else "false"
    if column.type == "money":
        return f"{Decimal(str(value)).quantize(Decimal('0.01'), ROUND_HALF_UP)}"
    if column.type == "json":
        return json.dumps(value, ensure_ascii=False)
    return str(value)


def _text(column: Column, value: Any, from_text: bool) -> str:
    if isinstance(value, bool):
        text = "true" if value else "false"
    elif isinstance(value, int | float | Decimal):
        text = str(value)
    elif isinstance(value, str):
        text = value
        if from_text and len(text) > 1 and text[0] == "'" and text[1:].startswith(_FORMULA_START):
            text = text[1:]
    else:
        raise ValueError(f"{_kind(value)} is not text; use a json column for structured data.")
    if len(text) > MAX_TEXT:
        raise ValueError(f"text is limited to {MAX_TEXT:,} characters.")
    choices = column.options.get("choices")
    if choices:
        for choice in choices:
            if choice.casefold() == text.casefold():
                return str(choice)
        raise ValueError(f"{text!r} is not one of the choices ({', '.join(choices)}).")
    return text


def _number(column: Column, value: Any, from_text: bool) -> int | float:
    if isinstance(value, bool):
        raise ValueError("true/false is not a number.")
    if isinstance(value, int):
        number = Decimal(value)
    elif isinstance(value, float | Decimal):
        number = Decimal(str(value))
    elif isinstance(value, str):
        text = value.strip().replace(" ", "").replace("_", "")
        if _THOUSANDS.match(text):
            text = text.replace(",", "")
        try:
            number = Decimal(text)
        except InvalidOperation:
            raise ValueError(f"{value!r} is not a number (write it like 1200 or 1,200.50)."
                             ) from None
    else:
        raise ValueError(f"{_kind(value)} is not a number.")
    return _plain(number)


def _money(column: Column, value: Any, from_text: bool) -> int | float:
    if isinstance(value, str):
        text = value.strip()
        currency = column.options.get("currency", "USD")
        if text.upper().startswith(currency) or text.upper().endswith(currency):
            text = text.upper().replace(currency, "")
        negative = text.strip().startswith("-")
        text = text.strip().lstrip("-").strip().strip(_CURRENCY_SIGNS).strip()
        try:
            number = Decimal(str(_number(column, text, from_text)))
        except ValueError:
            raise ValueError(f"{value!r} is not an amount (write it like 1200.50 or "
                             f"$1,200.50).") from None
        number = -number if negative else number
    else:
        number = Decimal(str(_number(column, value, from_text)))
    return _plain(number.quantize(Decimal("0.01"), ROUND_HALF_UP))


def _plain(number: Decimal) -> int | float:
    if not number.is_finite():
        raise ValueError(f"{number} is not a finite number.")
    if abs(number) > MAX_EXACT:
        raise ValueError(f"{number} is too large for a number column (use text for "
                         "identifiers).")
    if number == number.to_integral_value():
        return int(number)
    result = float(number)
    if not math.isfinite(result):
        raise ValueError(f"{number} is out of range.")
    return result


def _date(column: Column, value: Any, from_text: bool) -> str:
    with_time = bool(column.options.get("time"))
    moment: datetime
    if isinstance(value, datetime):
        moment = value
    elif isinstance(value, date):
        moment = datetime(value.year, value.month, value.day)
    elif isinstance(value, int | float) and not isinstance(value, bool):
        moment = _epoch(value)
    elif isinstance(value, str):
        text = value.strip()
        if text.isdigit() and len(text) >= 10:
            moment = _epoch(int(text))
        else:
            try:
                moment = datetime.fromisoformat(re.sub(r"^(\d{4})/(\d{2})/(\d{2})",
                                                       r"\1-\2-\3", text))
            except ValueError:
                hint = "YYYY-MM-DDTHH:MM:SSZ or YYYY-MM-DD" if with_time else "YYYY-MM-DD"
                raise ValueError(f"{value!r} is not a date (write it as {hint}).") from None
    else:
        raise ValueError(f"{_kind(value)} is not a date.")
    if not with_time:
        return moment.date().isoformat()  # the calendar day as written, whatever its zone
    if moment.tzinfo is not None:
        moment = moment.astimezone(UTC).replace(tzinfo=None)
    return moment.isoformat(timespec="milliseconds") + "Z"


def _epoch(number: float) -> datetime:
    """Seconds, or milliseconds for numbers past 1e11 (JavaScript times)."""
    seconds = number / 1000 if abs(number) > 1e11 else number
    return datetime.fromtimestamp(seconds, UTC)


def _boolean(column: Column, value: Any, from_text: bool) -> bool:
    if isinstance(value, bool):
        return value
    if isinstance(value, int | float) and value in (0, 1):
        return bool(value)
    if isinstance(value, str):
        word = value.strip().lower()
        if word in _TRUE:
            return True
        if word in _FALSE:
            return False
    raise ValueError(f"{value!r} is not true or false (yes/no, 1/0 work too).")


def _json(column: Column, value: Any, from_text: bool) -> Any:
    if from_text and isinstance(value, str):
        try:
            value = json.loads(value)
        except ValueError as err:
            raise ValueError(f"not valid JSON ({err}).") from None
    try:
        size = len(json.dumps(value, allow_nan=False))
    except (TypeError, ValueError):
        raise ValueError(f"{_kind(value)} cannot be stored as JSON.") from None
    if size > MAX_JSON_BYTES:
        raise ValueError(f"a JSON value is limited to {MAX_JSON_BYTES // 1024} KB.")
    return value


def _reference(column: Column, value: Any, from_text: bool) -> int:
    if isinstance(value, dict) and "id" in value:
        value = value["id"]  # a whole row passed along: it refers to itself by id
    if isinstance(value, str) and value.strip().isascii() and value.strip().isdecimal():
        value = int(value.strip())
    if isinstance(value, float) and value.is_integer():
        value = int(value)
    if not isinstance(value, int) or isinstance(value, bool) or not 0 < value <= MAX_ID:
        raise ValueError(f"{value!r} is not a row id.")
    return value


def _kind(value: Any) -> str:
    if isinstance(value, dict):
        return "an object"
    return "a list" if isinstance(value, list) else f"a {type(value).__name__}"


_CONVERTERS = {"text": _text, "number": _number, "money": _money, "date": _date,
               "boolean": _boolean, "json": _json, "reference": _reference}
