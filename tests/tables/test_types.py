"""Column types: every write converts values the same way, and refuses with a clear reason."""

from __future__ import annotations

from datetime import UTC, date, datetime

import pytest

from server.tables import types
from server.tables.types import Column

TEXT = Column("name", "text")
NUMBER = Column("n", "number")
MONEY = Column("value", "money", {"currency": "USD"})
DATE = Column("close_date", "date", {"time": False})
MOMENT = Column("last_modified", "date", {"time": True})
BOOLEAN = Column("won", "boolean")
JSON = Column("extra", "json")
REFERENCE = Column("account", "reference", {"table_id": 1})
STATUS = Column("status", "text", {"choices": ["open", "won", "lost"]})


@pytest.mark.parametrize(("column", "given", "stored"), [
    (TEXT, "Acme", "Acme"),
    (TEXT, 12, "12"),
    (TEXT, True, "true"),
    (NUMBER, "1,200.50", 1200.5),
    (NUMBER, "1200", 1200),
    (NUMBER, 3.0, 3),
    (NUMBER, " -7.25 ", -7.25),
    (NUMBER, "1e3", 1000),
    (MONEY, "$1,200.505", 1200.51),
    (MONEY, "-$20", -20),
    (MONEY, "USD 15.5", 15.5),
    (MONEY, 0.1 + 0.2, 0.3),
    (DATE, "2024-03-01", "2024-03-01"),
    (DATE, "2024/03/01", "2024-03-01"),
    (DATE, "2024-03-01T23:30:00-05:00", "2024-03-01"),  # the day as written
    (DATE, date(2024, 3, 1), "2024-03-01"),
    (MOMENT, "2024-03-01T23:30:00-05:00", "2024-03-02T04:30:00.000Z"),
    (MOMENT, "2024-03-01", "2024-03-01T00:00:00.000Z"),
    (MOMENT, 1709251200000, "2024-03-01T00:00:00.000Z"),  # epoch milliseconds
    (MOMENT, datetime(2024, 3, 1, 12, tzinfo=UTC), "2024-03-01T12:00:00.000Z"),
    (BOOLEAN, "yes", True),
    (BOOLEAN, "FALSE", False),
    (BOOLEAN, 1, True),
    (JSON, {"a": [1, 2]}, {"a": [1, 2]}),
    (JSON, "plain", "plain"),
    (REFERENCE, "12", 12),
    (REFERENCE, {"id": 5, "name": "a row"}, 5),
    (STATUS, "WON", "won"),
    (TEXT, "", None),
    (NUMBER, "  ", None),
    (DATE, None, None),
])
def test_values_are_converted_to_the_column_type(column, given, stored):
    assert types.convert(column, given) == stored
    assert type(types.convert(column, given)) is type(stored)


@pytest.mark.parametrize(("column", "given", "reason"), [
    (NUMBER, "twelve", "n: 'twelve' is not a number"),
    (NUMBER, "1,5", "is not a number"),  # a decimal comma is not silently read as 15
    (NUMBER, True, "true/false is not a number"),
    (NUMBER, float("nan"), "not a finite number"),
    (NUMBER, 2**60, "too large"),
    (MONEY, "lots", "value: 'lots' is not an amount"),
    (DATE, "next week", "close_date: 'next week' is not a date (write it as YYYY-MM-DD)"),
    (BOOLEAN, "maybe", "won: 'maybe' is not true or false"),
    (TEXT, {"a": 1}, "an object is not text"),
    (REFERENCE, "abc", "is not a row id"),
    (REFERENCE, -1, "is not a row id"),
    (STATUS, "pending", "'pending' is not one of the choices (open, won, lost)"),
    (JSON, float("inf"), "cannot be stored as JSON"),
])
def test_values_that_cannot_be_converted_are_refused_with_the_reason(column, given, reason):
    with pytest.raises(ValueError) as raised:
        types.convert(column, given)
    assert reason in str(raised.value)


def test_csv_cells_round_trip_through_text():
    cases = [(TEXT, "=SUM(A1)"), (TEXT, "-5 apples"), (TEXT, "plain"), (MONEY, 1200.5),
             (NUMBER, -3), (DATE, "2024-03-01"), (MOMENT, "2024-03-01T04:30:00.000Z"),
             (BOOLEAN, False), (JSON, {"a": [1, "x"]}), (REFERENCE, 7)]
    for column, value in cases:
        cell = types.to_text(column, value)
        assert types.convert(column, cell, from_text=True) == value, (column, value, cell)
    assert types.to_text(TEXT, "=SUM(A1)") == "'=SUM(A1)"  # a spreadsheet will not run it
    assert types.to_text(MONEY, 1200.5) == "1200.50"


def test_column_names_and_options_are_checked():
    assert types.check_name("close_date") == "close_date"
    for bad in ("", "1st", "has space", "id", "created_at", "x" * 64):
        with pytest.raises(ValueError):
            types.check_name(bad)
    assert types.clean_options("money", {}) == {"currency": "USD"}
    assert types.clean_options("date", {"time": True}) == {"time": True}
    with pytest.raises(ValueError, match="no option 'choices'"):
        types.clean_options("number", {"choices": ["a"]})
    with pytest.raises(ValueError, match=r"needs options\.table_id"):
        types.clean_options("reference", {})
    with pytest.raises(ValueError, match="not a column type"):
        types.clean_options("float", {})
